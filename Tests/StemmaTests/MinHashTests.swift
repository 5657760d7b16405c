import Stemma
import Testing
import TestSupport

/// The signature comparison matching ranks candidates by (issue 17), worked a word at a time.
@Suite struct MinHashTests {
    @Test func similarityIsTheShareOfPositionsWhoseLowHalvesAgree() {
        var random = SeededRandom(seed: 23)
        for round in 0..<500 {
            let a = (0..<MinHash.count).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            // Each position kept, changed in its low half only, its high half only, or by one bit
            // (the top bit of a lane: what a carry between lanes would get wrong).
            let b = a.map { v -> UInt32 in
                switch random.next() % 5 {
                case 0: return v ^ 0x0001_0000
                case 1: return v ^ 0x0000_8000
                case 2: return v ^ UInt32(truncatingIfNeeded: random.next() | 1) & 0xFFFF
                default: return v
                }
            }
            let agreeing = zip(a, b).filter { UInt16(truncatingIfNeeded: $0) == UInt16(truncatingIfNeeded: $1) }.count
            let x = MinHash(values: a), y = MinHash(values: b)
            #expect(x.similarity(y) == Double(agreeing) / Double(MinHash.count), "round \(round)")
            #expect(y.similarity(x) == x.similarity(y))
            #expect(x.similarity(x) == 1)
            // As stored: the low halves only, so the same estimate.
            #expect(MinHash(compact: x.compact)!.similarity(y) == x.similarity(y))
        }
    }

    /// Each position is its hash function's least value over the shingles, the functions fixed
    /// for good (stored signatures stay comparable): the values below follow from the definition
    /// (SplitMix64 from "STEMMA" for the odd multipliers, from "MATCH" for the offsets, the high
    /// 32 bits of multiply-add), worked out apart from this code.
    @Test func aSignatureIsEachFixedFunctionsLeastValueOverTheShingles() {
        let shingles: [UInt64] = [1, 2, 3, .max, 0x1234_5678_9ABC_DEF0]
        #expect(MinHash(shingles: shingles).values == [
            3058118266, 1034216636, 260229681, 376350936, 105922233, 1605984546, 126022020, 721897814, 222837442, 514690030,
            597309531, 592884194, 804602771, 907597076, 656366260, 181422822, 156827850, 402186909, 1590048754, 760409790,
            404151564, 18938057, 298428725, 71415886, 850303288, 227377627, 212014926, 59190794, 546955812, 462538821,
            76586416, 1377508557, 1177709608, 524187677, 377655242, 46789360, 1285873059, 437293118, 437557689, 229930563,
        ])
        // A least value over a union is the lesser of the parts', in any order.
        var random = SeededRandom(seed: 29)
        for _ in 0..<100 {
            let a = (0..<Int(random.next() % 50 + 1)).map { _ in random.next() }
            let b = (0..<Int(random.next() % 50 + 1)).map { _ in random.next() }
            let whole = MinHash(shingles: (a + b).reversed()).values
            #expect(whole == zip(MinHash(shingles: a).values, MinHash(shingles: b).values).map { min($0, $1) })
        }
    }
}
