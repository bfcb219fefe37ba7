import Foundation

/// 鄂党联发〔2024〕4号 as data: the campaign Honors is first set up with.
public enum Notice2024 {
    public static let title = "关于开展全市“两新”党建联盟 2023年度“两优一先”推荐表彰活动的通知"
    public static let documentNumber = "鄂党联发〔2024〕4号"
    public static let issuer = "中共鄂尔多斯市新业态新就业群体党建联盟"
    public static let awardYear = 2023
    /// 2024 年 5 月 15 日.
    public static let issuedOn = DayStamp(year: 2024, month: 5, day: 15)
    /// "2024 年 5 月 30 日前" — taken as the end of that day.
    public static let deadlineDay = DayStamp(year: 2024, month: 5, day: 30)
    public static let contactUnit = "市个体私营经济组织党委"
    public static let contactPerson = "蔺可可"
    public static let contactPhone = "18647176667"
    public static let contactEmail = "313439386@qq.com"
    /// 联盟 2024 年轮值常务理事单位.
    public static let rotatingUnit = "市个私党委"
    /// Who signs the notice, and the decision that ends the campaign.
    public static let issuingBody = "中共鄂尔多斯市新业态新就业群体党建联盟"

    public static let settings = CampaignSettings(
        deedsTarget: 1000, deedsTolerancePercent: 20, deedsMinimumPercent: 50, deedsMaximumPercent: 300,
        memberWorkerExclusive: true
    )

    /// 附件1, row by row: committee and its guiding numbers (先进基层党组织, 优秀党务工作者, 优秀共产党员).
    public static let quotas: [(committee: String, org: Int, worker: Int, member: Int)] = [
        ("市个体私营经济组织党委", 2, 1, 2),
        ("市互联网行业党委", 1, 1, 1),
        ("市快递行业党委", 1, 1, 1),
        ("市物业行业党委", 1, 1, 1),
        ("市交通运输行业党委", 2, 1, 2),
        ("伊旗个体私营经济组织党委", 2, 1, 2),
    ]
}
