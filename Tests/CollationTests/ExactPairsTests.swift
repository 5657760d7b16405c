import Testing
@testable import Collation
import TestSupport

/// `ExactPairs` against a reference anyone can compute: count each sentence's bytes on both sides.
/// The texts are long enough that the hashes are split into many buckets.
@Suite struct ExactPairsTests {
    /// A text of `count` sentences drawn from `pool` (so some repeat), and an edited copy: some
    /// dropped, some reworded, some new, a few copied again.
    static func pair(count: Int, pool: Int, seed: UInt64) -> ([UInt8], [UInt8]) {
        var rng = SeededRandom(seed: seed)
        let words = ["rice", "exports", "grew", "in", "the", "province", "after", "talks", "with", "partners", "council", "approved"]
        func sentence(_ k: Int) -> String {
            var g = SeededRandom(seed: UInt64(k) &* 7919 &+ 1)
            return "Item \(k % 997) " + (0..<Int(g.next() % 6 + 2)).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ") + "."
        }
        var a: [String] = [], b: [String] = []
        for _ in 0..<count {
            let s = sentence(Int(rng.next() % UInt64(pool)))
            a.append(s)
            switch rng.next() % 20 {
            case 0: break // dropped
            case 1: b.append(s.replacingOccurrences(of: "rice", with: "coffee"))
            case 2: b.append(s); b.append("A new sentence \(rng.next() % 100_000).")
            case 3: b.append(s); b.append(s)
            default: b.append(s)
            }
        }
        func text(_ sentences: [String]) -> [UInt8] {
            Array(sentences.enumerated().map { $0.offset % 6 == 5 ? $0.element + "\n\n" : $0.element + " " }.joined().utf8)
        }
        return (text(a), text(b))
    }

    @Test(arguments: [(3_000, 2_500, 1), (6_000, 100_000, 2), (9_000, 800, 3), (3_000, 30, 4)] as [(Int, Int, UInt64)])
    func pairsAreTheSentencesOnceOnEachSide(count: Int, pool: Int, seed: UInt64) {
        let (bytesA, bytesB) = Self.pair(count: count, pool: pool, seed: seed)
        let a = Segmenter.segment(bytesA), b = Segmenter.segment(bytesB)
        func sentences(_ t: SegmentedText) -> [[UInt8]: [Int]] {
            var units: [[UInt8]: [Int]] = [:]
            for (u, unit) in t.units.enumerated() where unit.kind == .sentence { units[Array(t.bytes[unit.range]), default: []].append(u) }
            return units
        }
        let inA = sentences(a), inB = sentences(b)
        #expect(a.units.count + b.units.count > 2 * ExactPairs.bucketTarget) // hashes for several buckets
        var expectedA = [Int32](repeating: -1, count: a.units.count), expectedB = [Int32](repeating: -1, count: b.units.count)
        var expectedRepeated = Set<[Int32]>()
        var bigGroups = 0
        for (bytes, us) in inA {
            guard let vs = inB[bytes] else { continue }
            if us.count == 1 && vs.count == 1 { expectedA[us[0]] = Int32(vs[0]); expectedB[vs[0]] = Int32(us[0]); continue }
            if us.count * vs.count > ExactPairs.allPairsLimit { bigGroups += 1; continue }
            for u in us { for v in vs { expectedRepeated.insert([Int32(u), Int32(v)]) } }
        }
        let exact = ExactPairs(a, b)
        let wrongA = expectedA.indices.filter { exact.partnerOfA[$0] != expectedA[$0] }
        let wrongB = expectedB.indices.filter { exact.partnerOfB[$0] != expectedB[$0] }
        #expect(wrongA.isEmpty && wrongB.isEmpty, "\(wrongA.count) units of A and \(wrongB.count) of B paired wrongly, first A \(wrongA.prefix(5))")
        // Groups of few copies: every pairing; larger ones: pairs of equal, repeated sentences.
        let repeated = exact.repeatedPairs.map { [$0.a, $0.b] }
        for pair in repeated {
            let bytes = Array(a.bytes[a.units[Int(pair[0])].range])
            #expect(bytes == Array(b.bytes[b.units[Int(pair[1])].range]))
            #expect(inA[bytes]!.count + inB[bytes]!.count > 2)
        }
        #expect(Set(repeated).isSuperset(of: expectedRepeated))
        if bigGroups > 0 { #expect(repeated.count > expectedRepeated.count) } // the large groups' copies pair too
    }
}
