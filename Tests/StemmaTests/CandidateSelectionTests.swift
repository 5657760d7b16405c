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

/// The cache of stored records' estimates an import and a `match` keep by id: a dictionary while
/// small, an array by id past `denseFrom` entries, ids past the array's reach in the dictionary.
@Suite struct EstimateCacheTests {
    @Test func everyEstimateStoredIsFoundUnderItsIdBeforeAndAfterTheCacheGrowsAnArray() {
        var random = SeededRandom(seed: 23)
        var cache = EstimateCache()
        var stored: [Int64: Int] = [:]
        // Ids as an index gives them, some far past the array's reach; the shingle count tells them apart.
        let ids = (1...6_000).map { Int64($0) } + (0..<200).map { _ in Int64(1 << 18) + Int64(random.next() % 1_000_000) }
        for id in ids.shuffled(using: &random) {
            let shingles = Int(random.next() % 10_000)
            cache[id] = CandidateEstimate(halves: MinHash.LowHalves(Array(repeating: UInt32(shingles), count: MinHash.count)), shingles: shingles)
            stored[id] = shingles
            if stored.count % 997 == 0 { // as it grows, every one so far still there
                #expect(stored.allSatisfy { cache[$0.key]?.shingles == $0.value })
            }
        }
        #expect(stored.allSatisfy { cache[$0.key]?.shingles == $0.value })
        #expect(cache[6_001] == nil && cache[0] == nil && cache[-1] == nil)
    }
}
