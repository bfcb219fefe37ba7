import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A new key for new writes, the older keys kept for reading, and every stored value moved onto the new key:
/// `honors key rotate` adds the key; `reseal` then re-seals each nomination's ID number and phone and
/// rebuilds its duplicate-check hash, a batch per write transaction. Its progress is the data itself (each
/// row names the key that sealed it), so a crash loses nothing: the next run, or the next start of the
/// service, goes on where it stopped. `retire` removes an older key once no value needs it.
enum KeyRotation {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// A new current key in front of the ring. A ring in a file is replaced in one step and read again by
    /// every instance that shares the file; a ring in the environment cannot be written: the new value is
    /// returned for the operator to set, and the rotation is on record either way.
    static func rotate(_ app: Application, actor: Actor = .commandLine()) async throws -> (box: SecretBox, environmentValue: String?) {
        let source = try configuredSource(app)
        let ring = try ringKeys(source)
        let current = SecretBox(ring: ring)
        let keys = [SymmetricKey(size: .bits256)] + ring
        let box = SecretBox(ring: keys)
        let environmentValue = try install(keys, source: source, app: app)
        try await app.write { db in
            try await Audit.record(on: db, actor: actor, action: "key.rotate", objectType: "key", objectID: box.keyID,
                                   objectLabel: box.keyID,
                                   changes: [FieldChange("current_key", old: current.keyID, new: box.keyID),
                                             FieldChange("ring", old: current.keyIDs.joined(separator: ","),
                                                         new: box.keyIDs.joined(separator: ","))],
                                   at: app.clock.now())
        }
        return (box, environmentValue)
    }

    /// Removes an older key from the ring; refused for the current key, a key not in the ring, or one that
    /// still seals a stored value.
    static func retire(_ app: Application, keyID: String, actor: Actor = .commandLine()) async throws -> (box: SecretBox, environmentValue: String?) {
        let source = try configuredSource(app)
        let ring = try ringKeys(source)
        let current = SecretBox(ring: ring)
        guard current.keyIDs.contains(keyID) else {
            throw Refusal(description: "密钥环中没有密钥 \(keyID)（现有：\(current.keyIDs.joined(separator: "、"))）。")
        }
        guard keyID != current.keyID else {
            throw Refusal(description: "\(keyID) 是当前密钥，不能移除；请先 honors key rotate。")
        }
        let using = try await usage(on: app.db)[keyID]?.nominations ?? 0
        guard using == 0 else {
            throw Refusal(description: "仍有 \(using) 条推荐的数据由密钥 \(keyID) 加密，不能移除；请等重新加密完成（honors key status 查看进度）。")
        }
        let factors = try await UserFactor.query(on: app.db).filter(\.$secretKeyID == keyID).count()
        guard factors == 0 else {
            throw Refusal(description: "仍有 \(factors) 个双重验证密钥由密钥 \(keyID) 加密，不能移除；请等重新加密完成（honors key status 查看进度）。")
        }
        let objections = try await Objection.query(on: app.db).filter(\.$secretKeyID == keyID).count()
        guard objections == 0 else {
            throw Refusal(description: "仍有 \(objections) 条异议人的姓名和电话由密钥 \(keyID) 加密，不能移除；请等重新加密完成（honors key status 查看进度）。")
        }
        let kept = ring.filter { SecretBox.Key.id(of: $0) != keyID }
        let box = SecretBox(ring: kept)
        let environmentValue = try install(kept, source: source, app: app)
        try await app.write { db in
            try await Audit.record(on: db, actor: actor, action: "key.retire", objectType: "key", objectID: keyID, objectLabel: keyID,
                                   changes: [FieldChange("ring", old: current.keyIDs.joined(separator: ","),
                                                         new: box.keyIDs.joined(separator: ","))],
                                   at: app.clock.now())
        }
        return (box, environmentValue)
    }

    struct Progress: Sendable, Equatable {
        var resealed = 0
        /// Rows still under an older key when the run stopped (0 when it finished).
        var remaining = 0
        /// Rows whose values would not open: left as they are and named.
        var unreadable: [Int] = []
        /// Objections whose objector's name or phone would not open.
        var unreadableObjections: [Int] = []
    }

    /// Re-seals every nomination under an older key of the ring with the current key, `batch` rows per write;
    /// `maxBatches` stops early (a test's crash half-way). Each row is read again inside its write and
    /// changed only while it is still under the key it was read with, so edits racing with it, and several
    /// instances running it at once, neither lose a change nor re-seal twice. A finished run that moved
    /// anything is on record.
    @discardableResult
    static func reseal(_ app: Application, batch: Int = 500, maxBatches: Int? = nil, actor: Actor = .commandLine(),
                       report: @Sendable (Progress) -> Void = { _ in }) async throws -> Progress {
        guard !app.secrets.olderKeyIDs.isEmpty else { return Progress() }
        // One instance at a time does the work (the others, and `honors key rotate --resume`, find it taken);
        // if that instance dies, its lease runs out and the next sweep of another instance goes on.
        let run = try await Lease(name: "key-reseal", app: app).run { heartbeat in
            try await resealHolding(app, batch: batch, maxBatches: maxBatches, actor: actor, report: report, heartbeat: heartbeat)
        }
        guard let run else { throw Refusal(description: "另一个实例正在重新加密，请稍后用 honors key status 查看进度。") }
        return run
    }

