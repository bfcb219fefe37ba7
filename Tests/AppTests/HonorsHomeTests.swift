@testable import App
import Foundation
import Testing

/// Where the templates and static files are looked for, whatever the working directory.
@Suite("Honors home")
struct HonorsHomeTests {
    @Test("HONORS_HOME alone when set; beside the binary first; the working directory and the checkout only outside production")
    func places() throws {
        let binary = "/opt/honors/bin/honors"
        #expect(HonorsHome.candidates(environment: ["HONORS_HOME": "/srv/h"], executable: binary, workingDirectory: "/") == ["/srv/h"])
        let development = HonorsHome.candidates(environment: [:], executable: binary, workingDirectory: "/var/lib/honors",
                                                buildCheckout: "/src/honors")
        #expect(development == ["/opt/honors/share/honors", "/opt/honors/bin", "/var/lib/honors", "/src/honors"])
        let production = HonorsHome.candidates(environment: [:], executable: binary, workingDirectory: "/var/lib/honors",
                                               production: true)
        #expect(production == ["/opt/honors/share/honors", "/opt/honors/bin"], "never the service's own writable folder")
        let missing = #expect(throws: HonorsHome.NotFound.self) {
            try HonorsHome.locate(environment: ["HONORS_HOME": "/nowhere/at/all"], executable: binary, workingDirectory: "/")
        }
        #expect(missing?.description.contains("/nowhere/at/all") == true && missing?.description.contains("HONORS_HOME") == true)
        #expect(HonorsHome.holdsResources(HonorsHome.checkout), "this checkout holds them")
    }
}
