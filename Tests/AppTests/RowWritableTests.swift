@testable import App
import Fluent
import Testing

/// Models written from their fields (`RowWritable`) write every column the model has: a column added to a
/// model and not to its row list would be left out of bulk writes without a word.
@Suite("Rows written from fields")
struct RowWritableTests {
    static func columns<T: RowWritable>(_ type: T.Type) -> (written: Set<String>, model: Set<String>) {
        (Set(T.columns + ["id"]), Set(T.keys.map(\.description)))
    }

    @Test("each list names every column of its model once, and its row gives a value for each")
    func everyColumn() {
        for (written, model) in [Self.columns(AuditEvent.self), Self.columns(Nomination.self), Self.columns(NominationScan.self),
                                 Self.columns(IntegrityReply.self), Self.columns(NominationReview.self)] {
            #expect(written == model, "missing: \(model.subtracting(written)), extra: \(written.subtracting(model))")
        }
        #expect(AuditEvent.columns.count == Set(AuditEvent.columns).count && Nomination.columns.count == Set(Nomination.columns).count)
        let nomination = Nomination()
        nomination.version = 1
        nomination.category = "member"
        nomination.state = "draft"
        nomination.displayName = "张伟"
        nomination.data = "{}"
        nomination.attestations = "{}"
        nomination.$campaign.id = 1
        nomination.$committee.id = 1
        #expect(nomination.row.count == Nomination.columns.count)
    }
}
