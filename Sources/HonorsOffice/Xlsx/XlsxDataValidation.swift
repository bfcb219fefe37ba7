import Foundation

/// A data validation over a range, e.g. the dropdowns of an import template.
public struct XlsxDataValidation: Sendable, Equatable {
    /// What the cells accept.
    public enum Rule: Sendable, Equatable {
        /// A dropdown of fixed values; Excel limits the joined list to 255 characters and forbids commas.
        case list([String])
        /// A dropdown of the values in a range, e.g. `XlsxReference.absoluteColumnRange(...)`; the way to
        /// offer long code lists.
        case listFromRange(String)
        /// Text whose length lies in the range, e.g. 18 for ID numbers.
        case textLength(ClosedRange<Int>)
        /// Whole numbers in the range.
        case wholeNumber(ClosedRange<Int>)
    }

    /// Target cells, e.g. "C3:C1000" (several ranges separated by spaces).
    public var range: String
    /// What is accepted.
    public var rule: Rule
    /// Optional fields stay empty without an error.
    public var allowsBlank: Bool
    /// Shown when the cell is selected.
    public var prompt: String?
    /// Shown when a value is rejected.
    public var errorMessage: String?

    /// A validation; messages are optional but help users of a template.
    public init(range: String, rule: Rule, allowsBlank: Bool = true, prompt: String? = nil,
                errorMessage: String? = nil) {
        self.range = range
        self.rule = rule
        self.allowsBlank = allowsBlank
        self.prompt = prompt
        self.errorMessage = errorMessage
    }
}
