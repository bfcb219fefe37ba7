import HonorsCore

/// What `composition.leaf` shows of a `CompositionReport`: tables with their charts beside them.
struct CompositionView: Encodable {
    struct ProgressRow: Encodable {
        let committee: String
        let category: String
        let quota: String
        let submitted: Int
        let approved: Int
        /// More submitted than guiding and granted allow: a quota question for the administrator.
        let over: Bool
    }

    struct FrontlineRow: Encodable {
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

    struct BandRow: Encodable {
        let label: String
        let submitted: Int
        let submittedShare: String
        let approved: Int
        let approvedShare: String
    }

    struct Facet: Encodable {
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
    let progress: [ProgressRow]
    let progressChart: String
    let frontline: [FrontlineRow]
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
        percent(whole == 0 ? nil : (part * 2000 + whole) / (2 * whole))
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
        progress = report.progress.map { line in
            ProgressRow(committee: line.committee.name, category: line.category.label,
                        quota: line.granted > 0 ? "\(line.guiding)+\(line.granted)" : "\(line.guiding)",
                        submitted: line.submitted, approved: line.approved, over: line.submitted > line.guiding + line.granted)
        }
        progressChart = Self.progressChart(report)
        let names = Dictionary(uniqueKeysWithValues: report.committees.map { ($0.id, $0.name) })
        let people = report.filters.category.map(\.isPerson) ?? true
        frontline = people ? report.frontline.map { line in
            FrontlineRow(committee: names[line.committeeID] ?? "", submittedPeople: line.submittedPeople,
                         submittedFrontline: line.submittedFrontline,
                         submittedShare: Self.percent(line.submittedFrontline, of: line.submittedPeople),
                         submittedShort: line.submittedShort, approvedPeople: line.approvedPeople,
                         approvedFrontline: line.approvedFrontline,
                         approvedShare: Self.percent(line.approvedFrontline, of: line.approvedPeople), approvedShort: line.approvedShort)
        } : []
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
                                      texts: shares.map { "\($0)/\($1) 人 \(Self.percent($0, of: $1))" })
            },
            maximum: 100, reference: (Double(FrontlinePriority.minimumPercent), "半数")).svg : ""
        facets = report.tables.map { table in
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
                                           texts: stages.map { "\(row.count($0)) \(percent(table.perMille(row.count($0), $0)))" })
                 },
                 maximum: 100).svg
    }
}
