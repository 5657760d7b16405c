import Testing
@testable import stemma
@Suite struct ShortIDTests {
    @Test func abbreviationsGrowUntilTheyAreUnique() {
        let a = "22c4d537" + String(repeating: "a", count: 32), b = "22c4d535" + String(repeating: "b", count: 32)
        #expect(ShortIDs.length([a, b]) == 8)
        #expect(ShortIDs.length([a, a]) == 7)
        #expect(ShortIDs.length(["1234567" + String(repeating: "0", count: 33), "7654321" + String(repeating: "0", count: 33)]) == 7)
    }
}
