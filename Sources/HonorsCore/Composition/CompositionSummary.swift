/// How many nominations of one committee and category hold one stored value of one facet, in the submitted
/// list and in the approved one: `nomination_composition` summed over the states of each `CompositionStage`.
public struct CompositionCount: Sendable, Equatable {
    public let committeeID: Int
    public let category: NominationCategory
    public let facet: CompositionFacet
    public let value: String
    public let submitted: Int
    public let approved: Int

    public init(committeeID: Int, category: NominationCategory, facet: CompositionFacet, value: String,
                submitted: Int, approved: Int) {
        self.committeeID = committeeID
        self.category = category
        self.facet = facet
        self.value = value
        self.submitted = submitted
        self.approved = approved
    }

    public func count(_ stage: CompositionStage) -> Int { stage == .submitted ? submitted : approved }
}

/// The two lists a composition compares: everything that reached the alliance, and what it approved.
public enum CompositionStage: String, CaseIterable, Sendable, Codable {
    case submitted
    case approved

    public var label: String { self == .submitted ? "已上报" : "审核通过" }

    /// Approved includes what went on from approval (公示, its outcome, 表彰), as the dashboard counts it.
    public func includes(_ state: NominationState) -> Bool {
        switch self {
        case .submitted: NominationState.reachedAlliance.contains(state)
        case .approved: state == .approved || NominationState.afterApproval.contains(state)
        }
    }

    /// The states this stage includes, for the query.
    public var states: [NominationState] { NominationState.allCases.filter(includes) }
}

/// The make-up of the submitted and the approved lists by one facet: a count per band, the total, and those
/// whose value is missing or cannot be read.
public struct CompositionTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let band: CompositionBand
        public let submitted: Int
        public let approved: Int

        public func count(_ stage: CompositionStage) -> Int { stage == .submitted ? submitted : approved }
    }

    public let facet: CompositionFacet
    public let rows: [Row]
    public let submittedTotal: Int
    public let approvedTotal: Int

    public func total(_ stage: CompositionStage) -> Int { stage == .submitted ? submittedTotal : approvedTotal }

    /// Nominations of the stage whose value fits no band (a draft's gap, never a complete form).
    public func unknown(_ stage: CompositionStage) -> Int { total(stage) - rows.reduce(0) { $0 + $1.count(stage) } }

    /// `count` of the stage's total in per mille, rounded half up; nil for an empty list.
    public func perMille(_ count: Int, _ stage: CompositionStage) -> Int? {
        Self.perMille(count, of: total(stage))
    }

    /// `part` of `whole` in per mille, rounded half up; nil when `whole` is 0.
    public static func perMille(_ part: Int, of whole: Int) -> Int? {
        whole == 0 ? nil : (part * 2000 + whole) / (2 * whole)
    }
}

/// One committee's people (优秀共产党员 and 优秀党务工作者) from the front line against all of them, submitted
/// and approved, and whether each list falls short of the notice's emphasis (`FrontlinePriority`).
public struct FrontlineLine: Sendable, Equatable {
    public let committeeID: Int
    public let submittedPeople: Int
    public let submittedFrontline: Int
    public let approvedPeople: Int
    public let approvedFrontline: Int

    public init(committeeID: Int, submittedPeople: Int, submittedFrontline: Int, approvedPeople: Int, approvedFrontline: Int) {
        self.committeeID = committeeID
        self.submittedPeople = submittedPeople
        self.submittedFrontline = submittedFrontline
        self.approvedPeople = approvedPeople
        self.approvedFrontline = approvedFrontline
    }

    public var submittedShort: Bool { FrontlinePriority.fallsShort(frontline: submittedFrontline, of: submittedPeople) }
    public var approvedShort: Bool { FrontlinePriority.fallsShort(frontline: approvedFrontline, of: approvedPeople) }
}

/// Turns the stored counts into the tables a report shows.
public enum CompositionSummary {
    /// One table per facet that applies to any of `categories`, counting only those categories.
    public static func tables(_ counts: [CompositionCount], awardYear: Int,
                              categories: Set<NominationCategory>) -> [CompositionTable] {
        // One pass over the counts (a few hundred lines): each into its facet's total and, when it has one, its band.
        var totals: [CompositionFacet: Pair] = [:]
        var byBand: [CompositionFacet: [String: Pair]] = [:]
        for count in counts where categories.contains(count.category) {
            let pair = Pair(submitted: count.submitted, approved: count.approved)
            totals[count.facet, default: Pair()] += pair
            if let band = count.facet.band(of: count.value, awardYear: awardYear) { byBand[count.facet, default: [:]][band, default: Pair()] += pair }
        }
        return CompositionFacet.allCases.filter { facet in categories.contains { facet.applies(to: $0) } }.map { facet in
            let bands = byBand[facet] ?? [:], total = totals[facet] ?? Pair()
            return CompositionTable(
                facet: facet,
                rows: facet.bands.map { band in
                    let pair = bands[band.key] ?? Pair()
                    return CompositionTable.Row(band: band, submitted: pair.submitted, approved: pair.approved)
                },
                submittedTotal: total.submitted, approvedTotal: total.approved)
        }
    }

    /// How many of the submitted and of the approved list.
    private struct Pair {
        var submitted = 0
        var approved = 0

        static func += (lhs: inout Pair, rhs: Pair) {
            lhs.submitted += rhs.submitted
            lhs.approved += rhs.approved
        }
    }

    /// The front-line line of each committee in `committees`, in that order, over the people of `categories`.
    public static func frontline(_ counts: [CompositionCount], committees: [Int],
                                 categories: Set<NominationCategory>) -> [FrontlineLine] {
        var people: [Int: [CompositionStage: Int]] = [:]
        var frontline: [Int: [CompositionStage: Int]] = [:]
        for count in counts where count.facet == .frontline && categories.contains(count.category) {
            for stage in CompositionStage.allCases {
                people[count.committeeID, default: [:]][stage, default: 0] += count.count(stage)
                if count.value == "yes" { frontline[count.committeeID, default: [:]][stage, default: 0] += count.count(stage) }
            }
        }
        return committees.map { id in
            FrontlineLine(committeeID: id, submittedPeople: people[id]?[.submitted] ?? 0,
                          submittedFrontline: frontline[id]?[.submitted] ?? 0,
                          approvedPeople: people[id]?[.approved] ?? 0, approvedFrontline: frontline[id]?[.approved] ?? 0)
        }
    }
}
