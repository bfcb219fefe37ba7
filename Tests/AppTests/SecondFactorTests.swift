@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// The second factor: administrators enrol an authenticator at their next sign-in, and then sign in with a
/// password and a code, each code good once, with ten single-use recovery codes; the administrator resets a
/// lost one, on record; a campaign can ask it of everyone.
@Suite("Second factor")
struct SecondFactorTests {
    /// The secret of the enrolment page, read back from the text it shows (what an app does with the QR code).
    static func shownSecret(_ page: TestingHTTPResponse) throws -> [UInt8] {
        let text = try #require(page.matches(of: #"id="factor-secret" class="factor-secret">([^<]+)<"#).first)
        return try #require(Base32.decode(text.replacingOccurrences(of: " ", with: "")))
    }

    /// Text as a Chinese input method types it: full-width letters and digits.
    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (0x21...0x7E).contains($0.value) ? Unicode.Scalar($0.value + 0xFEE0)! : $0 }))
    }

    static func challenge(_ page: TestingHTTPResponse) -> String? {
        page.matches(of: #"name="challenge" value="([^"]+)""#).first
    }

    /// Signs in with the password only; returns the code step's page.
    static func passwordStep(_ browser: Browser, _ username: String) async throws -> TestingHTTPResponse {
        let page = try await browser.get("/login")
        let token = try #require(page.matches(of: #"name="_csrf" value="([^"]+)""#).first)
        return try await browser.post("/login", [("username", username), ("password", "Passw0rd1"), ("_csrf", token)], csrf: false)
    }

    static func codeStep(_ browser: Browser, challenge: String, code: String) async throws -> TestingHTTPResponse {
        try await browser.post("/login", [("challenge", challenge), ("code", code)])
    }

    @Test("an administrator without a factor can open nothing but its enrolment; one code enables it and gives ten recovery codes once")
    func enrolment() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin, factor: false)
            let browser = Browser(app)
            let signIn = try await browser.signIn("boss")
            #expect(signIn.location == "/account/factor")
            for path in ["/", "/admin/users", "/nominations", "/campaigns/1"] {
                #expect(try await browser.get(path).location == "/account/factor", "\(path)")
            }
            #expect(try await browser.post("/admin/users/1/unlock").location == "/account/factor")

            let page = try await browser.get("/account/factor")
            #expect(page.status == .ok)
            #expect(page.text.contains("data:image/png;base64,") || !QRCode.available)
            let secret = try Self.shownSecret(page)
            #expect(secret.count == 20)
            #expect(try Self.shownSecret(try await browser.get("/account/factor")) == secret, "a reload shows the same secret")
            #expect(try await UserFactor.query(on: app.db).count() == 0, "nothing stored before a code confirms it")

            let wrong = try await browser.post("/account/factor", [("code", "000000")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.fieldErrors.first?.contains("验证码不正确") == true)
            #expect(try await browser.get("/").location == "/account/factor", "still enrolling")

            let code = TOTP.code(secret: secret, step: TOTP.step(at: clock.now()))
            let done = try await browser.post("/account/factor", [("code", code)])
            #expect(done.status == .ok)
            let codes = done.matches(of: #"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>"#)
            #expect(codes.count == 10 && Set(codes).count == 10)
            let stored = try await RecoveryCode.query(on: app.db).all()
            #expect(stored.count == 10)
            #expect(stored.allSatisfy { !codes.contains($0.codeHash) && $0.codeHash.count == 64 }, "kept as hashes only")
            #expect(try await browser.get("/").status == .ok, "the session is a full one now")
            #expect(try await UserFactor.query(on: app.db).first()?.secretSealed.hasPrefix("v1:") == true, "sealed at rest")
            #expect(!(try await browser.get("/account/factor").text.contains("<li><code>")), "the codes are shown once")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.factor_enrolled").count() == 1)
            // A confirmed factor cannot be enrolled over.
            #expect(try await browser.post("/account/factor", [("code", code)]).status == .unprocessableEntity)
        }
    }

    @Test("with a factor the password opens the code step only; each code signs in once; a wrong one is counted towards the lock")
    func codeStep() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin)
            let secret = Application.factorSecret("boss")
            let browser = Browser(app)
            let step = try await Self.passwordStep(browser, "boss")
            #expect(step.status == .ok)
            #expect(step.text.contains(#"name="code""#))
            #expect(browser.cookies[SessionAuthenticator.cookieName] == nil, "no session before the code")
            let challenge = try #require(Self.challenge(step))

            let wrong = try await Self.codeStep(browser, challenge: challenge, code: "123456")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.fieldErrors == [SignInController.wrongCodeMessage])
            #expect(Self.challenge(wrong) == challenge, "the code step is shown again")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").first()?
                .fieldChanges.first?.new == "验证码错误")

            let now = TOTP.step(at: clock.now())
            let code = TOTP.code(secret: secret, step: now)
            let ok = try await Self.codeStep(browser, challenge: challenge, code: "　" + Self.fullWidth(code))
            #expect(ok.status == .seeOther && ok.location == "/")
            #expect(try await browser.get("/").status == .ok)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").first())
            #expect(event.fieldChanges.first?.new == "验证器动态码")

            // The same code again, from another browser inside the same 30 seconds: refused.
            let other = Browser(app)
            let again = try await Self.codeStep(other, challenge: try #require(Self.challenge(try await Self.passwordStep(other, "boss"))), code: code)
            #expect(again.status == .unauthorized)
            // Nor an earlier one: steps only move forward.
            let earlier = TOTP.code(secret: secret, step: now - 1)
            let refused = try await Self.codeStep(other, challenge: try #require(Self.challenge(again)), code: earlier)
            #expect(refused.status == .unauthorized)
            // The next step's code is taken (clocks drift by one step).
            let next = try await Self.codeStep(other, challenge: try #require(Self.challenge(refused)), code: TOTP.code(secret: secret, step: now + 1))
            #expect(next.status == .seeOther)
        }
    }

    @Test("guessing codes locks the account like guessing passwords: the right code is then refused")
    func codeGuessesLock() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin)
            let browser = Browser(app)
            var challenge = try #require(Self.challenge(try await Self.passwordStep(browser, "boss")))
            // The password's try and four wrong codes use up the five tries.
            for guess in ["111111", "222222", "333333", "444444"] {
                let answer = try await Self.codeStep(browser, challenge: challenge, code: guess)
                challenge = Self.challenge(answer) ?? challenge
            }
            let right = TOTP.code(secret: Application.factorSecret("boss"), step: TOTP.step(at: clock.now()))
            let locked = try await Self.codeStep(browser, challenge: challenge, code: right)
            #expect(locked.status == .unauthorized)
            #expect(locked.text.contains(SignInController.failureMessage))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.locked").count() == 1)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("a recovery code signs in once, in any case and width, and is then spent")
    func recoveryCode() async throws {
        try await withHonorsApp { app, clock in
            let boss = try await app.makeUser("boss", role: .admin, factor: false).requireID()
            let browser = Browser(app)
            try await browser.signIn("boss")
            let secret = try Self.shownSecret(try await browser.get("/account/factor"))
            let done = try await browser.post("/account/factor", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.now())))])
            let codes = done.matches(of: #"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>"#)
            let code = try #require(codes.first)
            try await browser.post("/logout")

            let typed = Self.fullWidth(code.uppercased().replacingOccurrences(of: "-", with: " "))
            let first = try await Self.codeStep(browser, challenge: try #require(Self.challenge(try await Self.passwordStep(browser, "boss"))), code: typed)
            #expect(first.status == .seeOther, "\(first.text)")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").sort(\.$id, .descending).first())
            #expect(event.fieldChanges.first?.new == "恢复码")
            #expect(try await SecondFactor.status(of: boss, on: app.db).recoveryLeft == 9)
            try await browser.post("/logout")
            let second = try await Self.codeStep(browser, challenge: try #require(Self.challenge(try await Self.passwordStep(browser, "boss"))), code: code)
            #expect(second.status == .unauthorized, "spent")
        }
    }

    @Test("a challenge that is forged, expired or from before a password change opens nothing")
    func challengeTampering() async throws {
        try await withHonorsApp { app, clock in
            let boss = try await app.makeUser("boss", role: .admin)
            try await app.makeUser("rev", role: .reviewer)
            let browser = Browser(app)
            let challenge = try #require(Self.challenge(try await Self.passwordStep(browser, "boss")))
            func code() -> String { TOTP.code(secret: Application.factorSecret("boss"), step: TOTP.step(at: clock.now())) }

            // Made outside Honors: the plain text it holds, sealed with another key.
            let forged = try SecretBox(masterKey: .init(size: .bits256)).seal("challenge:\(try boss.requireID()):9999999999:00")
            for bad in [forged, "challenge:1:9999999999:00", "", String(repeating: "v", count: 5000), challenge + "x"] {
                let answer = try await Self.codeStep(browser, challenge: bad, code: code())
                #expect(answer.status == .unauthorized)
                #expect(answer.text.contains(SignInController.expiredMessage), "\(bad.prefix(20))")
            }
            clock.advance(by: SecondFactorPolicy.challengeLifetime + 1)
            #expect(try await Self.codeStep(browser, challenge: challenge, code: code()).text.contains(SignInController.expiredMessage))

            let fresh = try #require(Self.challenge(try await Self.passwordStep(browser, "boss")))
            try await User.query(on: app.db).filter(\.$username == "boss").set(\.$passwordHash, to: try await app.password.async.hash("Other1234")).update()
            #expect(try await Self.codeStep(browser, challenge: fresh, code: code()).text.contains(SignInController.expiredMessage))
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("other roles sign in without a factor unless a campaign asks it of everyone; they may enrol and turn it off again")
    func campaignSetting() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin)
            let rev = try await app.makeUser("rev", role: .reviewer).requireID()
            #expect(try await Browser(app).signIn("rev").location == "/")

            let admin = Browser(app)
            try await admin.signIn("boss")
            let on = CampaignTests.copyForm(["document_number": "鄂党联发〔2024〕4号", "version": "1", "require_second_factor": "1",
                                             "issued_on": Notice2024.issuedOn.description, "deadline_on": Notice2024.deadlineDay.description])
            #expect(try await admin.post("/campaigns/1", on).status == .seeOther)
            #expect(try await Campaign.find(1, on: app.db)?.requireSecondFactor == true)

            let reviewer = Browser(app)
            #expect(try await reviewer.signIn("rev").location == "/account/factor")
            let secret = try Self.shownSecret(try await reviewer.get("/account/factor"))
            #expect(try await reviewer.post("/account/factor", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.now())))]).status == .ok)
            // Required while the campaign asks: it cannot be turned off.
            let kept = try await reviewer.post("/account/factor/disable", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.now()) + 1))])
            #expect(kept.status == .unprocessableEntity)
            #expect(kept.fieldErrors == ["您的账号必须使用双重验证，不能停用。"])

            let off = CampaignTests.copyForm(["document_number": "鄂党联发〔2024〕4号", "version": "2",
                                              "issued_on": Notice2024.issuedOn.description, "deadline_on": Notice2024.deadlineDay.description])
            #expect(try await admin.post("/campaigns/1", off).status == .seeOther)
            let wrongCode = try await reviewer.post("/account/factor/disable", [("code", "000000")])
            #expect(wrongCode.status == .unprocessableEntity)
            #expect(try await SecondFactor.isEnabled(rev, on: app.db))
            let disabled = try await reviewer.post("/account/factor/disable", [("code", TOTP.code(secret: secret, step: TOTP.step(at: clock.now()) + 1))])
            #expect(disabled.status == .seeOther, "\(disabled.location ?? "")")
            #expect(try await SecondFactor.isEnabled(rev, on: app.db) == false)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.factor_disabled").count() == 1)
        }
    }

    @Test("the administrator resets a lost factor on record: the user's sessions end and they enrol again; nobody else may")
    func reset() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let other = try await app.makeUser("deputy", role: .admin)
            try await app.makeUser("rev", role: .reviewer)
            let deputy = Browser(app)
            try await deputy.signIn("deputy")
            let reviewer = Browser(app)
            try await reviewer.signIn("rev")
            let id = try other.requireID()
            #expect(try await reviewer.post("/admin/users/\(id)/factor/reset").status == .forbidden)

            let admin = Browser(app)
            try await admin.signIn("boss")
            #expect(try await admin.get("/admin/users/\(id)").text.contains("factor-reset-button"))
            let reset = try await admin.post("/admin/users/\(id)/factor/reset")
            #expect(reset.location == "/admin/users/\(id)?notice=factor_reset")
            #expect(try await SecondFactor.isEnabled(id, on: app.db) == false)
            #expect(try await RecoveryCode.query(on: app.db).filter(\.$userID == id).count() == 0)
            #expect(try await deputy.get("/").location?.hasPrefix("/login") == true, "the deputy's session ended")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.factor_reset").first()?.objectID == "\(id)")
            #expect(try await admin.get("/").status == .ok, "the administrator's own session stands")
            #expect(try await deputy.signIn("deputy").location == "/account/factor", "enrols again at the next sign-in")
        }
    }

    @Test("key rotation re-seals authenticator secrets; the old key is kept until it has")
    func rotation() async throws {
        try await withHonorsApp { app, _ in
            _ = try await KeyRotationTests.fileRing(app)
            try await app.makeUser("boss", role: .admin)
            let old = app.secrets.keyID
            let (box, _) = try await KeyRotation.rotate(app)
            let refused = await #expect(throws: KeyRotation.Refusal.self) { try await KeyRotation.retire(app, keyID: old) }
            #expect(refused?.description.contains("双重验证") == true)
            #expect(try await KeyRotation.pending(on: app.db, older: [old]) == 1)
            #expect(try await KeyRotation.reseal(app).resealed == 1)
            #expect(try await UserFactor.query(on: app.db).first()?.secretKeyID == box.keyID)
            _ = try await KeyRotation.retire(app, keyID: old)
            #expect(try await Browser(app).signIn("boss").location == "/", "the code still checks under the new key")
        }
    }

    @Test("each session is shown a secret of its own; confirming one ends the user's other sessions")
    func plantedSecret() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin, factor: false)
            // Someone who knows the password opens enrolment first, and waits.
            let intruder = Browser(app)
            #expect(try await intruder.signIn("boss").location == "/account/factor")
            let planted = try Self.shownSecret(try await intruder.get("/account/factor"))
            let owner = Browser(app)
            try await owner.signIn("boss")
            let own = try Self.shownSecret(try await owner.get("/account/factor"))
            #expect(own != planted, "the owner is shown a secret of their own")
            let now = TOTP.step(at: clock.now())
            #expect(try await owner.post("/account/factor", [("code", TOTP.code(secret: own, step: now))]).status == .ok)
            #expect(try await owner.get("/").status == .ok)
            // The secret the intruder was shown confirms nothing, and their password-only session is over.
            let late = try await intruder.post("/account/factor", [("code", TOTP.code(secret: planted, step: now))])
            #expect(late.status == .forbidden, "its form belonged to a session that no longer exists")
            #expect(try await intruder.get("/").location?.hasPrefix("/login") == true)
            #expect(try await SecondFactor.verify(try #require(try await User.query(on: app.db).first()?.id),
                                                  typed: TOTP.code(secret: planted, step: now + 1), box: app.secrets, now: clock.now(), on: app.db) == nil)
        }
    }

    @Test("code guesses count per account from every address: spread over many, the right code is refused after five")
    func guessesFromManyAddresses() async throws {
        try await withHonorsApp { app, clock in
            app.honors.trustedProxies.insert("unknown")
            try await app.makeUser("boss", role: .admin)
            for (index, guess) in ["111111", "222222", "333333", "444444", "555555"].enumerated() {
                let browser = Browser(app)
                browser.forwardedFor = "203.0.113.\(index + 1)"
                let challenge = try #require(Self.challenge(try await Self.passwordStep(browser, "boss")))
                #expect(try await Self.codeStep(browser, challenge: challenge, code: guess).status == .unauthorized)
            }
            let fresh = Browser(app)
            fresh.forwardedFor = "198.51.100.7"
            let challenge = try #require(Self.challenge(try await Self.passwordStep(fresh, "boss")))
            let right = TOTP.code(secret: Application.factorSecret("boss"), step: TOTP.step(at: clock.now()))
            let refused = try await Self.codeStep(fresh, challenge: challenge, code: right)
            #expect(refused.status == .unauthorized && refused.text.contains(SignInController.failureMessage))
            clock.advance(by: SignInPolicy.lockout + 1)
            #expect(try await fresh.signIn("boss").location == "/", "the lock runs out like a password lock")
        }
    }

    @Test("a session opened before the factor was required is held to it at its next request")
    func requiredMidSession() async throws {
        try await withHonorsApp { app, _ in
            let boss = try await app.makeUser("boss", role: .admin)
            let browser = Browser(app)
            try await browser.signIn("boss")
            #expect(try await browser.get("/").status == .ok)
            // Its factor gone (an upgrade, a reset of one's own): nothing but enrolment until there is one.
            _ = try await app.write { db in try await SecondFactor.remove(try boss.requireID(), on: db) }
            #expect(try await browser.get("/").location == "/account/factor")
            #expect(try await browser.get("/admin/users").location == "/account/factor")
        }
    }

    @Test("turning an optional factor off takes a code, and guesses at it are counted and on record")
    func disableGuesses() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("boss", role: .admin)
            try await app.makeUser("rev", role: .reviewer, factor: true)
            let reviewer = Browser(app)
            try await reviewer.signIn("rev")
            for guess in ["111111", "222222", "333333", "444444", "555555"] {
                #expect(try await reviewer.post("/account/factor/disable", [("code", guess)]).status == .unprocessableEntity)
            }
            let right = TOTP.code(secret: Application.factorSecret("rev"), step: TOTP.step(at: clock.now()) + 1)
            #expect(try await reviewer.post("/account/factor/disable", [("code", right)]).status == .unprocessableEntity, "locked")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.factor_disable_failed").count() == 5)
            #expect(try await UserFactor.query(on: app.db).count() == 2, "both factors still there")
        }
    }
}

