import Fluent

/// An industry party committee (行业党委): a standing organisation that takes part in every campaign.
final class Committee: Model, @unchecked Sendable {
    static let schema = "committees"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "active") var active: Bool

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $name, $sortOrder, $active]
    }

    init() {}

    init(name: String, sortOrder: Int) {
        self.name = name
        self.sortOrder = sortOrder
        self.active = true
    }
}
