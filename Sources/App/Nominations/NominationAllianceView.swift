/// The parts of a nomination's page both sides read (the alliance's decision, the 盖章扫描件) and the boxes only
/// the alliance sees (纪检意见, 评审意见, 联盟审核, 撤销决定).
extension NominationController.ShowView {
    var decisionBox: HTML {
        guard let decision else { return HTML() }
        let reason = decision.reason ?? ""
        let body: HTML
        switch decision.state {
        case "returned":
            body = """
                <h2>联盟已退回修改</h2>
                  <p><strong>原因：</strong><span class="pre">\(reason)</span></p>
                  <p><strong>补正期限：</strong>\(decision.fixBy ?? "")（逾期未重新上报的，不再占用名额）</p>
                """
        case "approved":
            let certificate = decision.certificate.map {
                "，荣誉证书编号 <strong id=\"certificate-number\">\($0)</strong>" as HTML
            } ?? HTML()
            let stage = decision.stage.map {
                "<p id=\"decision-stage\"><strong>公示与表彰：</strong>\($0)\(certificate)</p>" as HTML
            } ?? HTML()
            body = """
                <h2>审核通过</h2>
                  <p><strong>市“两新”党建联盟意见：</strong><span class="pre">\(decision.allianceOpinion ?? "")</span>\
                （\(decision.allianceOpinionDate ?? "")）</p>
                  \(stage)
                """
        case "disqualified":
            body = "<h2>取消表彰资格</h2>\n  <p><strong>原因：</strong><span class=\"pre\">\(reason)</span></p>"
        case "rejected":
            body = "<h2>未通过</h2>\n  <p><strong>理由：</strong><span class=\"pre\">\(reason)</span></p>"
        default:
            body = "<h2>联盟已撤销此前的决定</h2>\n  <p><strong>理由：</strong><span class=\"pre\">\(reason)</span></p>"
        }
        return """
            <section class="decision decision-\(decision.state)" id="decision">
            \(body)
              <p class="hint">\(decision.by) 于 \(decision.at)</p>
            </section>
            """
    }

    func scanBox(csrf: String) -> HTML {
        var uploaded = HTML()
        if let by = scan.uploadedBy {
            let printed = scan.printedVersion.map { "（打印版本 \($0)）" as HTML } ?? HTML()
            uploaded = "：\(by) 于 \(scan.uploadedAt ?? "") 上传，共 \(scan.pages) 页，\(scan.matchedLabel ?? "")\(printed)。"
        }
        var files = HTML()
        if scan.hasFiles {
            let items = scan.files.html { file -> HTML in
                let name: HTML = scan.viewable ? "<a href=\"\(file.href)\" target=\"_blank\" rel=\"noopener\">\(file.name)</a>" : "\(file.name)"
                return "<li>\(name)（\(file.pages) 页）</li>"
            }
            files = "<ul class=\"scan-files\" id=\"scan-files\">\(items)</ul>"
            if !scan.viewable { files += "<p class=\"hint\">扫描件含完整身份证号和电话，须经联盟管理员授权方可查看。</p>" }
        }
        var form = HTML()
        if let pending = scan.pending {
            let choices = pending.choices.map { SelectOption(value: $0.fingerprint, label: $0.label, selected: false) }.radioChoices("printed")
            form = """
                <form method="post" action="/nominations/\(id)/scan" enctype="multipart/form-data" class="stacked pending-scan" id="scan-confirm" data-action="scan">
                  \(versioned(csrf))
                  <input type="hidden" name="pending" value="\(pending.token)">
                  <p>已收到 \(pending.pages) 页扫描件，但需要确认它对应哪一版审批表：</p>
                  <fieldset><legend>此扫描件打印自</legend>
                  \(choices)
                  </fieldset>
                  \(fieldError("printed"))
                  <button type="submit" class="primary" id="scan-confirm-button">确认并保存扫描件</button>
                </form>
                """
        } else if can.scan {
            form = """
                <form method="post" action="/nominations/\(id)/scan" enctype="multipart/form-data" class="stacked" id="scan-form" data-action="scan">
                  \(versioned(csrf))
                  <label for="scan-file">上传签字盖章后的审批表扫描件（PDF、JPEG 或 PNG，可多选，合计 20 MB 以内）</label>
                  <input id="scan-file" name="scan[]" type="file" accept="application/pdf,image/jpeg,image/png" multiple>
                  <p class="field-hint">请先下载并打印最新的审批表，由书记签字、加盖公章后扫描。系统读取页脚二维码，核对扫描件与当前数据是否一致。</p>
                  \(fieldError("scan"))
                  <button type="submit" id="scan-button">上传扫描件</button>
                </form>
                """
        }
        return """
            <section class="scan-box scan-box-\(scan.state)" id="scan">
            <h2>盖章扫描件</h2>
            <p>当前审批表：版本 \(version) · 数据指纹 <code id="current-fingerprint">\(scan.currentFingerprint)</code>\
            \(HTML.when(scan.required, "（本次活动上报须附盖章扫描件）"))</p>
            <p class="scan-state" id="scan-state"><strong>\(scan.stateLabel)</strong>\(uploaded)</p>
            \(files)
            \(form)
            </section>
            """
    }

