import Testing
import TestSupport
@testable import Collation

/// The laws every collation obeys, on random texts, mutated real texts and awkward edge cases.
@Suite struct PropertyTests {
    static let vocabulary = ["the", "The", "Việt Nam", "Vietnam", "co-operation", "cooperation", "Trọng", "Tro\u{0323}ng", "Trong",
                             "said", "2.5", "per cent", "percent", "organisation", "organization", "Hà Nội", "Hanoi", "\u{201C}quoted\u{201D}",
                             "\"quoted\"", "👍🏽", "x\u{0301}", "Mr.", "Sen.", "Lt.", "Gen.", "Wei", "—", "–", ",", ";", "(CPV)", "U.S.",
                             "defence", "defense", "é", "e\u{0301}", "ministries", "friendship", "\u{00A0}", "COVID-19"]
    static let separators = [" ", " ", " ", "  ", "\u{00A0}", ". ", ".\n\n", ".\r\n\r\n", "\n", ", ", "! ", "? \"", ".\n\n\n\n"]

    static func randomText(_ rng: inout SeededRandom, words: Int) -> [UInt8] {
        var s = rng.next() % 5 == 0 ? "\u{FEFF}" : ""
        if rng.next() % 6 == 0 { s += " date 2021-04-27 " }
        for _ in 0..<words {
            s += vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
            s += separators[Int(rng.next() % UInt64(separators.count))]
        }
        if rng.next() % 4 == 0 { s += "— VNS" }
        return Array(s.utf8)
    }

    /// Token-level mutations of a text: deletions, insertions, swaps of lines, byte edits.
    static func mutate(_ bytes: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        for _ in 0..<Int(rng.next() % 8) {
            var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard !words.isEmpty else { break }
            let i = Int(rng.next() % UInt64(words.count))
            switch rng.next() % 6 {
            case 0: words.remove(at: i)
            case 1: words.insert(vocabulary[Int(rng.next() % UInt64(vocabulary.count))], at: i)
            case 2: words[i] = words[i].uppercased()
            case 3: words[i] = words[i].replacingOccurrences(of: "o", with: "ọ")
            case 4:
                var paragraphs = text.components(separatedBy: "\n\n")
                if paragraphs.count > 2 {
                    let p = paragraphs.remove(at: Int(rng.next() % UInt64(paragraphs.count)))
                    paragraphs.insert(p, at: Int(rng.next() % UInt64(paragraphs.count + 1)))
                }
                text = paragraphs.joined(separator: "\n\n")
                continue
            default: words[i] += "\r\n"
            }
            text = words.joined(separator: " ")
        }
        return Array(text.utf8)
    }

    static func checkLaws(_ a: [UInt8], _ b: [UInt8], _ context: String) {
        let c = Collator.collate(a, b)
        var lastA = 0, lastB = 0
        var rebuilt: [UInt8] = []
        for change in c.changes {
            #expect(change.a.lowerBound >= lastA && change.b.lowerBound >= lastB, "unsorted or overlapping: \(context)")
            #expect(change.a.upperBound <= a.count && change.b.upperBound <= b.count, "out of range: \(context)")
            #expect(!(change.a.isEmpty && change.b.isEmpty), "empty change: \(context)")
            guard change.a.lowerBound >= lastA, change.a.upperBound <= a.count, change.b.upperBound <= b.count else { return }
            // The unchanged stretch of A must equal the corresponding stretch of B.
            #expect(a[lastA..<change.a.lowerBound].elementsEqual(b[lastB..<change.b.lowerBound]), "unchanged text differs: \(context)")
            rebuilt += a[lastA..<change.a.lowerBound]
            rebuilt += b[change.b]
            lastA = change.a.upperBound; lastB = change.b.upperBound
            #expect(Array(c.aText(change).utf8) == Array(a[change.a]) || !validUTF8(a[change.a]))
        }
        rebuilt += a[lastA...]
        #expect(rebuilt == b, "reconstruction failed: \(context)")
        #expect(c.summary.similarity >= 0 && c.summary.similarity <= 1)
        // The summary counts a move once (its insertion half) and the changes inside it.
        let oldPlaces = c.changes.filter { $0.move != nil && $0.b.isEmpty }
        let inner = c.changes.reduce(0) { $0 + $1.inner.count }
        #expect(c.summary.kinds.values.reduce(0, +) == c.changes.count - oldPlaces.count + inner)
        // Moves come in pairs: one deletion and one insertion per id.
        var moves: [Int: (del: Int, ins: Int)] = [:]
        for change in c.changes { if let m = change.move { if change.b.isEmpty { moves[m, default: (0, 0)].del += 1 } else { moves[m, default: (0, 0)].ins += 1 } } }
        #expect(moves.values.allSatisfy { $0.del == 1 && $0.ins == 1 }, "unpaired move: \(context)")
        // What changed inside a move lies inside its two places, in order.
        for insertion in c.changes where insertion.move != nil && insertion.a.isEmpty {
            let oldPlace = oldPlaces.first { $0.move == insertion.move }?.a ?? 0..<0
            var lastInnerB = insertion.b.lowerBound
            for change in insertion.inner {
                #expect(change.a.lowerBound >= oldPlace.lowerBound && change.a.upperBound <= oldPlace.upperBound, "inner change outside the old place: \(context)")
                #expect(change.b.lowerBound >= lastInnerB && change.b.upperBound <= insertion.b.upperBound, "inner change outside the new place: \(context)")
                lastInnerB = change.b.upperBound
            }
        }
    }

