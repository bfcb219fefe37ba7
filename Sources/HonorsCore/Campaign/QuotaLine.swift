/// One committee's numbers for one category in one campaign.
///
/// `guiding` comes from the notice's 附件1; `granted` is what approved over-quota requests add;
/// `used` counts nominations whose state occupies a slot.
public struct QuotaLine: Sendable, Equatable {
    public var guiding: Int
    public var granted: Int
    public var used: Int

    public init(guiding: Int, granted: Int = 0, used: Int = 0) {
        self.guiding = guiding
        self.granted = granted
        self.used = used
    }

    /// How many nominations may be submitted.
    public var limit: Int { guiding + granted }
    /// Slots still open; never negative, even if the limit was lowered after submissions.
    public var left: Int { max(0, limit - used) }
    public var isFull: Bool { used >= limit }

    public static func + (a: QuotaLine, b: QuotaLine) -> QuotaLine {
        QuotaLine(guiding: a.guiding + b.guiding, granted: a.granted + b.granted, used: a.used + b.used)
    }
}