    func allianceBoxes(csrf: String) -> HTML {
        var boxes = HTML()
        if let integrity { boxes += integrityBox(integrity, csrf: csrf) }
        if let reviews { boxes += reviewBox(reviews, csrf: csrf) }
        if can.decides { boxes += decideBox(csrf: csrf) }
        if can.revert {
            boxes += """
                <section class="alliance-box" id="revert">
                <form method="post" action="/nominations/\(id)/revert" class="stacked" data-action="revert" id="revert-form" data-confirm="确定撤销此前的决定吗？">
                  \(versioned(csrf))
                  <label for="revert-reason">撤销决定的理由（公示开始前可撤销）</label>
                  <textarea id="revert-reason" name="reason" rows="2">\(typed("reason"))</textarea>
                  \(fieldError("revert_reason"))
                  <button type="submit" id="revert-button">撤销决定</button>
                </form>
                </section>

                """
        }
        return boxes
    }

    private func integrityBox(_ integrity: IntegrityView, csrf: String) -> HTML {
        var replies: HTML
        if let latest = integrity.latest {
            let scanLink = latest.scanHref.map { " <a href=\"\($0)\" target=\"_blank\" rel=\"noopener\">答复扫描件</a>" as HTML } ?? HTML()
            replies = """
                <p class="integrity-latest integrity-\(latest.result)" id="integrity-latest"><strong>\(latest.resultLabel)</strong>\
                （答复日期 \(latest.replyDate)，\(latest.recordedBy) 于 \(latest.recordedAt) 登记）\(scanLink)</p>

                """
            if !latest.note.isEmpty { replies += "<p class=\"pre\">\(latest.note)</p>\n" }
            replies += integrity.earlier.html { "<p class=\"hint\">此前：\($0.resultLabel)（\($0.replyDate)）\($0.note)</p>" }
        } else {
            replies = "<p id=\"integrity-latest\">尚未登记纪检部门的答复；审核通过须有“无意见”的答复。可在“纪检意见”页面生成征求意见函。</p>"
        }
        var form = HTML()
        if can.integrity {
            let results = integrity.results.map { SelectOption(value: $0.value, label: $0.label, selected: input["integrity_result"] == $0.value) }
                .radioChoices("integrity_result")
            form = """
                <form method="post" action="/nominations/\(id)/integrity" enctype="multipart/form-data" class="stacked" data-action="integrity" id="integrity-form">
                  <input type="hidden" name="_csrf" value="\(csrf)">
                  <fieldset><legend>纪检部门答复</legend>
                  \(results)
                  </fieldset>
                  \(fieldError("integrity_result"))
                  <label for="integrity_note">说明（有问题或不宜推荐时必填）</label>
                  <textarea id="integrity_note" name="integrity_note" rows="3">\(typed("integrity_note"))</textarea>
                  \(fieldError("integrity_note"))
                  <label for="reply_date">答复日期</label>
                  <input id="reply_date" name="reply_date" value="\(typed("reply_date", else: today))" placeholder="YYYY-MM-DD">
                  \(fieldError("reply_date"))
                  <label for="reply_scan">答复扫描件（可选）</label>
                  <input id="reply_scan" name="reply_scan" type="file" accept="application/pdf,image/jpeg,image/png">
                  \(fieldError("reply_scan"))
                  <button type="submit" id="integrity-button">登记纪检意见</button>
                </form>
                """
        }
        return """
            <section class="alliance-box" id="integrity">
            <h2>纪检意见</h2>
            \(replies)
            \(form)
            </section>

            """
    }

