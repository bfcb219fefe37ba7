import Fluent

/// An industry party committee (行业党委): a standing organisation that takes part in every campaign.
final class Committee: Model, @unchecked Sendable {
    static let schema = "committees"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "active") var active: Bool

    init() {}

    init(name: String, sortOrder: Int) {
        self.name = name
        self.sortOrder = sortOrder
        self.active = true
    }
}
