import Fluent
import Foundation

/// Walks the audit chain from its first event to its head, a batch at a time (a million events in bounded
/// memory), and names the first place where it is broken.
enum AuditVerifier {
    static let batchSize = 1000

    /// What is wrong at the first broken place, in the words an operator reads.
    struct Problem: Sendable, Equatable, CustomStringConvertible {
        enum Kind: String, Sendable {
            /// The event's content does not give its hash: it was changed.
            case altered
            /// One or more places before this event are missing.
            case removed
            /// The event does not follow the one before it: something was inserted or moved.
            case outOfOrder
            /// An event without a place in the chain: written around the application.
            case unchained
            /// The chain's head does not match its last event: events were cut off the end, or the head changed.
            case head
        }

        let kind: Kind
        let eventID: Int?
        let seq: Int?
        let detail: String

        var description: String { detail }
    }

    struct Report: Sendable {
        let count: Int
        let head: AuditChain.Head
        let problem: Problem?
        var isWhole: Bool { problem == nil }
    }

    static func verify(on db: any Database) async throws -> Report {
        var expected = 1
        var previous = AuditChain.genesis
        var lastID = 0
        while true {
            let batch = try await AuditEvent.query(on: db).filter(\.$seq >= expected).sort(\.$seq).limit(batchSize).all()
            for event in batch {
                let id = try event.requireID(), seq = event.seq ?? 0
                let named = "第 \(seq) 条事件（编号 \(id)，\(DateFormatting.minute(event.occurredAt))，\(event.actorName)，\(Audit.actionLabels[event.action] ?? event.action)）"
                guard seq == expected else {
                    return report(expected - 1, previous, .init(kind: .removed, eventID: id, seq: seq,
                        detail: "第 \(expected) 至 \(seq - 1) 条事件缺失：\(named)之前的事件已被删除。"))
                }
                guard event.prevHash == previous, id > lastID else {
                    return report(expected - 1, previous, .init(kind: .outOfOrder, eventID: id, seq: seq,
                        detail: "\(named)与前一条事件接不上：其前有事件被插入、删除或调换了位置。"))
                }
                guard AuditChain.hash(event, seq: seq, prevHash: previous) == event.hash else {
                    return report(expected - 1, previous, .init(kind: .altered, eventID: id, seq: seq,
                        detail: "\(named)的内容与其哈希不符：此事件已被修改。"))
                }
                previous = event.hash ?? ""
                lastID = id
                expected += 1
            }
            if batch.count < batchSize { break }
        }
        let count = expected - 1
        if let stray = try await AuditEvent.query(on: db).filter(\.$seq == nil).sort(\.$id).first() {
            return report(count, previous, .init(kind: .unchained, eventID: stray.id, seq: nil,
                detail: "编号 \(stray.id ?? 0) 的事件（\(DateFormatting.minute(stray.occurredAt))，\(stray.actorName)，\(stray.action)）不在链上：它绕过系统被写入了数据库。"))
        }
        let head = try await AuditChain.head(on: db)
        guard head == AuditChain.Head(count: count, hash: previous) else {
            return Report(count: count, head: head, problem: .init(kind: .head, eventID: nil, seq: head.count,
                detail: "链头记为第 \(head.count) 条（\(head.hash.prefix(16))…），而链上最后一条是第 \(count) 条（\(previous.prefix(16))…）：链尾的事件被删除，或链头被改动。"))
        }
        return Report(count: count, head: head, problem: nil)
    }

    private static func report(_ count: Int, _ hash: String, _ problem: Problem) -> Report {
        Report(count: count, head: AuditChain.Head(count: count, hash: hash), problem: problem)
    }
}
