/// One `<option>` of a `<select>`, as every template expects it.
struct SelectOption: Encodable {
    let value: String
    let label: String
    let selected: Bool

    init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }

    /// Options for records with integer ids, `selected` the id currently chosen (as typed in the form).
    init(id: Int, label: String, selected: String?) {
        self.init(value: "\(id)", label: label, selected: "\(id)" == selected)
    }
}

extension Sequence<SelectOption> {
    /// A `<select>` named `name` of these, after a first option for no filter labelled `unfiltered` (none when nil).
    func filterSelect(_ name: String, unfiltered: String? = "全部") -> HTML {
        let options = html { "<option value=\"\($0.value)\"\(HTML.when($0.selected, " selected"))>\($0.label)</option>" }
        let first = unfiltered.map { "<option value=\"\">\($0)</option>" } ?? HTML()
        return "<select name=\"\(name)\">\(first)\(options)</select>"
    }

    /// These as radio buttons named `name`, each in its label, the selected one checked.
    func radioChoices(_ name: String) -> HTML {
        html { "<label class=\"check\"><input type=\"radio\" name=\"\(name)\" value=\"\($0.value)\"\(HTML.when($0.selected, " checked"))> \($0.label)</label>" }
    }
}
