import HonorsCore

/// What the composition page shows of a `CompositionReport` (`CompositionPageView.swift`): tables with their charts beside them.
struct CompositionView {
    /// One committee's quota (guiding+granted), submitted and approved in one category, or in all shown.
    struct ProgressCell {
        let quota: String
        let submitted: Int
        let approved: Int
    }

    struct ProgressRow {
        let committee: String
        let cells: [ProgressCell]
    }

    struct FrontlineRow {
        let committee: String
        let submittedPeople: Int
        let submittedFrontline: Int
        let submittedShare: String
        let submittedShort: Bool
        let approvedPeople: Int
        let approvedFrontline: Int
        let approvedShare: String
        let approvedShort: Bool
    }

    struct BandRow {
        let label: String
        let submitted: Int
        let submittedShare: String
        let approved: Int
        let approvedShare: String
    }

    struct Facet {
        let key: String
        let label: String
        let rows: [BandRow]
        let submittedTotal: Int
        let approvedTotal: Int
        let submittedUnknown: Int
        let approvedUnknown: Int
        let hasUnknown: Bool
        let chart: String
    }

    let campaign: CampaignController.Summary
    let awardYear: Int
    let scope: String
    let query: String
    let committees: [SelectOption]
    let categories: [SelectOption]
    /// The categories shown, then 合计 when there are several.
    let progressLabels: [String]
    let progress: [ProgressRow]
    let progressChart: String
    let frontline: [FrontlineRow]
    /// All committees shown together.
    let frontlineTotal: FrontlineRow
    let frontlineChart: String
    let hasFrontline: Bool
    let shortLists: [String]
    let minimumPercent: Int
    let facets: [Facet]

    /// "42.9%" of a per mille, "—" for an empty list.
    static func percent(_ perMille: Int?) -> String {
        perMille.map { "\($0 / 10).\($0 % 10)%" } ?? "—"
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        percent(CompositionTable.perMille(part, of: whole))
    }

