import Fluent
import Foundation
import Vapor

/// The hidden key a creating form carries (a UUID drawn when the page was made, kept when the form comes
/// back with an error): the same form sent again, after a lost answer, a double click or a browser's retry,
/// makes one record, and every send lands on it. Anything that is not a UUID is no key.
struct CreationKey: Sendable, Hashable {
    let value: String

    init?(_ text: String?) {
        guard let text, let uuid = UUID(uuidString: text) else { return nil }
        value = uuid.uuidString.lowercased()
    }

    /// A key for a new form.
    static func draw() -> String { UUID().uuidString.lowercased() }

    /// What a key made. Nominations keep their key on the row (`nominations.creation_key`, unique per
    /// committee); every other kind of record is listed here.
    enum Kind: String, Sendable {
        case quotaRequest = "quota_request"
        case user
        case committee
        case campaign
        case deadlineExtension = "deadline_extension"
    }
}

/// A key used, by whom, and the record it made: unique per user and kind.
final class CreationKeyRecord: Model, @unchecked Sendable {
    static let schema = "creation_keys"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "kind") var kind: String
    @Field(key: "key") var key: String
    @Field(key: "object_id") var objectID: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// How long a key is kept: a retry comes within minutes of the first send.
    static let keptFor: TimeInterval = 7 * 24 * 3600

    /// The id of the record this user made with this key, if any.
    static func made(_ key: CreationKey, _ kind: CreationKey.Kind, by userID: Int, on db: any Database) async throws -> Int? {
        try await query(on: db).filter(\.$userID == userID).filter(\.$kind == kind.rawValue).filter(\.$key == key.value)
            .first()?.objectID
    }
}

extension Application {
    /// Runs the write `create` (which returns the new record's id) once per key: a key this user already used
    /// for this kind answers with the record it made, and `create` does not run. The look-up is inside the
    /// write, which writes take in turn, so two sends racing make one record.
    func createOnce(_ key: CreationKey?, _ kind: CreationKey.Kind, by userID: Int, on db: any Database,
                    now: Date, _ create: @escaping @Sendable (any Database) async throws -> Int) async throws -> Int {
        try await write(on: db) { db in
            if let key, let made = try await CreationKeyRecord.made(key, kind, by: userID, on: db) { return made }
            let id = try await create(db)
            if let key {
                let record = CreationKeyRecord()
                record.userID = userID
                record.kind = kind.rawValue
                record.key = key.value
                record.objectID = id
                record.createdAt = now
                try await record.create(on: db)
            }
            return id
        }
    }

    /// Keys older than `CreationKeyRecord.keptFor`: on the sweep.
    func removeOldCreationKeys(now: Date) async throws {
        try await write(on: db) { db in
            try await CreationKeyRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-CreationKeyRecord.keptFor)).delete()
        }
    }
}

extension Request {
    /// The id of the record the signed-in user made with this form's key, when the form was sent before: a
    /// form whose checks would now refuse it ("the name is taken": by its own first send) answers with that.
    func madeBefore(_ key: CreationKey?, _ kind: CreationKey.Kind) async throws -> Int? {
        guard let key else { return nil }
        return try await CreationKeyRecord.made(key, kind, by: try requireUser().id, on: db)
    }
}
