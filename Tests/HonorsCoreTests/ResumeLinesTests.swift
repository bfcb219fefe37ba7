import Foundation
import Testing
@testable import HonorsCore

@Suite struct ResumeLinesTests {
    let today = DayStamp(year: 2024, month: 5, day: 20).start

    @Test func separatorsAndOpenEnd() {
        let text = """
        1998.09—2002.07 内蒙古大学 学生
        2002.07–2005.06 鄂尔多斯市某公司 技术员
        2005.06-2010.12 某某公司 车间主任
        2011.01～2014.12 某某公司 副总经理
        2015.01~2017.12 某某公司 总经理
        2018.01至2019.12 某某集团 党委委员
        2020.01——至今 某某集团 党委书记
        """
        let parsed = ResumeLines.parseResume(text, today: today)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.entries.count == 7)
        #expect(parsed.entries[0].start.description == "1998-09")
        #expect(parsed.entries[0].end?.description == "2002-07")
        #expect(parsed.entries[0].text == "内蒙古大学 学生")
        #expect(parsed.entries[6].end == nil)
        #expect(parsed.entries[6].formatted == "2020.01—今 某某集团 党委书记")
    }

    @Test func otherWaysOfWritingDates() {
        let parsed = ResumeLines.parseResume("２０１０．０７－２０１５．０６ 某公司 职员\n2015年7月至2019年12月 某公司 经理\n２０２０．０１～今　某公司（筹） 书记", today: today)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.entries.count == 3)
        #expect(parsed.entries[2].text == "某公司（筹） 书记")
        #expect(parsed.entries.map(\.start.description) == ["2010-07", "2015-07", "2020-01"])
        #expect(parsed.entries[1].end?.description == "2019-12")
        #expect(parsed.entries[2].end == nil)
        #expect(parsed.entries[1].text == "某公司 经理")
    }

    @Test func startAfterEndNamesTheLine() {
        let parsed = ResumeLines.parseResume("2010.07—2015.06 某公司 职员\n\n2016.07—2015.12 某公司 经理", today: today)
        #expect(parsed.issues.count == 1)
        #expect(parsed.issues[0].message.hasPrefix("第3行"))
        #expect(parsed.issues[0].field == "resume")
    }

    @Test func outOfOrderRefused() {
        let parsed = ResumeLines.parseResume("2015.07—2018.06 乙公司 经理\n2010.07—2015.06 甲公司 职员", today: today)
        #expect(parsed.issues.map(\.message) == ["第2行早于第1行，请按时间先后排列"])
        #expect(parsed.issues.hasErrors)
    }

    @Test func malformedMissingAndFuture() {
        let parsed = ResumeLines.parseResume("在某公司工作\n2010.07—2015.06\n2015.07—2025.01 某公司 经理\n2010.13—2011.01 某公司 职员", today: today)
        let messages = parsed.issues.map(\.message)
        #expect(messages.contains { $0.hasPrefix("第1行格式不对") })
        #expect(messages.contains("第2行缺少单位和职务"))
        #expect(messages.contains("第3行的时间晚于当前月份"))
        #expect(messages.contains { $0.hasPrefix("第4行格式不对") })
        #expect(ResumeLines.parseResume(" \n ", today: today).issues.map(\.message) == ["请填写个人简历"])
    }

    @Test func openPeriodNotLastWarns() {
        let parsed = ResumeLines.parseResume("2010.07—今 甲公司 职员\n2015.07—今 乙协会 兼职秘书长", today: today)
        #expect(parsed.issues.map(\.severity) == [.warning])
        #expect(!parsed.issues.hasErrors)
    }

    @Test func honors() {
        let parsed = ResumeLines.parseHonors("2021.06 中共鄂尔多斯市委 优秀共产党员\n2023年7月 市快递行业党委 优秀党务工作者", today: today)
        #expect(parsed.issues.isEmpty)
        #expect(!parsed.isNone)
        #expect(parsed.entries.map(\.formatted) == ["2021.06 中共鄂尔多斯市委 优秀共产党员", "2023.07 市快递行业党委 优秀党务工作者"])
        #expect(ResumeLines.parseHonors("无", today: today).isNone)
        #expect(ResumeLines.parseHonors(" 无 ", today: today).issues.isEmpty)
    }

    @Test func honorsProblems() {
        let parsed = ResumeLines.parseHonors("优秀共产党员\n2021.06\n2021.06 市委表彰\n2025.01 市委 先进", today: today, field: "honors_received")
        #expect(parsed.issues.map(\.message) == [
            "第1行格式不对，应为“YYYY.MM 授予单位 荣誉名称”，没有表彰请填“无”",
            "第2行缺少授予单位和荣誉名称",
            "第3行请用空格分开授予单位和荣誉名称",
            "第4行的时间 2025.01 晚于当前月份",
        ])
        #expect(parsed.issues.map(\.severity) == [.error, .error, .warning, .error])
        #expect(ResumeLines.parseHonors("", today: today).issues.first?.isError == true)
    }
}