    init(_ report: CompositionReport, campaign: CampaignController.Summary, committeeOptions: [SelectOption]) {
        self.campaign = campaign
        awardYear = report.awardYear
        scope = report.scope
        query = report.filters.query
        committees = committeeOptions
        categories = NominationCategory.quotaTableOrder.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == report.filters.category)
        }
        let categories = report.filters.categories
        progressLabels = categories.map(\.label) + (categories.count > 1 ? ["合计"] : [])
        progress = report.committees.map { committee in
            let lines = report.progress.filter { $0.committee.id == committee.id }
            func cell(_ lines: [CompositionReport.Progress]) -> ProgressCell {
                let guiding = lines.reduce(0) { $0 + $1.guiding }, granted = lines.reduce(0) { $0 + $1.granted }
                return ProgressCell(quota: granted > 0 ? "\(guiding)+\(granted)" : "\(guiding)",
                                    submitted: lines.reduce(0) { $0 + $1.submitted }, approved: lines.reduce(0) { $0 + $1.approved })
            }
            return ProgressRow(committee: committee.name,
                               cells: categories.map { category in cell(lines.filter { $0.category == category }) }
                                   + (categories.count > 1 ? [cell(lines)] : []))
        }
        progressChart = Self.progressChart(report)
        let names = Dictionary(uniqueKeysWithValues: report.committees.map { ($0.id, $0.name) })
        let people = report.filters.category.map(\.isPerson) ?? true
        func frontlineRow(_ name: String, _ line: FrontlineLine) -> FrontlineRow {
            FrontlineRow(committee: name, submittedPeople: line.submittedPeople, submittedFrontline: line.submittedFrontline,
                         submittedShare: Self.percent(line.submittedFrontline, of: line.submittedPeople),
                         submittedShort: line.submittedShort, approvedPeople: line.approvedPeople,
                         approvedFrontline: line.approvedFrontline,
                         approvedShare: Self.percent(line.approvedFrontline, of: line.approvedPeople), approvedShort: line.approvedShort)
        }
        frontline = people ? report.frontline.map { frontlineRow(names[$0.committeeID] ?? "", $0) } : []
        frontlineTotal = frontlineRow("合计", report.frontlineTotal)
        hasFrontline = people
        shortLists = report.frontline.flatMap { line -> [String] in
            let name = names[line.committeeID] ?? ""
            return (line.submittedShort ? ["\(name)（已上报）"] : []) + (line.approvedShort ? ["\(name)（审核通过）"] : [])
        }
        minimumPercent = FrontlinePriority.minimumPercent
        frontlineChart = people ? BarChart(
            id: "chart-frontline", title: "各行业党委个人推荐中一线人员占比",
            series: CompositionStage.allCases.map { BarChart.Series(label: $0.label, style: $0 == .submitted ? .solid : .hatched) },
            groups: report.frontline.map { line in
                let shares = [(line.submittedFrontline, line.submittedPeople), (line.approvedFrontline, line.approvedPeople)]
                return BarChart.Group(label: names[line.committeeID] ?? "",
                                      values: shares.map { $1 == 0 ? 0 : Double($0) / Double($1) * 100 },
                                      texts: shares.map { "\($0)/\($1) 人（\(Self.percent($0, of: $1))）" })
            },
            maximum: 100, reference: (Double(FrontlinePriority.minimumPercent), "半数")).svg : ""
        // 一线 has its own section, by committee.
        facets = report.tables.filter { $0.facet != .frontline }.map { table in
            Facet(key: table.facet.rawValue, label: table.facet.label,
                  rows: table.rows.map { row in
                      BandRow(label: row.band.label, submitted: row.submitted, submittedShare: Self.percent(table.perMille(row.submitted, .submitted)),
                              approved: row.approved, approvedShare: Self.percent(table.perMille(row.approved, .approved)))
                  },
                  submittedTotal: table.submittedTotal, approvedTotal: table.approvedTotal,
                  submittedUnknown: table.unknown(.submitted), approvedUnknown: table.unknown(.approved),
                  hasUnknown: table.unknown(.submitted) + table.unknown(.approved) > 0,
                  chart: Self.facetChart(table))
        }
    }

    /// Per committee: quota, submitted and approved, summed over the categories shown.
    static func progressChart(_ report: CompositionReport) -> String {
        let lines = report.committees.map { committee -> (String, [Int]) in
            let mine = report.progress.filter { $0.committee.id == committee.id }
            return (committee.name, [mine.reduce(0) { $0 + $1.guiding + $1.granted }, mine.reduce(0) { $0 + $1.submitted },
                                     mine.reduce(0) { $0 + $1.approved }])
        }
        let maximum = lines.flatMap(\.1).max() ?? 0
        return BarChart(id: "chart-progress", title: "各行业党委名额、已上报与审核通过",
                        series: [.init(label: "名额", style: .outlined), .init(label: "已上报", style: .solid),
                                 .init(label: "审核通过", style: .hatched)],
                        groups: lines.map { name, values in
                            BarChart.Group(label: name, values: values.map(Double.init), texts: values.map { "\($0)" })
                        },
                        maximum: Double(max(maximum, 1))).svg
    }

    /// Per band: the share of the submitted and of the approved list, each bar labelled with count and share.
    static func facetChart(_ table: CompositionTable) -> String {
        BarChart(id: "chart-\(table.facet.rawValue)", title: table.facet.label + "构成",
                 series: CompositionStage.allCases.map { BarChart.Series(label: $0.label, style: $0 == .submitted ? .solid : .hatched) },
                 groups: table.rows.map { row in
                     let stages = CompositionStage.allCases
                     return BarChart.Group(label: row.band.label,
                                           values: stages.map { Double(table.perMille(row.count($0), $0) ?? 0) / 10 },
                                           texts: stages.map { "\(row.count($0))（\(percent(table.perMille(row.count($0), $0)))）" })
                 },
                 maximum: scale(table.rows.flatMap { row in CompositionStage.allCases.map { Double(table.perMille(row.count($0), $0) ?? 0) / 10 } })).svg
    }

    /// The largest share rounded up to the next ten per cent: short bars stay readable, and the scale is round.
    static func scale(_ shares: [Double]) -> Double {
        min(100, max(10, ((shares.max() ?? 0) / 10).rounded(.up) * 10))
    }
}
