import Fluent
import FluentSQL
import SQLKit

extension Database {
    /// The `T` whose id is `id`, read by one plain statement into the model Fluent would give. A Fluent query writes
    /// every column as a qualified, aliased identifier through SQLKit, whose quoting costs more than the read
    /// itself for a wide model (a nomination has 33 columns; this was a sixth of its page).
    func model<T: Model>(_ type: T.Type, id: Int) async throws -> T? where T.IDValue == Int {
        try await (self as! any SQLDatabase).raw("SELECT * FROM \(ident: T.schema) WHERE id = \(bind: id)").first()?
            .decode(model: T.self)
    }
}
