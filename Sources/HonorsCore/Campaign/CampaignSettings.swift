/// The rule settings a campaign's notice gives. Copied with the campaign, so each year can change them.
public struct CampaignSettings: Sendable, Equatable, Codable {
    /// "1000 字左右" — the target length of 主要事迹.
    public var deedsTarget: Int
    /// Percent around the target inside which no warning is shown.
    public var deedsTolerancePercent: Int
    /// Below target × this percent / 100 a nomination cannot be submitted.
    public var deedsMinimumPercent: Int
    /// Above target × this percent / 100 a nomination cannot be submitted.
    public var deedsMaximumPercent: Int
    /// "优秀共产党员和优秀党务工作者的推荐不交叉重复".
    public var memberWorkerExclusive: Bool
    /// "上报须附盖章扫描件": a nomination is submitted only with a scan signed on its current data.
    public var requireScan: Bool

    public init(deedsTarget: Int, deedsTolerancePercent: Int, deedsMinimumPercent: Int,
                deedsMaximumPercent: Int, memberWorkerExclusive: Bool, requireScan: Bool = true) {
        self.deedsTarget = deedsTarget
        self.deedsTolerancePercent = deedsTolerancePercent
        self.deedsMinimumPercent = deedsMinimumPercent
        self.deedsMaximumPercent = deedsMaximumPercent
        self.memberWorkerExclusive = memberWorkerExclusive
        self.requireScan = requireScan
    }
}
