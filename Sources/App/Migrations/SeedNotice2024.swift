import Fluent
import HonorsCore

/// The committees of 附件1 and the campaign of 鄂党联发〔2024〕4号. Runs once (the migration log records it),
/// and skips rows that already exist, so a data folder set up by hand is left as it is.
struct SeedNotice2024: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { db in
            var committees: [Int] = []
            for (index, row) in Notice2024.quotas.enumerated() {
                if let existing = try await Committee.query(on: db).filter(\.$name == row.committee).first() {
                    committees.append(try existing.requireID())
                } else {
                    let committee = Committee(name: row.committee, sortOrder: index + 1)
                    try await committee.create(on: db)
                    committees.append(try committee.requireID())
                }
            }
            guard try await Campaign.query(on: db).filter(\.$documentNumber == Notice2024.documentNumber).count() == 0
            else { return }
            let campaign = Campaign()
            campaign.version = 1
            campaign.title = Notice2024.title
            campaign.documentNumber = Notice2024.documentNumber
            campaign.awardYear = Notice2024.awardYear
            campaign.issuedOn = Notice2024.issuedOn.description
            campaign.deadlineOn = Notice2024.deadlineDay.description
            campaign.contactUnit = Notice2024.contactUnit
            campaign.contactPerson = Notice2024.contactPerson
            campaign.contactPhone = Notice2024.contactPhone
            campaign.contactEmail = Notice2024.contactEmail
            campaign.settings = Notice2024.settings
            campaign.requireSecondFactor = false
            campaign.rotatingUnit = Notice2024.rotatingUnit
            try await campaign.create(on: db)
            let campaignID = try campaign.requireID()
            for (committeeID, row) in zip(committees, Notice2024.quotas) {
                for (category, guiding) in [("org", row.org), ("worker", row.worker), ("member", row.member)] {
                    try await CampaignQuota(campaignID: campaignID, committeeID: committeeID,
                                            category: category, guiding: guiding).create(on: db)
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await Campaign.query(on: database).filter(\.$documentNumber == Notice2024.documentNumber).delete()
    }
}
