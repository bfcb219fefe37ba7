import Fluent
import SQLKit

/// A search of the nomination list by name (`?q=`), walked through `nomination_name_chars`
/// (`CreateNominationNameIndex`): from the newest nomination whose name has one of the searched characters,
/// each checked against the whole text, until the page is full. What it finds is what `display_name LIKE
/// '%q%'` finds; the index only decides where to look.
enum NameSearch {
    /// The character the walk goes by: the last of `q` without case (a Chinese character, a digit, a dot), as
    /// the index holds characters as written while LIKE ignores ASCII case; one Unicode scalar, as the
    /// database splits names. Nil (a search of Latin letters only): the list is walked itself.
    static func key(_ q: String) -> String? {
        q.reversed().first { $0.unicodeScalars.count == 1 && !$0.isWhitespace && $0.lowercased() == $0.uppercased() }
            .map(String.init)
    }

    /// Filters `query` to names containing `q`, newest first, and returns it.
    static func filter(_ query: QueryBuilder<Nomination>, containing q: String) -> QueryBuilder<Nomination> {
        let query = query.filter(\.$displayName ~~ q)
        guard let key = key(q) else { return query.sort(\.$id, .descending) }
        query.query.joins.append(.custom(SQLQueryString("""
            JOIN nomination_name_chars ON nomination_name_chars.nomination_id = nominations.id \
            AND nomination_name_chars.ch = \(bind: key)
            """)))
        // Ordered by the index's column, so the database walks the index backwards from the newest.
        return query.sort(.custom(SQLRaw("nomination_name_chars.nomination_id DESC")))
    }
}
