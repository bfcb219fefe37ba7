import HonorsOffice
import Vapor

extension Application {
    private struct PDFKey: StorageKey { typealias Value = PDFConverterPool }
    private struct RunnerKey: StorageKey { typealias Value = PackageRunner }

    /// LibreOffice conversions, a few at a time on reused profiles.
    var pdf: PDFConverterPool {
        get { storage[PDFKey.self] ?? PDFConverterPool(size: 1) }
        set { storage[PDFKey.self] = newValue }
    }

    /// Builds material packages in the background, one after another.
    var packages: PackageRunner {
        if let runner = storage[RunnerKey.self] { return runner }
        let runner = PackageRunner()
        storage[RunnerKey.self] = runner
        return runner
    }
}

/// Lets running packages finish and removes the PDF profiles when the application stops.
struct BackgroundWork: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        await app.packages.waitUntilIdle()
        await app.pdf.shutdown()
    }
}
