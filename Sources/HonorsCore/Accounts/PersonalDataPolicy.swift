/// What leaves Honors carrying a nominee's ID number and phone.
public enum PersonalDataOutput: String, CaseIterable, Sendable {
    /// Pages on screen: the nomination, its edit form, lists.
    case page
    /// The approval form (审批表), Word or PDF.
    case form
    /// The 汇总表 (xlsx).
    case summary
    /// A material package: forms, scans and the 汇总表 inside.
    case package
    /// A stamped scan of the printed form: a picture, so it cannot be masked.
    case scan
    /// The JSON API (`/api/v1`): read by other systems, so masked as a page is.
    case api
}

/// How an output shows the ID number and phone.
public enum Disclosure: String, Sendable, Comparable {
    case refused
    case masked
    case full

    private var rank: Int { self == .refused ? 0 : self == .masked ? 1 : 2 }
    public static func < (a: Disclosure, b: Disclosure) -> Bool { a.rank < b.rank }
}

/// Who sees full ID numbers and phones, for which records, in which output: the one table every page,
/// document, export and package asks (`docs/security.md` prints it).
///
/// - The committee, for its own nominations: in full on paper (it prints and stamps the forms), masked on screen.
/// - The administrator: the same, for every committee.
/// - A reviewer: masks everywhere, and no scans, unless the administrator has granted a reveal.
/// - Another committee, a recused reviewer and the public: nothing.
///
/// Screens always mask: nobody reads a full number off a page over someone's shoulder. So does the API: what
/// another system reads back it may show anywhere.
public enum PersonalDataPolicy {
    /// `relation` nil: a visitor without an account.
    public static func disclosure(_ relation: ActorRelation?, output: PersonalDataOutput, revealGranted: Bool) -> Disclosure {
        guard let relation else { return .refused }
        let onPaper: Disclosure = output == .page || output == .api ? .masked : .full
        switch relation {
        case .otherCommittee, .recusedReviewer: return .refused
        case .ownCommittee, .administrator: return onPaper
        case .reviewer:
            if revealGranted { return onPaper }
            return output == .scan ? .refused : .masked
        }
    }

    /// An objector's name and phone (from the public 公示 page): the administrator alone, who checks the
    /// objection and calls back, sees them in full, on a page of their own that is on record; lists mask them.
    /// Nobody else sees them at all.
    public static func objectorContact(_ relation: ActorRelation?) -> Disclosure {
        relation == .administrator ? .full : .refused
    }
}