    private func reviewBox(_ reviews: ReviewsView, csrf: String) -> HTML {
        let rows = reviews.rows.html { row -> HTML in
            """
            <tr><td>\(row.reviewer)</td><td class="recommendation-\(row.recommendation)">\(row.recommendationLabel)</td>\
            <td class="pre">\(row.note)</td><td>\(row.at)</td></tr>

            """
        }
        let table: HTML = reviews.hasRows
            ? "<table class=\"grid\"><thead><tr><th>审核人员</th><th>推荐</th><th>意见</th><th>时间</th></tr></thead><tbody>\n\(rows)</tbody></table>"
            : "<p class=\"hint\">尚无评审意见。</p>"
        var form = HTML()
        if can.review {
            let options = reviews.recommendations.radioChoices("recommendation")
            form = """
                <form method="post" action="/nominations/\(id)/review" class="stacked" data-action="review" id="review-form">
                  <input type="hidden" name="_csrf" value="\(csrf)">
                  <fieldset><legend>我的推荐意见</legend>
                  \(options)
                  </fieldset>
                  \(fieldError("recommendation"))
                  <label for="review_note">评审意见</label>
                  <textarea id="review_note" name="review_note" rows="3">\(typed("review_note", else: reviews.mine?.note ?? ""))</textarea>
                  \(fieldError("review_note"))
                  <button type="submit" id="review-button">保存评审意见</button>
                </form>
                """
        }
        return """
            <section class="alliance-box" id="review">
            <h2>评审意见</h2>
            \(table)
            \(form)
            </section>

            """
    }

    private func decideBox(csrf: String) -> HTML {
        var forms = HTML()
        if can.approve {
            forms += """
                <form method="post" action="/nominations/\(id)/approve" class="stacked" data-action="approve" id="approve-form">
                  \(versioned(csrf))
                  <label for="alliance_opinion">市“两新”党建联盟意见（打印在审批表最后一栏）</label>
                  <textarea id="alliance_opinion" name="alliance_opinion" rows="3">\(typed("alliance_opinion", else: "同意表彰。"))</textarea>
                  \(fieldError("alliance_opinion"))
                  <label for="alliance_opinion_date">意见日期</label>
                  <input id="alliance_opinion_date" name="alliance_opinion_date" value="\(typed("alliance_opinion_date", else: today))" placeholder="YYYY-MM-DD">
                  \(fieldError("alliance_opinion_date"))
                  <label for="deeds_summary">事迹摘要（公示名单上发布，最多 200 字；也可在开始公示时填写）</label>
                  <textarea id="deeds_summary" name="deeds_summary" rows="3" maxlength="400">\(typed("deeds_summary"))</textarea>
                  \(fieldError("deeds_summary"))
                  <button type="submit" class="primary" id="approve-button">审核通过</button>
                </form>

                """
        }
        if can.sendBack {
            forms += """
                <form method="post" action="/nominations/\(id)/return" class="stacked" data-action="return" id="return-form">
                  \(versioned(csrf))
                  <label for="return-reason">退回修改的原因（行业党委可见）</label>
                  <textarea id="return-reason" name="reason" rows="3">\(typed("reason"))</textarea>
                  \(fieldError("reason"))
                  <label for="fix_by">补正期限</label>
                  <input id="fix_by" name="fix_by" value="\(typed("fix_by", else: defaultFixBy))" placeholder="YYYY-MM-DD">
                  <p class="field-hint">默认为 3 个工作日后；行业党委在此日期前可修改并重新上报，即使已过报送截止时间。</p>
                  \(fieldError("fix_by"))
                  <button type="submit" id="return-button">退回修改</button>
                </form>

                """
        }
        if can.reject {
            forms += """
                <form method="post" action="/nominations/\(id)/reject" class="stacked" data-action="reject" id="reject-form" data-confirm="确定不予通过吗？">
                  \(versioned(csrf))
                  <label for="reject-reason">不予通过的理由</label>
                  <textarea id="reject-reason" name="reason" rows="2"></textarea>
                  \(fieldError("reject_reason"))
                  <button type="submit" id="reject-button">不予通过</button>
                </form>

                """
        }
        return """
            <section class="alliance-box decide-box" id="decide">
            <h2>联盟审核</h2>
            \(forms)</section>

            """
    }
}
