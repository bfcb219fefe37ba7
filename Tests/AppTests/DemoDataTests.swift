@testable import App
import Foundation
import HonorsCore
import Testing

@Suite("Demo data")
struct DemoDataTests {
    @Test("synthetic nominees pass every rule of the notice (only the photo is missing)")
    func syntheticNomineesAreValid() {
        var data = DemoData()
        let deadline = DayStamp(year: 2030, month: 1, day: 1).end
        for category in NominationCategory.allCases {
            for _ in 0..<60 {
                let values = data.values(for: category)
                let input = NominationInput(category: category, values: values,
                                            attestations: Set(NominationForm.attestations.map(\.key)), hasPhoto: true)
                let result = NominationRules.check(input, settings: Notice2024.settings, deadline: deadline,
                                                   today: DayStamp(year: 2029, month: 6, day: 1).start)
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
