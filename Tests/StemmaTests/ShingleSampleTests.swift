import Collation
import Testing
import TestSupport
@testable import Stemma

/// The shingle samples an import rules candidates out by before reading their texts (issue 17,
/// import speed): consistent across texts, so what two samples share is the sample of what the
/// texts share, and a rule that never rules out a text holding most of the query.
@Suite struct ShingleSampleTests {
    /// `count` sentences of words drawn by `random`: two calls share no run of words by design.
    static func text(_ count: Int, _ random: inout SeededRandom) -> String {
        let words = ["harbour", "council", "budget", "river", "bridge", "teacher", "school", "farmer", "market", "price",
                     "festival", "railway", "station", "hospital", "doctor", "village", "road", "power", "plant", "forest"]
        return (0..<count).map { _ in
            (0..<12).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ").capitalized + "."
        }.joined(separator: " ")
    }

    @Test func aSampleIsTheShinglesWithTheTopThreeBitsClearAndTwoSamplesShareTheSampleOfWhatTheTextsShare() {
        var random = SeededRandom(seed: 5)
        for round in 0..<50 {
            let common = Self.text(20, &random), a = Self.text(10, &random), b = Self.text(15, &random)
            let x = Shingles.of(Array((a + " " + common).utf8)), y = Shingles.of(Array((common + " " + b).utf8))
            let sx = ShingleSample(x), sy = ShingleSample(y)
            #expect(sx.values == x.filter { $0 >> 61 == 0 }.map { UInt32(truncatingIfNeeded: $0) }.sorted(), "round \(round)")
            #expect(sx.shared(with: sy) == Set(x).intersection(y).filter { $0 >> 61 == 0 }.count, "round \(round)")
            #expect(sx.shared(with: sy) == sy.shared(with: sx))
            #expect(sx.shared(with: sx) == sx.values.count)
        }
    }

    @Test func theSampleRulesOutUnrelatedTextsAndNeverOneHoldingTheQueryOrMostOfIt() {
        var random = SeededRandom(seed: 11)
        for round in 0..<40 {
            let query = Self.text(60, &random)
            let aligner = QueryAligner(Array(query.utf8))
            #expect(aligner.sample.values.count >= MatchPolicy.smallestSample, "round \(round): a long query is sampled enough")
            // The whole query inside a longer text; two thirds of its sentences in another.
            let sentences = query.components(separatedBy: ". ")
            let holding = ShingleSample(Shingles.of(Array((Self.text(30, &random) + " " + query).utf8)))
            let most = ShingleSample(Shingles.of(Array(sentences.prefix(40).joined(separator: ". ").utf8)))
            let unrelated = ShingleSample(Shingles.of(Array(Self.text(80, &random).utf8)))
            #expect(!aligner.rulesOut(sampled: holding), "round \(round)")
            #expect(!aligner.rulesOut(sampled: most), "round \(round)")
            #expect(aligner.rulesOut(sampled: unrelated), "round \(round)")
        }
    }

    @Test func aQueryTooShortForItsSampleIsNeverRuledOutByIt() {
        var random = SeededRandom(seed: 3)
        let aligner = QueryAligner(Array(Self.text(2, &random).utf8))
        #expect(aligner.sample.values.count < MatchPolicy.smallestSample)
        #expect(!aligner.rulesOut(sampled: ShingleSample([])))
    }
}
