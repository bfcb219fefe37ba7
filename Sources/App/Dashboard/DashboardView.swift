/// `GET /`: the current campaign with what the user does next, its quota table, and the other campaigns.
extension DashboardController.DashboardView {
    var html: HTML {
        let heading: HTML = "<h1>工作台\(committeeName.map { " · \($0)" } ?? HTML())</h1>\n"
        return heading + (campaign.map(current) ?? "<p class=\"empty\">还没有推荐活动。</p>\n") + HTML.when(!others.isEmpty, """
            <section class="others">
              <h2>其他推荐活动</h2>
              <ul>\(others.html { "<li><a href=\"/campaigns/\($0.id)\">\($0.documentNumber)</a> \($0.awardYear) 年度 · \($0.status)</li>" })</ul>
            </section>

            """)
    }

    private func current(_ campaign: CampaignController.Summary) -> HTML {
        let nominate: HTML = """
            <p class="actions" id="nominate-actions"><a class="button primary" href="/nominations/new?category=org">推荐先进基层党组织</a>\
            <a class="button primary" href="/nominations/new?category=member">推荐优秀共产党员</a>\
            <a class="button primary" href="/nominations/new?category=worker">推荐优秀党务工作者</a>\
            <a class="button" href="/nominations">本党委的推荐</a><a class="button" href="/import">从 Excel 导入</a>\
            <a class="button" href="/campaigns/\(campaign.id)/packages">材料包</a></p>

            """
        return """
            <section class="campaign-head">
              <p class="doc-number">\(campaign.documentNumber) <span class="status \(HTML.when(campaign.open, "open"))">\(campaign.status)</span></p>
              <h2><a href="/campaigns/\(campaign.id)">\(campaign.title)</a></h2>
              <dl class="facts">
                <dt>表彰年度</dt><dd>\(campaign.awardYear) 年度</dd>
                <dt>报送截止</dt><dd>\(campaign.deadline)（北京时间当日 24 时）</dd>
              </dl>
            </section>
            \(HTML.when(canNominate, nominate))\(overview?.html ?? HTML())
            \(quotas?.html ?? HTML())

            """
    }
}
