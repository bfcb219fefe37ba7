@testable import App
import Foundation
import HonorsCore
import Testing

@Suite("Demo data")
struct DemoDataTests {
    @Test("synthetic nominees pass every rule of the notice (their committee's opinion signed, only the photo to add)")
    func syntheticNomineesAreValid() {
        var data = DemoData()
        // As `honors demo` makes them: today, for a campaign open 30 days from today.
        let today = Date()
        let deadline = DayStamp(today).adding(days: 30).end
        for category in NominationCategory.allCases {
            for _ in 0..<200 {
                let values = data.values(for: category, signedOn: DayStamp(today))
                let input = NominationInput(category: category, values: values,
                                            attestations: Set(NominationForm.attestations.map(\.key)), hasPhoto: true)
                let result = NominationRules.check(input, settings: Notice2024.settings, deadline: deadline, today: today)
                #expect(result.issues.filter(\.isError) == [], "\(category) \(values["name"] ?? "")")
                #expect(result.missing == [], "\(category)")
            }
        }
    }

    @Test("ID numbers are unique and valid")
    func uniqueIDs() throws {
        var data = DemoData()
        var seen: Set<String> = []
        for n in 0..<2000 {
            let (id, _) = data.idNumber(male: n % 2 == 0)
            #expect(seen.insert(id).inserted)
            _ = try IDNumber(id, today: Date())
        }
    }
}
