/// One nomination's page (`GET /nominations/{id}`, and the same page again with a refusal or a form's errors):
/// the data and its checklist, the decision, the scan, and for each action the workflow allows here its form
/// or button (`data-action` names them). The alliance's boxes are `NominationAllianceView.swift`.
extension NominationController.ShowView {
    func html(csrf: String) -> HTML {
        let person = category != "org"
        return """
            <p class="doc-number">\(campaign) · \(categoryLabel) · \(committee) · 推荐编号 \(id) \
            <span class="status state-\(state)" id="state">\(stateLabel)</span></p>
            <h1>\(name)</h1>
            \(notice.map { "<p class=\"notice success\" role=\"status\">\($0)</p>" } ?? HTML())
            \(formError)
            \(closedNote.map { "<p class=\"notice warning\" role=\"status\" id=\"closed-note\">\($0)</p>" } ?? HTML())
            \(decisionBox)
            \(quota.map { "<p class=\"quota-line\" id=\"quota-line\">本党委\(categoryLabel)：可报 \($0.limit)，已占用 \($0.used)，剩余 \($0.left)</p>" } ?? HTML())
            \(HTML.when(!steps.isEmpty, "<ol class=\"workflow-steps\" id=\"steps\">\(steps.html { "<li class=\"\($0.done ? "done" : "" as HTML)\">\($0.label)</li>" })</ol>"))
            \(completeness)
            <div class="nomination-body">
            <table class="grid details">
              <tbody>
              \(fields.html { "<tr><th scope=\"row\">\($0.label)</th><td class=\"pre\">\($0.value)</td></tr>" })\
            \(opinion.html { "<tr class=\"opinion-row\"><th scope=\"row\">\($0.label)</th><td class=\"pre\">\($0.value)</td></tr>" })
              </tbody>
            </table>
            \(HTML.when(person, photoBox(csrf: csrf)))
            </div>
            \(HTML.when(person, attestationList))
            <p class="hint">主要事迹 \(deedsCount) 字。\(submittedAt.map { "上报时间 \($0)。" } ?? HTML())</p>
            \(actions)
            \(scanBox(csrf: csrf))
            \(HTML.when(can.submit, submitBox(csrf: csrf)))
            \(HTML.when(can.withdraw, withdrawForm(csrf: csrf)))
            \(allianceBoxes(csrf: csrf))
            """
    }

    /// The hidden fields every form of the page posts: the CSRF token and the version the person saw.
    func versioned(_ csrf: String) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrf)\"><input type=\"hidden\" name=\"version\" value=\"\(version)\">"
    }

    /// The message of a refusal for the whole form, with the way to ask for more quota when that is the cause.
    private var formError: HTML {
        guard let form = errors["form"] else { return HTML() }
        let request = errors["quotaRequest"].map {
            " <a href=\"/quota-requests?category=\($0)\" id=\"quota-request-link\">提出超额申请</a>" as HTML
        } ?? HTML()
        return "<p class=\"form-error\" role=\"alert\" id=\"form-error\">\(form)\(request)</p>"
    }

    private var completeness: HTML {
        let missingList: HTML = "<p>尚未填写：\(missing.html { "<span class=\"missing\">\($0)</span>" })</p>"
        return """
            <section class="completeness \(complete ? "ok" : "" as HTML)" id="completeness">
              \(complete ? "<p>材料完整，符合上报条件。</p>" : "<p><strong>材料尚不完整，暂不能上报。</strong></p>" as HTML)
              \(HTML.when(!missing.isEmpty, missingList))
              \(HTML.when(!problems.isEmpty, "<ul class=\"problems\">\(problems.html { "<li>\($0)</li>" })</ul>"))
              \(HTML.when(!warnings.isEmpty, "<ul class=\"warnings\">\(warnings.html { "<li>\($0)</li>" })</ul>"))
            </section>
            """
    }

    private func photoBox(csrf: String) -> HTML {
        let upload: HTML = """
            <form method="post" action="/nominations/\(id)/photo" enctype="multipart/form-data" class="stacked" data-action="photo">
                \(versioned(csrf))
                <label for="photo">二寸免冠照片（JPEG 或 PNG，5 MB 以内）</label>
                <input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
                \(fieldError("photo"))
                <button type="submit">上传照片</button>
              </form>
            """
        return """
            <aside class="photo-box">
              \(hasPhoto ? "<img src=\"/nominations/\(id)/photo\" alt=\"二寸免冠照片\" class=\"photo\">" : "<div class=\"photo placeholder\">尚未上传照片</div>" as HTML)
              \(HTML.when(can.photo, upload))
            </aside>
            """
    }

    private var attestationList: HTML {
        let items = attestations.html { item -> HTML in
            let record = item.record.map { "<span class=\"field-hint\">（\($0)）</span>" as HTML } ?? HTML()
            return "<li>\(item.checked ? "☑" : "☐" as HTML) \(item.statement)\(record)</li>"
        }
        return "<h2>资格确认</h2>\n<ul class=\"attestation-list\">\(items)</ul>"
    }

    private var actions: HTML {
        let edit: HTML = "<a class=\"button\" href=\"/nominations/\(id)/edit\" data-action=\"save\" id=\"edit-link\">修改</a>"
        let pdf: HTML = pdfAvailable
            ? "<a class=\"button\" href=\"/nominations/\(id)/form.pdf\" id=\"form-pdf\">下载审批表（PDF）</a>"
            : "<span class=\"hint\" id=\"pdf-unavailable\">本服务器未安装 LibreOffice，暂不能生成 PDF；请下载 Word 版打印。</span>"
        return """
            <p class="actions">\(HTML.when(can.edit, edit))\
            <a class="button" href="/nominations/\(id)/form.docx" id="form-docx">下载审批表（Word）</a>\(pdf)\
            <a class="button" href="/nominations/\(id)/history" id="history-link">办理记录</a></p>
            """
    }

    private func submitBox(csrf: String) -> HTML {
        """
        <section class="submit-box" id="submit-box">
        <h2>上报联盟</h2>
        <p class="hint">上报前请确认：材料完整，行业党委意见已填写并打印在审批表上，审批表已签字盖章并上传扫描件。</p>
        \(HTML.when(hasBlockers, "<ul class=\"problems\" id=\"submit-blockers\">\(submitBlockers.html { "<li>\($0)</li>" })</ul>"))
        \(fieldError("scan"))
        <form method="post" action="/nominations/\(id)/submit" class="inline" data-action="submit">
          \(versioned(csrf))
          <button type="submit" class="primary" id="submit-button"\(hasBlockers ? " disabled" : "" as HTML)>上报联盟</button>
        </form>
        </section>
        """
    }

    private func withdrawForm(csrf: String) -> HTML {
        """
        <form method="post" action="/nominations/\(id)/withdraw" class="inline" data-action="withdraw" data-confirm="确定撤回此推荐吗？撤回后名额将释放。">
          \(versioned(csrf))
          <button type="submit" id="withdraw-button">撤回</button>
        </form>
        """
    }

    /// The message for `key` beside its field, when there is one.
    func fieldError(_ key: String) -> HTML {
        .fieldError(errors[key])
    }

    /// What the person typed into `key` before a refusal, else `fallback`.
    func typed(_ key: String, else fallback: String = "") -> String {
        input[key] ?? fallback
    }
}
