@testable import App
import FluentKit
import Testing

/// Models list their property wrappers for Fluent instead of letting it reflect over them on every query and row;
/// a wrapper added to a model and left out of its list would never be read or written.
@Suite("Models' listed properties")
struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        Nomination.self, Campaign.self, AuditEvent.self, User.self, Committee.self, CampaignQuota.self, Publicity.self,
        Objection.self, Commendation.self, Certificate.self, NominationScan.self, NominationReview.self,
        ReviewerRecusal.self, App.Notification.self, UserSession.self, PackageJob.self, QuotaRequest.self,
        IntegrityReply.self, DeadlineExtension.self,
    ]

    @Test("each list holds every property wrapper reflection finds, the same instances in the same order", arguments: models.indices)
    func listed(_ index: Int) {
        let model = Self.models[index].init()
        let listed = model.properties.map { $0 as AnyObject }
        let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { $0 as AnyObject }
        #expect(listed.count == reflected.count, "\(type(of: model)): \(listed.count) listed, \(reflected.count) declared")
        #expect(zip(listed, reflected).allSatisfy { $0 === $1 }, "\(type(of: model)): not the same wrappers in the same order")
    }
}
