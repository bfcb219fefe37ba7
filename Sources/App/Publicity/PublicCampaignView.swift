/// A campaign's public page (`GET /public/campaigns/{id}`): the 公示 or the 表彰名单, and while the 公示 runs the
/// objection form. Anyone may open it, so it is read most of all in those days.
extension PublicController.CampaignView {
    func html(csrf: String) -> HTML {
        """
        <h1 id="public-title">\(title)</h1>
        \(stageLine)
        \(groups.html(group))
        \(HTML.when(stage == "running", objectionBox(csrf: csrf)))
        <p><a href="/public/certificates">荣誉证书查验</a></p>
        """
    }

    private var stageLine: HTML {
        switch stage {
        case "commended":
            return "<p id=\"public-stage\">经公示无异议，\(decisionNumber ?? "")决定表彰以下先进基层党组织和个人。</p>"
        case "upcoming":
            return "<p id=\"public-stage\">公示将于\(period)进行，届时在此公布拟表彰对象名单。</p>"
        case "ended":
            return "<p class=\"notice\" id=\"public-stage\">公示期（\(period)）已结束，不再受理异议。</p>"
        default:
            let address: HTML = contactAddress.isEmpty ? "" : "，地址：\(contactAddress)"
            return """
                <p id="public-stage">现将拟表彰对象予以公示，公示期为<strong>\(period)</strong>（\(workingDays)个工作日）。\
                公示期间如有异议，请以真实姓名向\(contactUnit)反映（电话：\(contactPhone)\(address)），或使用本页下方的表格提出；匿名反映不予受理。</p>
                """
        }
    }

    private func group(_ group: PublicController.Group) -> HTML {
        // The 表彰名单 is names only; the 公示 shows each one's 主要事迹 for the public to judge.
        let deeds = stage != "commended"
        let summaryHead: HTML = deeds ? "<th>主要事迹</th>" : ""
        let head: HTML = group.person
            ? "<thead><tr><th>姓名</th><th>性别</th><th>民族</th><th>工作单位及职务</th>\(summaryHead)</tr></thead>"
            : "<thead><tr><th>党组织名称</th><th>所在单位</th>\(summaryHead)</tr></thead>"
        let rows = group.entries.html { entry -> HTML in
            let summary: HTML = deeds ? "<td class=\"pre\">\(entry.summary)</td>" : ""
            return group.person
                ? "<tr><td>\(entry.name)</td><td>\(entry.gender)</td><td>\(entry.ethnicity)</td><td>\(entry.unit)</td>\(summary)</tr>"
                : "<tr><td>\(entry.name)</td><td>\(entry.unit)</td>\(summary)</tr>"
        }
        return """
            <section class="public-group">
            <h2>\(group.title)</h2>
            <table class="grid public-list">
              \(head)
              <tbody>\(rows)</tbody>
            </table>
            </section>

            """
    }

    private func objectionBox(csrf: String) -> HTML {
        func fieldError(_ key: String) -> HTML { .fieldError(errors[key]) }
        let filedNotice: HTML = filed ? "<p class=\"notice success\" role=\"status\" id=\"objection-filed\">您的异议已收到，联盟将逐一核查。感谢您的监督。</p>" : ""
        let formError = errors["form"].map { "<p class=\"notice error\" role=\"alert\" id=\"objection-error\">\($0)</p>" as HTML } ?? HTML()
        let choices = options.html { "<option value=\"\($0.value)\"\(HTML.when($0.selected, " selected"))>\($0.label)</option>" }
        return """
            <section class="submit-box narrow" id="objection">
            <h2>提出异议</h2>
            \(filedNotice)
            \(formError)
            <form method="post" action="/public/campaigns/\(campaignID)/objections" class="stacked" id="objection-form" enctype="multipart/form-data" novalidate>
              <input type="hidden" name="_csrf" value="\(csrf)">
              <label for="objector_name">您的真实姓名</label>
              <input id="objector_name" name="objector_name" value="\(input["objector_name"] ?? "")" autocomplete="name">
              \(fieldError("objector_name"))
              <label for="objector_phone">联系电话</label>
              <input id="objector_phone" name="objector_phone" value="\(input["objector_phone"] ?? "")" autocomplete="tel" inputmode="tel">
              \(fieldError("objector_phone"))
              <label for="nomination">反映对象</label>
              <select id="nomination" name="nomination"><option value="">请选择</option>\(choices)</select>
              \(fieldError("nomination"))
              <label for="content">反映的问题和事实依据</label>
              <textarea id="content" name="content" rows="6">\(input["content"] ?? "")</textarea>
              \(fieldError("content"))
              <label for="attachment">证明材料（可选，PDF 或图片，最大 10 MB）</label>
              <input type="file" id="attachment" name="attachment" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png">
              \(fieldError("attachment"))
              <p class="hint">您的姓名和电话仅供联盟核查时联系您，不会公开。</p>
              <div class="actions"><button type="submit" class="primary" id="file-objection">提交异议</button></div>
            </form>
            </section>

            """
    }
}
