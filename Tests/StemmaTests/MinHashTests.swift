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
}
