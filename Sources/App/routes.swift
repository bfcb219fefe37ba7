import HonorsCore
import Vapor

/// The route table. Every route sits in exactly one access group; `AccessMatrixTests` walks them all.
func routes(_ app: Application) throws {
    // Every application route: session, then CSRF (after routing, so it knows each route's body limit).
    let site = app.grouped(SessionAuthenticator(), CSRFMiddleware())

    // Anyone.
    try site.register(collection: HealthController())
    try site.register(collection: SignInController())
    // The public 公示 and 表彰 pages, the objection form and the certificate lookup.
    try site.register(collection: PublicController())

    // The machine's monitor only (HONORS_METRICS_ALLOW); no session is looked up for it.
    try app.register(collection: MetricsController())

    // The JSON API (openapi.yaml) under /api/v1: a bearer token, no session, no CSRF (`APIGate`).
    try HonorsAPIHandler.register(on: app)

    // Signed in, any role.
    let signedIn = site.grouped(RequireSignIn())
    try signedIn.register(collection: PasswordController())
    try signedIn.register(collection: SecondFactorController())
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: CampaignController())
    try signedIn.register(collection: CommitteeController())
    // A nomination's pages and actions: the workflow answers who may (404, 403 or the reason on the page).
    try signedIn.register(collection: NominationController())
    try signedIn.register(collection: ScanController())
    try signedIn.register(collection: DecisionController())
    try signedIn.register(collection: ReviewNoteController())
    try signedIn.register(collection: IntegrityReplyController())
    try signedIn.register(collection: NotificationController())
    try signedIn.register(collection: QuotaRequestController())
    try signedIn.register(collection: DocumentController())
    try signedIn.register(collection: ImportController())
    try signedIn.register(collection: PackageController())

    // Committee operators.
    let committee = signedIn.grouped(RequireRole(.committee))
    try committee.register(collection: NominationController.Entry())
    try committee.register(collection: QuotaRequestController.Entry())
    try committee.register(collection: ImportController.Entry())

    // Alliance staff: administrators and reviewers.
    let alliance = signedIn.grouped(RequireRole(.admin, .reviewer))
    try alliance.register(collection: CommitteeController.Alliance())
    try alliance.register(collection: ReviewQueueController())
    try alliance.register(collection: IntegrityController())
    try alliance.register(collection: CompositionController())

    // Administrators.
    let admin = signedIn.grouped(RequireRole(.admin))
    try admin.register(collection: AccountsController())
    try admin.register(collection: CalendarController())
    try admin.register(collection: AuditController())
    try admin.register(collection: CampaignController.Admin())
    try admin.register(collection: CommitteeController.Admin())
    try admin.register(collection: QuotaRequestController.Decision())
    try admin.register(collection: PublicityController())
    try admin.register(collection: TokenController())
}
