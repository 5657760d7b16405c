import Testing
import TestSupport
@testable import Stemma

/// The selection that cuts a query's candidates met through one band each to the lowest ids.
@Suite struct LowestIDsTests {
    @Test func theSelectionHoldsExactlyTheLowestIDs() {
        var random = SeededRandom(seed: 17)
        for _ in 0..<500 {
            let count = 1 + Int(random.next() % 400)
            var ids = Set<Int64>()
            while ids.count < count { ids.insert(Int64(random.next() % 2_000)) }
            let shuffled = Array(ids).shuffled(using: &random)
            let k = 1 + Int(random.next() % UInt64(count))
            let chosen = MatchIndex.lowest(k, of: shuffled)
            #expect(chosen.count == k)
            #expect(Set(chosen) == Set(shuffled.sorted().prefix(k)), "k \(k) of \(count)")
        }
    }
}
