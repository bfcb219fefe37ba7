import Foundation
import HonorsCore

/// Realistic synthetic nominees for trying Honors and measuring it: valid ID numbers, varied names (rare
/// characters and minority names among them), 1000-character deeds. Never used for real campaigns.
struct DemoData {
    var random = SystemRandomNumberGenerator()
    private var usedIDs: Set<String> = []

    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
    static let givenParts = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽𠮷𬌗")
    static let minorityNames = ["阿卜杜热合曼·买买提", "巴特尔", "其其格", "乌云毕力格", "古丽娜尔·艾尼瓦尔", "斯琴高娃", "那仁满都拉"]
    static let units = ["顺丰速运鄂尔多斯分公司", "京东物流东胜站", "美团外卖康巴什站", "鄂尔多斯物业服务有限公司",
                        "鄂尔多斯公交集团", "伊金霍洛旗个体工商户协会", "鄂尔多斯网络科技有限公司", "中通快递达拉特旗网点"]
    static let posts = ["站长", "快递员", "骑手", "项目经理", "驾驶员", "客服主管", "网格员", "党支部书记"]
    static let frontlinePosts: Set<String> = ["站长", "快递员", "骑手", "驾驶员", "网格员"]
    static let sentences = [
        "该同志始终坚持以习近平新时代中国特色社会主义思想为指导，带头学习党的创新理论。",
        "在本职岗位上务实苦干，连续多年超额完成各项工作任务，受到单位和群众的一致好评。",
        "疫情期间主动请缨，带领党员突击队坚守一线，保障了辖区居民生活物资的及时配送。",
        "积极推动党建工作与业务工作深度融合，创新开展“党员先锋岗”“党员责任区”等活动。",
        "热心公益事业，利用业余时间组织志愿服务二十余次，帮助困难群众解决实际问题。",
        "严格遵守党章党规党纪，按时足额缴纳党费，认真参加组织生活，发挥了先锋模范作用。",
        "注重培养青年骨干，先后带出十余名业务能手，其中三人已成为入党积极分子。",
        "面对急难险重任务冲锋在前，在暴雪天气中坚持完成应急物资运输，赢得广泛赞誉。",
    ]

    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }

    mutating func name() -> String {
        if Int.random(in: 0..<12, using: &random) == 0 { return pick(Self.minorityNames) }
        let given = (0..<Int.random(in: 1...2, using: &random)).map { _ in String(pick(Self.givenParts)) }.joined()
        return String(pick(Self.surnames)) + given
    }

    /// A valid, unused ID number of someone born 1965–1995 in Ordos.
    mutating func idNumber(male: Bool) -> (String, birth: String) {
        while true {
            let year = Int.random(in: 1965...1995, using: &random), month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...28, using: &random)
            var sequence = Int.random(in: 1...998, using: &random)
            if (sequence % 2 == 1) != male { sequence += 1 }
            let area = pick(["150602", "150603", "150621", "150622", "150627"])
            let first17 = area + year.zeroPadded(4) + month.zeroPadded(2) + day.zeroPadded(2) + sequence.zeroPadded(3)
            let number = first17 + String(IDNumber.checkCharacter(first17)!)
            if usedIDs.insert(number).inserted { return (number, year.zeroPadded(4) + "-" + month.zeroPadded(2)) }
        }
    }

    /// Sentences to about `target` characters. Each sentence ends with 。, so counts add up sentence by sentence.
    mutating func deeds(target: Int = 1000) -> String {
        var text = "", count = 0
        while count < target {
            let index = Int.random(in: 0..<Self.sentences.count, using: &random)
            text += Self.sentences[index]
            count += Self.sentenceCounts[index]
        }
        return text
    }

    static let sentenceCounts = sentences.map(CharacterCount.count)

    mutating func phone() -> String { "1" + pick(["38", "39", "58", "86", "87", "99"]) + Int.random(in: 0..<100_000_000, using: &random).zeroPadded(8) }

    /// A complete form for `category`, the committee's opinion signed on `signedOn`.
    mutating func values(for category: NominationCategory, signedOn: DayStamp) -> [String: String] {
        let opinion = ["committee_opinion": "经行业党委研究，同意推荐。", "committee_signer": name(),
                       "committee_opinion_date": signedOn.description]
        if category == .org {
            let unit = pick(Self.units)
            return ["org_name": "\(unit)党支部", "org_unit": unit, "org_leader": name(),
                    "member_count": "\(Int.random(in: 3...60, using: &random))",
                    "basic_info": "该党支部现有党员若干名，设支部委员会，组织生活规范。", "honors_received": "无",
                    "deeds": deeds()].merging(opinion) { $1 }
        }
        let male = Bool.random(using: &random)
        // Couriers, riders, drivers and grid workers are the front line; managers and office posts are not.
        let post = pick(Self.posts)
        let (id, birth) = idNumber(male: male)
        let birthYear = Int(birth.prefix(4))!
        // Joined at 20–30, and no later than 2021: full member and two years of party work before today.
        let join = min(birthYear + Int.random(in: 20...30, using: &random), 2021)
        var values = [
            "recommending_branch": "\(pick(Self.units))党支部", "name": name(), "gender": male ? "男" : "女",
            "ethnicity": pick(["01", "01", "01", "01", "01", "01", "02", "02", "03", "11"]), "birth_month": birth,
            "native_place": pick(["内蒙古鄂尔多斯", "内蒙古包头", "陕西榆林", "山西大同"]),
            "work_start_month": "\(birthYear + 20)-07", "party_join_date": "\(join)-06", "full_member_date": "\(join + 1)-06",
            "education": pick(["21", "21", "31", "31", "41", "61", "14", "71"]), "professional_title": "",
            "unit_and_position": "\(pick(Self.units)) \(post)", "frontline": Self.frontlinePosts.contains(post) ? "yes" : "no",
            "id_number": id, "phone": phone(),
            "resume": "\(birthYear + 20).07—今 \(pick(Self.units)) \(pick(Self.posts))", "honors_received": "无",
            "deeds": deeds(),
        ]
        if category == .worker {
            values["party_post"] = "党支部书记"
            values["party_work_since"] = "\(join + 2)-01"
        }
        return values.merging(opinion) { $1 }
    }
}
