import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// What anyone may open without signing in: a campaign's 公示 (and, once decided, its 表彰名单) with the
/// objection form, and the certificate lookup. Only the public list's fields are ever read for these pages.
struct PublicController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.grouped("public")
        open.get("campaigns", ":campaignID", use: campaign)
        // 2000 characters of Chinese are 18 KB once form-encoded: more than the sign-in-sized default.
        // 2000 characters of Chinese are 18 KB once form-encoded, and an attachment may come with them.
        open.on(.POST, "campaigns", ":campaignID", "objections", body: .collect(maxSize: "11mb"), use: object)
            .publicBodyLimit(Self.attachmentLimit + 64 * 1024)
        open.get("certificates", use: lookup)
        open.get("certificates", ":number", use: certificate)
    }

    struct Group {
        let title: String
        let person: Bool
        let entries: [PublicEntry]
    }

    /// What the public sees of a nominee, and all the page is given: nothing else can slip into it.
    struct PublicEntry {
        let name: String
        let gender: String
        let ethnicity: String
        let unit: String
        let summary: String

        init(_ entry: HonourList.Entry) {
            name = entry.name
            gender = entry.gender
            ethnicity = entry.ethnicity
            unit = entry.unit
            summary = entry.summary
        }
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// How the public form names a nominee: a keyed token, not the internal id (which would tell how many
    /// nominations the system holds and invite guessing).
    static func token(for nominationID: Int, box: SecretBox) -> String {
        String(box.keyedHash("objection-nominee:\(nominationID)").prefix(20))
    }

    struct CampaignView {
        let campaignID: Int
        let title: String
        let year: Int
        let period: String
        let workingDays: Int
        let contactUnit: String
        let contactPhone: String
        let contactAddress: String
        /// "upcoming", "running", "ended" or "commended".
        let stage: String
        let groups: [Group]
        let options: [Option]
        let decisionNumber: String?
        let input: [String: String]
        let errors: [String: String]
        let filed: Bool
    }

    private func notice(_ req: Request) async throws -> PublicNotice {
        guard let id = req.parameters.get("campaignID", as: Int.self),
              let notice = try await PublicNotice.load(campaignID: id, on: req.db) else { throw Abort(.notFound) }
        return notice
    }

    @Sendable func campaign(req: Request) async throws -> View {
        try await render(req, input: [:], errors: [:])
    }

    private func render(_ req: Request, input: [String: String], errors: [String: String]) async throws -> View {
        let notice = try await notice(req)
        let campaignID = notice.campaignID
        let period = notice.period
        let stage = notice.decisionNumber != nil ? "commended"
            : !period.hasBegun(at: req.now) ? "upcoming" : period.hasEnded(at: req.now) ? "ended" : "running"
        let states: Set<NominationState> = switch stage {
        case "commended": [.commended]
        case "upcoming": []
        default: [.publicizing, .cleared]
        }
        let list = states.isEmpty ? HonourList(entries: [])
            : try await HonourList.load(campaignID: campaignID, states: states, on: req.db)
        let groups = NominationCategory.allCases.compactMap { category -> Group? in
            let entries = list.of(category)
            return entries.isEmpty ? nil : Group(title: CommendationDocuments.heading(category, count: entries.count),
                                                 person: category.isPerson, entries: entries.map(PublicEntry.init))
        }
        let box = req.application.secrets
        let options: [Option] = stage == "running" ? list.entries.map {
            let token = Self.token(for: $0.id, box: box)
            return Option(value: token, label: "\($0.name)（\($0.category.label)）", selected: token == input["nomination"])
        } : []
        let title = stage == "commended" ? "\(notice.awardYear)年度“两优一先”表彰名单" : "\(notice.awardYear)年度“两优一先”拟表彰对象公示"
        return try await req.page(title: title, CampaignView(
            campaignID: campaignID, title: title, year: notice.awardYear, period: period.chinese, workingDays: notice.workingDays,
            contactUnit: notice.contactUnit, contactPhone: notice.contactPhone, contactAddress: notice.contactAddress,
            stage: stage, groups: groups, options: options, decisionNumber: notice.decisionNumber,
            input: input, errors: errors, filed: req.queryValue("filed") == "1").html(csrf: req.csrfToken))
    }

    struct ObjectionForm: Content {
        var objector_name: String?
        var objector_phone: String?
        var nomination: String?
        var content: String?
        var attachment: File?
    }

    /// The largest attachment a visitor may send with an objection.
    static let attachmentLimit = 10 * 1024 * 1024

    @Sendable func object(req: Request) async throws -> Response {
        let notice = try await notice(req)
        let campaignID = notice.campaignID
        let form = try req.content.decode(ObjectionForm.self)
        let typed = ["objector_name": form.objector_name ?? "", "objector_phone": form.objector_phone ?? "",
                     "nomination": form.nomination ?? "", "content": form.content ?? ""]
        func again(_ errors: [String: String], status: HTTPStatus) async throws -> Response {
            let response = try await render(req, input: typed, errors: errors).encodeResponse(for: req)
            response.status = status
            return response
        }
        let now = req.now
        guard notice.period.takesObjections(at: now), notice.decisionNumber == nil else {
            return try await again(["form": notice.period.hasEnded(at: now) ? "公示期已于\(notice.period.last.chinese)结束，不再受理异议。"
                                             : "公示尚未开始，开始后方可提出异议。"], status: .conflict)
        }
        let listed = Set(try await Nomination.query(on: req.db).filter(\.$campaign.$id == campaignID)
            .filter(\.$state ~~ [NominationState.publicizing.rawValue, NominationState.cleared.rawValue])
            .field(\.$id).all().compactMap(\.id))
        let box = req.application.secrets
        let named = listed.first { Self.token(for: $0, box: box) == form.nomination }
        let input: ObjectionInput
        switch ObjectionInput.parse(objectorName: form.objector_name, objectorPhone: form.objector_phone,
                                    nomination: named.map(String.init), content: form.content, listed: listed) {
        case .failure(let failure): return try await again(failure.messages, status: .unprocessableEntity)
        case .success(let parsed): input = parsed
        }
        let addressHash = box.keyedHash("objection-address:" + Self.limitKey(req.clientAddress))
        // Over its limits, an address has nothing examined (an attachment's check is work); counted again below.
        if let limited = try await Self.overLimit(addressHash, at: now, contactPhone: notice.contactPhone, on: req.db) {
            return try await again(["form": limited], status: .tooManyRequests)
        }
        // The attachment: a PDF or a picture, checked by its content as a scan is; kept only with a stored objection.
        var attachment: String?
        if let file = form.attachment, file.data.readableBytes > 0 {
            let data = Data(buffer: file.data)
            let refusal = data.count > Self.attachmentLimit ? "附件最大 10 MB，请压缩后重新选择。"
                : try await IntegrityReplyController.refusal(of: data, name: TextInput.line(file.filename), what: "附件", req: req)
            if let refusal { return try await again(["attachment": refusal + "（文件须重新选择）"], status: .unprocessableEntity) }
            if let kind = ScanReader.kind(of: data) {
                attachment = try UploadStore(app: req.application, kind: .objection).store(data, extension: kind.fileExtension)
            }
        }
        let attached = attachment
        // The objector's address is not kept, not even on the audit trail: only its keyed hash is.
        let actor = Actor(userID: nil, name: "", role: "anonymous", address: "hash:" + addressHash.prefix(16))
        let limited = try await req.application.write { db -> String? in
            // Checked again inside the write, at its own time: a 公示 that ended, or was decided, while this
            // request waited takes nothing more.
            let at = req.now
            guard notice.period.takesObjections(at: at), try await Commendation.of(campaign: campaignID, on: db) == nil,
                  try await Nomination.query(on: db).filter(\.$id == input.nominationID)
                      .filter(\.$state ~~ [NominationState.publicizing.rawValue, NominationState.cleared.rawValue]).count() == 1
            else { return "公示期已结束或该对象已不在公示名单上，不再受理异议。" }
            if let limited = try await Self.overLimit(addressHash, at: at, contactPhone: notice.contactPhone, on: db) { return limited }
            try await Objection.file(input, campaignID: campaignID, addressHash: addressHash, attachment: attached, box: box,
                                     actor: actor, at: at, on: db)
            return nil
        }
        if let limited {
            return try await again(["form": limited], status: limited.hasPrefix("公示期") ? .conflict : .tooManyRequests)
        }
        return req.redirect(to: "/public/campaigns/\(campaignID)?filed=1#objection")
    }

    /// What the per-address limits count: an IPv4 address, or an IPv6 address's /64 (a host or household gets a
    /// whole /64, so stepping through it does not reset the count).
    static func limitKey(_ address: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return bytes.prefix(8).map { String(format: "%02x", $0) }.joined() + "::/64"
    }

    /// Why an address may file no more objections now, nil while it may.
    static func overLimit(_ addressHash: String, at now: Date, contactPhone: String, on db: any Database) async throws -> String? {
        let sent = try await Objection.query(on: db).filter(\.$addressHash == addressHash)
            .filter(\.$createdAt > now.addingTimeInterval(-86_400)).field(\.$id).field(\.$createdAt).all()
        if sent.count >= ObjectionInput.perAddressPerDay {
            return "同一网络地址每天最多提交 \(ObjectionInput.perAddressPerDay) 条异议，请明天再提交，或拨打受理电话 \(contactPhone) 反映。"
        }
        if sent.filter({ $0.createdAt > now.addingTimeInterval(-3_600) }).count >= ObjectionInput.perAddressPerHour {
            return "同一网络地址每小时最多提交 \(ObjectionInput.perAddressPerHour) 条异议，请稍后再提交，或拨打受理电话 \(contactPhone) 反映。"
        }
        return nil
    }

    // MARK: Certificates

    struct CertificateView: Encodable {
        let typed: String
        let error: String?
        let found: Found?

        struct Found: Encodable {
            let number: String
            let name: String
            let honour: String
            let campaign: String
            let decision: String
        }
    }

    @Sendable func lookup(req: Request) async throws -> Response {
        if let typed = req.queryValue("number"), !typed.isEmpty {
            guard let number = CertificateNumber(typed) else {
                return try await req.page("public-certificate", title: "荣誉证书查验", CertificateView(
                    typed: String(typed.prefix(40)), error: "证书编号的格式应为 年份-类别-序号，如 2024-YXDY-001。", found: nil), status: .unprocessableEntity)
            }
            return req.redirect(to: "/public/certificates/\(number)")
        }
        return try await req.page("public-certificate", title: "荣誉证书查验", CertificateView(typed: "", error: nil, found: nil))
            .encodeResponse(for: req)
    }

    @Sendable func certificate(req: Request) async throws -> Response {
        let typed = req.parameters.get("number") ?? ""
        guard let number = CertificateNumber(typed),
              let row = try await Certificate.query(on: req.db).filter(\.$number == number.description)
                  .field(\.$number).field(\.$displayName).field(\.$category).field(\.$campaign.$id).first(),
              let campaign = try await Campaign.query(on: req.db).filter(\.$id == row.$campaign.id)
                  .field(\.$id).field(\.$awardYear).first(),
              let decision = try await Commendation.query(on: req.db).filter(\.$campaign.$id == row.$campaign.id)
                  .field(\.$id).field(\.$number).first()
        else {
            return try await req.page("public-certificate", title: "荣誉证书查验", CertificateView(
                typed: String(typed.prefix(40)), error: "未查到编号为“\(String(typed.prefix(40)))”的荣誉证书，请核对证书上的编号。", found: nil),
                status: .notFound)
        }
        return try await req.page("public-certificate", title: "荣誉证书查验", CertificateView(
            typed: row.number, error: nil,
            found: .init(number: row.number, name: row.displayName, honour: row.categoryValue.label,
                         campaign: "\(campaign.awardYear)年度“两优一先”表彰", decision: decision.number))).encodeResponse(for: req)
    }
}