    static func validUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var decoder = UTF8()
        var it = bytes.makeIterator()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    @Test func edgeCases() {
        let cases: [(String, String)] = [
            ("", ""), ("", "Hello."), ("Hello.", ""), ("Same text.", "Same text."), ("a\r\nb\r\n", "a\nb\n"),
            ("\u{FEFF}BOM here.", "BOM here."), ("Tro\u{0323}ng went.", "Trọng went."), ("👍🏽 emoji.", "👍 emoji."),
            (" ", "\n\n"), ("x\u{0301}", "x"), ("No final newline", "No final newline\n"), ("A. B. C.", "C. B. A."),
            ("date 2021-04-27 Text.", "Text. — VNS"),
        ]
        for (a, b) in cases {
            Self.checkLaws(Array(a.utf8), Array(b.utf8), "\(a.debugDescription) → \(b.debugDescription)")
            Self.checkLaws(Array(b.utf8), Array(a.utf8), "\(b.debugDescription) → \(a.debugDescription)")
        }
        let identical = Collator.collate("One. Two.\n\nThree.", "One. Two.\n\nThree.")
        #expect(identical.changes.isEmpty && identical.summary.similarity == 1)
    }

    @Test func randomTexts() {
        var rng = SeededRandom(seed: 42)
        for round in 0..<300 {
            let a = Self.randomText(&rng, words: Int(rng.next() % 60))
            let b = Self.randomText(&rng, words: Int(rng.next() % 60))
            Self.checkLaws(a, b, "random round \(round)")
        }
    }

    @Test func mutatedTexts() {
        var rng = SeededRandom(seed: 7)
        var bases = [Array(DemoCorpusTexts.wire.utf8), Array(DemoCorpusTexts.paper.utf8)]
        if SharedSamples.available {
            bases += [SharedSamples.bytes(SharedSamples.wirePath), SharedSamples.bytes(SharedSamples.newspaperPath)]
        }
        for round in 0..<200 {
            let base = bases[round % bases.count]
            let a = round % 3 == 0 ? base : Self.mutate(base, &rng)
            let b = Self.mutate(base, &rng)
            Self.checkLaws(a, b, "mutation round \(round)")
        }
    }

    @Test func invalidUTF8NeverCrashes() {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<100 {
            var a = Array("Valid start. Then more text here.".utf8)
            var b = a
            for _ in 0..<3 {
                a.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(a.count)))
                b.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(b.count)))
            }
            let c = Collator.collate(a, b)
            #expect(reconstruct(c) == b)
        }
    }
}

/// Small texts of our own for the engine's tests (the demo corpus lives in the Stemma module).
enum DemoCorpusTexts {
    static let wire = """
    date 2024-03-12 Hanoi (VNA) – Deputy Prime Minister Tran Van Hai on Tuesday received a delegation led by Secretary Maria Santos.

    The two sides discussed measures to boost cooperation in rice trade and the organization of joint programs.

    Santos thanked Vietnam for being a reliable supplier.

    High-level visits have been maintained regularly, she noted.

    """
    static let paper = """
    Hải receives Santos in Hà Nội on Tuesday. VNA/VNS Photo Minh Đức

    HÀ NỘI — Deputy Prime Minister Trần Văn Hải on Tuesday received a delegation led by Secretary Maria Santos.

    Santos thanked Việt Nam for being a reliable supplier.

    The two sides discussed ways to boost co-operation in rice trade and the organisation of joint programmes. — VNS
    """
}

@Suite struct AlignmentTests {
    static let paragraphs = [
        "The ministry announced a new plan for coastal provinces on Monday.",
        "Officials said the plan covers flood defences, mangrove planting and early warning systems.",
        "Funding will come from the state budget and international partners over five years.",
        "Local authorities must submit detailed proposals before the end of the year.",
        "Experts welcomed the plan but warned that enforcement has been weak in the past.",
    ]

