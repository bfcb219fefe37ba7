import Foundation
import Vapor

/// A package as its pages and the progress poll show it.
extension PackageController {
    struct JobView: Encodable {
        let id: Int
        let scope: String
        let state: String
        let stateLabel: String
        let done: Int
        let total: Int
        let percent: Int
        let working: Bool
        let ready: Bool
        let withPDF: Bool
        /// What the zip holds, in words.
        let contents: String
        /// Until when a finished package can be downloaded (it is removed after that).
        let keptUntil: String?
        let size: String
        let note: String?
        let requestedBy: String
        let requestedAt: String
    }

    static func view(_ job: PackageJob, now: Date, fileExists: Bool) throws -> JobView {
        var state = job.stateValue
        var note = job.note
        let silence = now.timeIntervalSince(job.updatedAt)
        if (state == .running && silence > stalledAfter) || (state == .queued && silence > abandonedAfter) {
            state = .failed
            note = "生成中断（服务曾重启），请重新生成。"
        }
        if state == .done, !fileExists {
            state = .failed
            note = "文件已过期删除，请重新生成。"
        }
        let percent = job.total > 0 ? min(100, job.done * 100 / job.total) : 0
        return JobView(id: try job.requireID(), scope: job.committee?.name ?? "全部行业党委", state: state.rawValue,
                       stateLabel: state.label, done: job.done, total: job.total, percent: state == .done ? 100 : percent,
                       working: state == .queued || state == .running, ready: state == .done, withPDF: job.withPDF,
                       contents: "审批表（Word\(job.withPDF ? " 和 PDF" : "")）、照片、"
                           + (job.fullPersonalData ? "盖章扫描件、推荐汇总表、附件1；审批表和汇总表含完整身份证号和电话"
                                                   : "推荐汇总表、附件1；身份证号和电话已遮盖，不含盖章扫描件"),
                       keptUntil: state == .done
                           ? DateFormatting.minute(job.updatedAt.addingTimeInterval(PackageBuilder.keepFor)) : nil,
                       size: ByteCountFormatter.string(fromByteCount: Int64(job.fileSize ?? 0), countStyle: .file),
                       note: note, requestedBy: job.requestedBy,
                       requestedAt: DateFormatting.minute(job.createdAt ?? job.updatedAt))
    }
}

extension PackageController.JobView: Content {}