    private static func resealHolding(_ app: Application, batch: Int, maxBatches: Int?, actor: Actor,
                                      report: @Sendable (Progress) -> Void,
                                      heartbeat: @Sendable () async throws -> Void) async throws -> Progress {
        let box = app.secrets
        let older = box.olderKeyIDs
        var progress = Progress()
        var after = 0
        var batches = 0
        while maxBatches.map({ batches < $0 }) ?? true {
            try await heartbeat()
            let from = after
            let step = try await app.write { db in try await resealBatch(db, box: box, older: older, after: from, limit: batch) }
            batches += 1
            guard let last = step.last else { break }
            after = last
            progress.resealed += step.resealed
            progress.unreadable += step.unreadable
            progress.remaining = try await pending(on: app.db, older: older)
            report(progress)
        }
        if maxBatches.map({ batches < $0 }) ?? true {
            let factors = try await app.write { db in try await resealFactors(db, box: box, older: older) }
            progress.resealed += factors.resealed
            progress.unreadable += factors.unreadable
            let objections = try await app.write { db in try await resealObjections(db, box: box, older: older) }
            progress.resealed += objections.resealed
            progress.unreadableObjections += objections.unreadable
        }
        progress.remaining = try await pending(on: app.db, older: older)
        if progress.resealed > 0 || !progress.unreadable.isEmpty || !progress.unreadableObjections.isEmpty {
            let done = progress
            try await app.write { db in
                var changes = [FieldChange("secret_key_id", old: older.joined(separator: ","), new: box.keyID),
                               FieldChange("resealed", old: nil, new: "\(done.resealed)"),
                               FieldChange("remaining", old: nil, new: "\(done.remaining)")]
                if !done.unreadable.isEmpty {
                    changes.append(FieldChange("unreadable", old: nil, new: done.unreadable.map(String.init).joined(separator: ",")))
                }
                if !done.unreadableObjections.isEmpty {
                    changes.append(FieldChange("unreadable_objections", old: nil,
                                               new: done.unreadableObjections.map(String.init).joined(separator: ",")))
                }
                try await Audit.record(on: db, actor: actor, action: "key.reseal", objectType: "key", objectID: box.keyID,
                                       objectLabel: box.keyID, changes: changes, at: app.clock.now())
            }
        }
        return progress
    }

    private struct Step {
        var last: Int?
        var resealed = 0
        var unreadable: [Int] = []
    }