    @Test func aMovedParagraphIsOneMove() {
        let a = Self.paragraphs.joined(separator: "\n\n") + "\n"
        var moved = Self.paragraphs
        moved.append(moved.remove(at: 1))
        let b = moved.joined(separator: "\n\n") + "\n"
        let c = Collator.collate(a, b)
        let moves = c.changes.filter { $0.move != nil }
        #expect(moves.count == 2, "\(c.changes.map { ($0.changeClass, c.aText($0), c.bText($0)) })")
        #expect(Set(moves.compactMap(\.move)).count == 1)
        #expect(moves.contains { $0.b.isEmpty && c.aText($0).hasPrefix("Officials said") })
        #expect(moves.contains { $0.a.isEmpty && c.bText($0).hasPrefix("Officials said") })
        #expect(c.changes.filter { $0.move == nil && $0.kind == .substantive }.isEmpty)
        #expect(c.summary.sentencesMoved == 1)
        #expect(reconstruct(c) == Array(b.utf8))
    }

    /// A long story over a small vocabulary: more than 128 words occur in over 24 sentences, so
    /// the aligner scores candidates by merging key lists instead of its bit masks.
    @Test func longStoryWithManyCommonWords() {
        var rng = SeededRandom(seed: 3)
        let vocabulary = (0..<160).map { "w\($0)" }
        var paragraphs: [String] = []
        var sentenceWords: [Set<String>] = []
        for p in 0..<100 {
            var sentences: [String] = []
            for s in 0..<4 {
                let words = ["S\(p)x\(s)"] + (0..<14).map { _ in vocabulary[Int(rng.next() % 160)] }
                sentenceWords.append(Set(words))
                sentences.append(words.joined(separator: " ") + ".")
            }
            paragraphs.append(sentences.joined(separator: " "))
        }
        let frequent = vocabulary.filter { w in sentenceWords.filter { $0.contains(w) }.count > 24 }
        #expect(frequent.count > 128)
        var edited = paragraphs
        edited[50] = edited[50].replacingOccurrences(of: "S50x2 ", with: "S50x2 inserted ")
        edited.insert(edited.remove(at: 10), at: 80)
        let a = paragraphs.joined(separator: "\n\n"), b = edited.joined(separator: "\n\n")
        let c = Collator.collate(a, b)
        #expect(reconstruct(c) == Array(b.utf8))
        #expect(Set(c.changes.compactMap(\.move)).count == 1)
        #expect(c.summary.sentencesMoved == 4)
        let unmoved = c.changes.filter { $0.move == nil && $0.kind == .substantive }
        #expect(unmoved.count == 1 && unmoved.first.map { c.bText($0).contains("inserted") } == true,
                "\(unmoved.map { (c.aText($0), c.bText($0)) })")
    }

    /// Sentences found on both sides byte for byte, once each, pair before the similarity search;
    /// a sentence written twice on one side is left to it.
    @Test func exactPairsAreUniqueIdenticalSentences() {
        let a = Segmenter.segment(Array("One two three. Four five six. Again and again. Again and again. Seven eight.".utf8))
        let b = Segmenter.segment(Array("Four five six. One two three! Again and again. Seven eight.".utf8))
        let pairs = ExactPairs(a, b)
        func text(_ t: SegmentedText, _ u: Int32) -> String { t.text(t.units[Int(u)].range) }
        let found = pairs.partnerOfA.enumerated().filter { $0.element >= 0 }.map { (a.text(a.units[$0.offset].range), text(b, $0.element)) }
        #expect(found.map(\.0) == ["Four five six.", "Seven eight."])
        #expect(found.allSatisfy { $0.0 == $0.1 })
        for (j, i) in pairs.partnerOfB.enumerated() where i >= 0 { #expect(pairs.partnerOfA[Int(i)] == Int32(j)) }
    }

    /// In a long story a sentence of common words only finds no candidates through the inverted
    /// index (its words are in too many sentences); passed through untouched, it is still paired.
    @Test func anUntouchedSentenceOfCommonWordsIsUnchanged() {
        let filler = (0..<40).map { "The plan is on the table for the people number \($0) of the year." }
        let common = "The people of the year is on the table for the plan."
        let a = (filler[..<20] + [common] + filler[20...]).joined(separator: " ")
        let b = (filler[..<20] + [common] + filler[20...]).joined(separator: " ").replacingOccurrences(of: "number 7 ", with: "number seven ")
        let c = Collator.collate(a, b)
        #expect(reconstruct(c) == Array(b.utf8))
        #expect(c.summary.sentencesChanged == 1 && c.summary.sentencesUnchanged == 40 && c.summary.sentencesAdded == 0)
    }

    @Test func aMovedTwoSentenceBlockIsOneMove() {
        let a = Self.paragraphs.joined(separator: " ")
        let b = [Self.paragraphs[0], Self.paragraphs[3], Self.paragraphs[4], Self.paragraphs[1], Self.paragraphs[2]].joined(separator: " ")
        let c = Collator.collate(a, b)
        #expect(Set(c.changes.compactMap(\.move)).count == 1)
        #expect(reconstruct(c) == Array(b.utf8))
    }

    @Test func splitSentenceIsLabelled() {
        let a = "The council approved the budget, and it will take effect next month. Nothing else changed here today."
        let b = "The council approved the budget. It will take effect next month. Nothing else changed here today."
        let c = Collator.collate(a, b)
        #expect(c.changes.contains { $0.changeClass == .sentenceSplit }, "\(c.changes.map { ($0.changeClass, c.aText($0), c.bText($0)) })")
        let merged = Collator.collate(b, a)
        #expect(merged.changes.contains { $0.changeClass == .sentenceMerged })
    }

    @Test func myersFindsALongestCommonSubsequence() {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<300 {
            let a = (0..<Int(rng.next() % 12)).map { _ in Int32(rng.next() % 4) }
            let b = (0..<Int(rng.next() % 12)).map { _ in Int32(rng.next() % 4) }
            let m = Myers.matches(ArraySlice(a), ArraySlice(b))
            #expect(m.count == lcsLength(a, b))
            #expect(m.allSatisfy { a[$0.0] == b[$0.1] })
            #expect(zip(m, m.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 })
        }
    }

    func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        var t = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0..<a.count { for j in 0..<b.count { t[i + 1][j + 1] = a[i] == b[j] ? t[i][j] + 1 : max(t[i][j + 1], t[i + 1][j]) } }
        return t[a.count][b.count]
    }

    /// With only token edits, we never report more changed tokens than a plain word diff.
    @Test func noMoreChangedTokensThanAPlainWordDiff() {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
                     "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor"]
        var rng = SeededRandom(seed: 11)
        for round in 0..<100 {
            var sentences: [[String]] = (0..<(2 + Int(rng.next() % 6))).map { _ in (0..<(6 + Int(rng.next() % 14))).map { _ in words[Int(rng.next() % UInt64(words.count))] } }
            let a = render(sentences)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let s = Int(rng.next() % UInt64(sentences.count))
                let i = Int(rng.next() % UInt64(sentences[s].count))
                switch rng.next() % 3 {
                case 0: if sentences[s].count > 3 { sentences[s].remove(at: i) }
                case 1: sentences[s].insert(words[Int(rng.next() % UInt64(words.count))], at: i)
                default: sentences[s][i] = words[Int(rng.next() % UInt64(words.count))]
                }
            }
            let b = render(sentences)
            let ours = changedTokens(Collator.collate(a, b))
            #expect(ours <= plainWordDiff(a, b), "round \(round)\nA: \(a)\nB: \(b)")
        }
    }

    func render(_ sentences: [[String]]) -> String {
        sentences.map { s in s.enumerated().map { $0 == 0 ? $1.capitalized : $1 }.joined(separator: " ") + "." }.joined(separator: " ")
    }

    func nonSpaceTokens(_ s: [UInt8]) -> [Token] { Tokenizer.tokenize(s).filter { $0.kind != .space } }

    func changedTokens(_ c: Collation) -> Int {
        let ta = nonSpaceTokens(c.a), tb = nonSpaceTokens(c.b)
        return ta.filter { t in c.changes.contains { $0.a.overlaps(t.range) } }.count
            + tb.filter { t in c.changes.contains { $0.b.overlaps(t.range) } }.count
    }

    func plainWordDiff(_ a: String, _ b: String) -> Int {
        let ba = Array(a.utf8), bb = Array(b.utf8)
        var ids: [String: Int32] = [:]
        func keys(_ bytes: [UInt8]) -> [Int32] {
            nonSpaceTokens(bytes).map { t in
                let s = String(decoding: bytes[t.range], as: UTF8.self)
                if let id = ids[s] { return id }
                ids[s] = Int32(ids.count); return Int32(ids.count - 1)
            }
        }
        let ka = keys(ba), kb = keys(bb)
        return ka.count + kb.count - 2 * Myers.matches(ArraySlice(ka), ArraySlice(kb)).count
    }
}
