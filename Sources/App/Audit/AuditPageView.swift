/// The audit page (`GET /admin/audit`): the chain's head and its last verification, the key ring, the filters,
/// one row per event and the pager.
extension AuditController.ListView {
    var html: HTML {
        """
        <h1>操作日志</h1>
        \(chainBox)
        <form method="get" action="/admin/audit" class="filters">
          <label>操作 \(actions.filterSelect("action"))</label>
          <label>操作人 <input name="actor" value="\(filters.actor)" size="12"></label>
          <label>行业党委 \(committees.filterSelect("committee"))</label>
          <label>起 <input name="from" type="date" value="\(filters.typed["from"] ?? filters.from)"></label>\(fieldError("from"))
          <label>止 <input name="to" type="date" value="\(filters.typed["to"] ?? filters.to)"></label>\(fieldError("to"))
          <button type="submit">筛选</button>
          <a class="button" href="/admin/audit.xlsx?\(filters.query)" id="audit-export">导出 Excel</a>
        </form>
        <table class="grid audit" id="audit-table">
          <thead><tr><th>序号</th><th>时间</th><th>操作人</th><th>角色</th><th>操作</th><th>对象</th><th>变更</th><th>地址</th></tr></thead>
          <tbody>
        \(rows.html(Self.row))  </tbody>
        </table>
        \(pageInfo.pager)
        """
    }

    private var chainBox: HTML {
        let verification: HTML
        if let at = chain.verifiedAt {
            let outcome: HTML = chain.verifiedWhole
                ? "<strong>完整</strong>"
                : "<strong class=\"field-error\">未通过</strong>：\(chain.verifiedResult ?? "")"
            verification = "上次校验：\(at)，\(outcome)"
        } else {
            verification = "尚未校验。"
        }
        let older: HTML = keys.older.isEmpty ? "" : "，旧密钥 <code>\(keys.older)</code> 只用于读取"
        let pending: HTML = keys.pending > 0 ? "；<strong>尚有 \(keys.pending) 条推荐待用新密钥重新加密</strong>（后台进行中）" : ""
        return """
            <section class="chain-box\(chain.verifiedWhole ? " chain-whole" : "" as HTML)" id="audit-chain">
              <p>审计链共 <strong id="chain-count">\(chain.count)</strong> 条，链头 <code id="chain-head">\(chain.head)</code></p>
              <p>\(verification)
              <span class="hint">在服务器上运行 <code>honors audit verify</code> 校验全部事件；<code>honors audit head</code> 输出链头，可记入表彰决定的档案，日后比对。</span></p>
              <p id="key-ring">身份证号和电话的加密密钥：当前 <code>\(keys.current)</code>\(older)\(pending)。
              <span class="hint"><code>honors key status</code> 查看各密钥加密的数据量，<code>honors key rotate</code> 轮换密钥。</span></p>
            </section>
            """
    }

    private func fieldError(_ key: String) -> HTML {
        errors[key].map { "<span class=\"field-error\">\($0)</span>" } ?? HTML()
    }

    private static func row(_ row: AuditController.Row) -> HTML {
        let changes = row.changes.html { change -> HTML in
            "<div class=\"change\"><span class=\"field\">\(change.field)</span>：<del>\(change.old ?? "")</del> → <ins>\(change.new ?? "")</ins></div>"
        }
        return """
              <tr><td>\(row.seq.map(String.init) ?? "")</td><td class="nowrap">\(row.time)</td><td>\(row.actor)</td><td>\(row.role)</td>\
            <td>\(row.action)</td><td>\(row.object)</td><td>\(changes)</td><td>\(row.address)</td></tr>

            """
    }
}
