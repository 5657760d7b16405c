import Testing
import TestSupport
@testable import Collation

/// The lexicon is a cache: whatever it remembers from earlier comparisons, a comparison's result
/// must be the one a fresh lexicon gives.
@Suite struct LexiconTests {
    @Test func tokenTableFindsWhatItHolds() {
        var table = TokenTable(slotCount: 4) // tiny, so it grows many times
        var rng = SeededRandom(seed: 7)
        // Short texts that differ only in trailing zero bytes or length, and long ones sharing a prefix.
        var texts: [[UInt8]] = [[], [0], [0, 0], Array("a".utf8), Array("a\u{0}".utf8), Array(String(repeating: "x", count: 16).utf8),
                                Array(String(repeating: "x", count: 17).utf8), Array(String(repeating: "x", count: 40).utf8)]
        for _ in 0..<3_000 {
            let length = Int(rng.next() % 40)
            texts.append((0..<length).map { _ in UInt8(rng.next() % 4) + 97 })
        }
        var ids: [[UInt8]: Int32] = [:]
        for (n, text) in texts.enumerated() {
            text.withUnsafeBytes { raw in
                let probe = TokenTable.probe(raw)
                if let known = ids[text] {
                    #expect(table.find(raw, probe)?.exact == known)
                } else {
                    #expect(table.find(raw, probe) == nil, "found before insertion: \(text)")
                    let id = table.insert(raw, probe, key: Int32(n))
                    #expect(id == Int32(ids.count))
                    ids[text] = id
                }
            }
        }
        for (text, id) in ids {
            let found = text.withUnsafeBytes { table.find($0, TokenTable.probe($0)) }
            #expect(found?.exact == id)
        }
        #expect(table.count == ids.count)
    }

    @Test func asciiFoldingMatchesTheGeneralFold() {
        var rng = SeededRandom(seed: 13)
        let pieces = ["Organisation", "organise", "DEFENCE", "co-operation", "Centre", "centres", "analysed", "colour", "Grey",
                      "don't", "per cent", "U.S", "2.5", "1,000", "x", "-", "'", " ", "\"", "\t", "A", "z", "Z9", "tonnes", "Programme"]
        var samples = pieces + (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        for _ in 0..<2_000 {
            samples.append((0..<Int(rng.next() % 3 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        for text in samples {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBytes { Folding.foldAllASCII($0) }
            #expect(fast == Folding.fold(Substring(text).unicodeScalars, layers: .all), "\(text.debugDescription)")
        }
        #expect(Array("Việt".utf8).withUnsafeBytes { Folding.foldAllASCII($0) } == nil)
    }

    @Test func byteInternerNumbersInOrder() {
        var interner = ByteInterner(slotCount: 2)
        let words = (0..<500).map { Array("key\($0)".utf8) } + [[]]
        for (n, w) in words.enumerated() {
            let id = w.withUnsafeBytes { interner.insert($0, hash: hashBytes($0)) }
            #expect(id == Int32(n))
        }
        for (n, w) in words.enumerated() {
            #expect(w.withUnsafeBytes { interner.find($0, hash: hashBytes($0)) } == Int32(n))
            #expect(interner.withBytes(Int32(n)) { Array($0) } == w)
        }
        #expect(Array("absent".utf8).withUnsafeBytes { interner.find($0, hash: hashBytes($0)) } == nil)
    }

    @Test func warmLexiconGivesTheSameResultAsAFreshOne() {
        var rng = SeededRandom(seed: 11)
        let shared = Lexicon()
        for round in 0..<150 {
            let a = PropertyTests.randomText(&rng, words: Int(rng.next() % 60))
            let b = rng.next() % 3 == 0 ? PropertyTests.randomText(&rng, words: Int(rng.next() % 60)) : PropertyTests.mutate(a, &rng)
            let warm = Collator.collate(a, b, lexicon: shared)
            let fresh = Collator.collate(a, b, lexicon: Lexicon())
            #expect(warm.changes == fresh.changes, "round \(round)")
            #expect(warm.summary == fresh.summary, "round \(round)")
            #expect(warm.rows == fresh.rows, "round \(round)")
        }
        #expect(shared.count > 0)
    }

    /// The aligner's and the token diff's work lists stay in the workspace between comparisons and
    /// tell this comparison's marks from older ones by counters; when a counter wraps, the old
    /// marks must go, not be mistaken for new ones.
    @Test func workListsSurviveTheirCountersWrapping() {
        var rng = SeededRandom(seed: 23)
        let shared = CollationWorkspace()
        _ = Collator.collate(PropertyTests.randomText(&rng, words: 40), PropertyTests.randomText(&rng, words: 40), in: shared)
        shared.alignerScratch.seenBase = Int32.max / 2 - 3
        shared.analyserMarks.current = UInt32.max - 2
        for round in 0..<20 {
            let a = PropertyTests.randomText(&rng, words: Int(rng.next() % 50) + 5), b = PropertyTests.mutate(a, &rng)
            let warm = Collator.collate(a, b, in: shared)
            let fresh = Collator.collate(a, b, lexicon: Lexicon())
            #expect(warm.changes == fresh.changes, "round \(round)")
            #expect(warm.rows == fresh.rows, "round \(round)")
        }
        #expect(shared.alignerScratch.seenBase < Int32.max / 2)
        #expect(shared.analyserMarks.current < UInt32.max - 2)
    }

    @Test func aFullLexiconStartsAfreshBetweenComparisons() {
        var rng = SeededRandom(seed: 5)
        let small = Lexicon(limit: 20)
        var sawReset = false
        for round in 0..<40 {
            let a = PropertyTests.randomText(&rng, words: 30), b = PropertyTests.mutate(a, &rng)
            let before = small.count
            let result = Collator.collate(a, b, lexicon: small)
            if small.count < before { sawReset = true }
            #expect(result.changes == Collator.collate(a, b, lexicon: Lexicon()).changes, "round \(round)")
        }
        #expect(sawReset)
        #expect(small.count < 400)
    }

    @Test func keyNumbersStartAfreshForEachComparison() {
        let lexicon = Lexicon()
        let text = Segmenter.segment(Array("Trọng met Wei in Hà Nội.".utf8))
        _ = Normalizer.normalize(Segmenter.segment(Array("Quite different words first, then more.".utf8)), keys: KeyTable(lexicon: lexicon))
        let second = KeyTable(lexicon: lexicon)
        let normalized = Normalizer.normalize(text, keys: second)
        let used = normalized.keys.filter { $0 >= 0 }
        // Dense from zero in order of first use, whatever the lexicon saw before.
        #expect(used.first == 0)
        #expect(Set(used) == Set(0..<Int32(second.count)))
    }
}
