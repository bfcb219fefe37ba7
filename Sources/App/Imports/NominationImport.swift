import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// Turns the rows of an uploaded template into drafts of the user's committee. Each row passes the same
/// rules as the web form; a row with any error stores nothing. A person (or, for organisations, a name)
/// this committee already has in the campaign is reported as already there, so importing a file again
/// creates no duplicates.
struct NominationImport {
    let service: NominationService
    let campaign: Campaign

    enum Outcome: String, Encodable {
        case imported, existing, refused

        var label: String {
            switch self {
            case .imported: "已导入为草稿"
            case .existing: "已存在，未重复导入"
            case .refused: "有错误，未导入"
            }
        }
    }

    struct Problem: Encodable, Equatable {
        /// "C列 姓名", or the label alone for what has no column (照片).
        let column: String
        let message: String
    }

    struct RowResult: Encodable {
        let sheet: String
        let row: Int
        let category: String
        let name: String
        let outcome: Outcome
        let outcomeLabel: String
        let nominationID: Int?
        /// Errors: why the row was not imported.
        let problems: [Problem]
        /// Warnings and what is still to be filled in on the web.
        let notes: [Problem]
    }

    func run(_ reading: ImportReading) async throws -> [RowResult] {
        let campaignID = try campaign.requireID()
        var seen: [String: Int] = [:]  // person or organisation -> first row of this file
        var results: [RowResult] = []
        for row in reading.rows {
            results.append(try await importRow(row, campaignID: campaignID, seen: &seen))
        }
        return results
    }

    private func importRow(_ row: ImportedRow, campaignID: Int, seen: inout [String: Int]) async throws -> RowResult {
        func result(_ outcome: Outcome, category: NominationCategory?, name: String, id: Int? = nil,
                    issues: [FieldIssue], missing: [String] = []) -> RowResult {
            let notes = issues.filter { !$0.isError }.map { problem($0, row) }
                + (missing.isEmpty ? [] : [Problem(column: "尚未填写",
                                                   message: missing.map(NominationForm.label(of:)).joined(separator: "、"))])
            return RowResult(sheet: row.sheet, row: row.rowNumber, category: category?.label ?? "",
                             name: name, outcome: outcome, outcomeLabel: outcome.label, nominationID: id,
                             problems: issues.filter(\.isError).map { problem($0, row) }, notes: notes)
        }
        guard let input = row.input else {
            return result(.refused, category: nil, name: "", issues: row.issues)
        }
        let category = input.category
        let check = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end,
                                          today: service.now)
        let nameKey = category.isPerson ? "name" : "org_name"
        let name = check.cleaned[nameKey] ?? ""
        var issues = row.issues + check.issues

        // Who the row is, to find it again: the ID number of a person, the name of an organisation.
        var identity: String?
        var existing: Nomination?
        if category.isPerson {
            let number = check.cleaned["id_number"] ?? ""
            if number.isEmpty {
                issues.append(.error("id_number", "导入时必须填写身份证号，以免同一人被重复导入"))
            } else if check.issues.on("id_number").isEmpty {
                identity = "person:" + number
                let scope = NominationService.personScope(category, settings: campaign.settings)
                if let holder = try await service.holder(ofIDNumber: number, campaignID: campaignID, scope: scope) {
                    if holder.$committee.id == service.user.committeeID && holder.categoryValue == category {
                        existing = holder
                    } else {
                        issues.append(.error("id_number", NominationService.duplicateText(
                            category: holder.categoryValue, sameCommittee: holder.$committee.id == service.user.committeeID,
                            exclusive: campaign.memberWorkerExclusive)))
                    }
                }
            }
        } else if name.isEmpty {
            issues.append(.error("org_name", "请填写党组织名称"))
        } else {
            identity = "org:" + name
            existing = try await Nomination.query(on: service.db).filter(\.$campaign.$id == campaignID)
                .filter(\.$committee.$id == (service.user.committeeID ?? -1))
                .filter(\.$category == NominationCategory.org.rawValue)
                .filter(\.$state != NominationState.withdrawn.rawValue)
                .filter(\.$displayName == String(name.prefix(100))).first()
        }
        if let identity, let first = seen[identity] {
            let what = category.isPerson ? "身份证号" : "党组织名称"
            issues.append(.error(category.isPerson ? "id_number" : "org_name", "与第\(first)行的\(what)相同，同一推荐对象只填一行"))
        } else if let identity {
            seen[identity] = row.rowNumber
        }

        if !issues.hasErrors, let existing {
            return result(.existing, category: category, name: name, id: existing.id, issues: [])
        }
        guard !issues.hasErrors else { return result(.refused, category: category, name: name, issues: issues) }
        do {
            switch try await service.save(input, campaign: campaign, existing: nil, expectedVersion: nil) {
            case .saved(let id, _):
                return result(.imported, category: category, name: name, id: id, issues: issues, missing: check.missing)
            case .stale:
                throw Abort(.conflict)
            }
        } catch let duplicate as NominationService.DuplicatePerson {
            // Saved by someone else between the check and the write.
            return result(.refused, category: category, name: name, issues: duplicate.check.issues)
        }
    }

    private func problem(_ issue: FieldIssue, _ row: ImportedRow) -> Problem {
        let label = NominationForm.label(of: issue.field)
        let column = row.columns[issue.field].map { "\(XlsxReference.columnName($0))列 \(label)" } ?? label
        return Problem(column: column, message: issue.message)
    }
}