    private static func resealBatch(_ db: any Database, box: SecretBox, older: [String], after: Int, limit: Int) async throws -> Step {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().columns("id", "id_number_enc", "phone_enc", "id_hash", "secret_key_id")
            .from(Nomination.schema)
            .where("secret_key_id", .in, older)
            .where("id", .greaterThan, after)
            .orderBy("id").limit(limit).all()
        var step = Step()
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            step.last = id
            let keyID = try row.decode(column: "secret_key_id", as: String.self)
            let sealedID = try row.decode(column: "id_number_enc", as: String?.self)
            let sealedPhone = try row.decode(column: "phone_enc", as: String?.self)
            let hadHash = try row.decode(column: "id_hash", as: String?.self) != nil
            let idNumber: String?, phone: String?
            do {
                idNumber = try sealedID.map(box.open)
                phone = try sealedPhone.map(box.open)
            } catch {
                step.unreadable.append(id)
                continue
            }
            try await sql.update(Nomination.schema)
                .set("id_number_enc", to: try idNumber.map(box.seal))
                .set("phone_enc", to: try phone.map(box.seal))
                .set("id_hash", to: hadHash ? idNumber.map(box.keyedHash) : nil)
                .set("secret_key_id", to: box.keyID)
                .where("id", .equal, id).where("secret_key_id", .equal, keyID)
                .run()
            step.resealed += 1
        }
        return step
    }

    /// Authenticator secrets (a few, one per user): one write. Unreadable ones are named by negative user id,
    /// apart from nominations.
    private static func resealFactors(_ db: any Database, box: SecretBox, older: [String]) async throws -> Step {
        var step = Step()
        for factor in try await UserFactor.query(on: db).filter(\.$secretKeyID ~~ older).all() {
            let keyID = factor.secretKeyID
            guard let userID = factor.id, let secret = try? box.open(factor.secretSealed) else {
                step.unreadable.append(-(factor.id ?? 0))
                continue
            }
            try await UserFactor.query(on: db).filter(\.$id == userID).filter(\.$secretKeyID == keyID)
                .set(\.$secretSealed, to: try box.seal(secret)).set(\.$secretKeyID, to: box.keyID).update()
            step.resealed += 1
        }
        return step
    }

    /// Objectors' names and phones from the public 公示 page: one write.
    private static func resealObjections(_ db: any Database, box: SecretBox, older: [String]) async throws -> Step {
        var step = Step()
        for objection in try await Objection.query(on: db).filter(\.$secretKeyID ~~ older).all() {
            let keyID = objection.secretKeyID
            guard let id = objection.id, let name = try? box.open(objection.objectorNameSealed),
                  let phone = try? box.open(objection.objectorPhoneSealed) else {
                step.unreadable.append(objection.id ?? 0)
                continue
            }
            try await Objection.query(on: db).filter(\.$id == id).filter(\.$secretKeyID == keyID)
                .set(\.$objectorNameSealed, to: try box.seal(name)).set(\.$objectorPhoneSealed, to: try box.seal(phone))
                .set(\.$secretKeyID, to: box.keyID).update()
            step.resealed += 1
        }
        return step
    }

    /// Rows still under one of `older`: nominations, authenticator secrets and objections.
    static func pending(on db: any Database, older: [String]) async throws -> Int {
        guard !older.isEmpty else { return 0 }
        let sql = db as! any SQLDatabase
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Nomination.schema)
            .where("secret_key_id", .in, older).first()
        let factors = try await UserFactor.query(on: db).filter(\.$secretKeyID ~~ older).count()
        let objections = try await Objection.query(on: db).filter(\.$secretKeyID ~~ older).count()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) + factors + objections
    }

    struct Usage: Sendable, Equatable {
        var nominations = 0
        /// ID numbers and phones.
        var values = 0
    }

    /// What each key seals.
    static func usage(on db: any Database) async throws -> [String: Usage] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT secret_key_id, COUNT(*) AS nominations,
                   SUM(CASE WHEN id_number_enc IS NULL THEN 0 ELSE 1 END + CASE WHEN phone_enc IS NULL THEN 0 ELSE 1 END) AS \(ident: "values")
            FROM nominations WHERE secret_key_id IS NOT NULL GROUP BY secret_key_id
            """).all()
        return try Dictionary(uniqueKeysWithValues: rows.map {
            (try $0.decode(column: "secret_key_id", as: String.self),
             Usage(nominations: try $0.decode(column: "nominations", as: Int.self), values: try $0.decode(column: "values", as: Int.self)))
        })
    }

    /// The service goes on with a re-sealing left unfinished (a crash, a rotation of a ring in the
    /// environment, an instance that wrote with the older key until it read the new ring): on its sweep.
    static func resume(_ app: Application) async {
        let older = app.secrets.olderKeyIDs
        do {
            guard try await pending(on: app.db, older: older) > 0, try await !Lease.held(name: "key-reseal", app: app) else { return }
            app.logger.notice("key ring: re-sealing values under \(older.joined(separator: ","))")
            let done = try await reseal(app, actor: Actor(userID: nil, name: "系统", role: "system", address: "local")) { progress in
                app.logger.info("key ring: re-sealed \(progress.resealed), \(progress.remaining) to go")
            }
            app.logger.notice("key ring: re-sealed \(done.resealed), unreadable \(done.unreadable.count)")
        } catch let refusal as Refusal {
            app.logger.info("key ring: \(refusal.description)")
        } catch is CancellationError {
            app.logger.notice("key ring: re-sealing paused while this instance stops; it goes on at the next poll of a running instance")
        } catch {
            app.logger.error("key ring: re-sealing stopped: \(String(reflecting: error))")
        }
    }

    private static func configuredSource(_ app: Application) throws -> SecretKeySource {
        guard let source = app.secretKeys.source else {
            throw Refusal(description: "此实例的密钥未从文件或环境变量读取，无法轮换。")
        }
        return source
    }

    /// The raw keys of the configured ring, current first.
    private static func ringKeys(_ source: SecretKeySource) throws -> [SymmetricKey] {
        do { return try source.readKeys() } catch { throw Refusal(description: "无法读取当前密钥环。") }
    }

    /// Puts a changed ring in place: a file is replaced in one step and read again; a ring in the environment
    /// cannot be written, so its new value is returned for the operator to set.
    private static func install(_ keys: [SymmetricKey], source: SecretKeySource, app: Application) throws -> String? {
        guard let path = source.path else { return KeyRingFile.environmentValue(keys) }
        try KeyRingFile.replace(path, with: keys)
        try app.secretKeys.reload()
        return nil
    }
}
