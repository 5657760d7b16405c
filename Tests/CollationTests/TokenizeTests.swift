import Testing
@testable import Collation
import TestSupport

@Suite struct TokenizeTests {
    func texts(_ s: String) -> [String] {
        let bytes = Array(s.utf8)
        return Tokenizer.tokenize(bytes).map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    /// A token packs its kind into its end offset: every kind and every offset up to the
    /// engine's limit comes back as it went in.
    @Test func tokensKeepKindAndOffsetsUpToTheLimit() {
        let kinds: [Token.Kind] = [.word, .number, .punctuation, .space]
        let edges = [0, 1, 3, 4, 255, 1 << 16, 1 << 24, Collator.maxTextBytes - 1, Collator.maxTextBytes]
        for kind in kinds {
            for start in edges { for end in edges where end >= start {
                let token = Token(kind: kind, range: start..<end)
                #expect(token.kind == kind && token.range == start..<end, "\(kind) \(start)..<\(end)")
            } }
        }
        #expect(MemoryLayout<Token>.stride == 8)
    }

    @Test func tokensAreLossless() {
        for s in ["", " ", "a", "Hello, world!\r\n", "\u{FEFF}BOM start", "co-operation 2.5 per cent", "Tro\u{0323}ng 👍🏽 x\u{0301}", "\u{00A0}nbsp\u{202F}x"] {
            let bytes = Array(s.utf8)
            let joined = Tokenizer.tokenize(bytes).flatMap { bytes[$0.range] }
            #expect(joined == bytes, "\(s)")
        }
    }

    @Test func wordsKeepInnerJoinersAndMarks() {
        #expect(texts("co-operation") == ["co-operation"])
        #expect(texts("don't stop") == ["don't", " ", "stop"])
        #expect(texts("Tro\u{0323}ng.") == ["Tro\u{0323}ng", "."])
        #expect(texts("2.5 million, 1,000") == ["2.5", " ", "million", ",", " ", "1,000"])
        #expect(texts("end. Next") == ["end", ".", " ", "Next"])
        #expect(texts("COVID-19") == ["COVID-19"])
    }

    /// The tokenizer's byte-level fast paths (a class table, eight bytes at a time) against the
    /// rules stated scalar by scalar, on random mixes of the scripts and marks news text holds.
    @Test func fastPathsFollowTheScalarRules() {
        let pieces = ["a", "Z", "q", "7", "0", "-", "'", ".", ",", " ", "  ", "\n", "\n\n", "\t", "\u{2019}", "\u{2010}", "\u{2011}",
                      "\u{00A0}", "\u{202F}", "ọ", "Đ", "\u{0323}", "\u{0301}", "\u{200D}", "👍🏽", "—", "…", "“", "ǅ", "ß", "²", "٣",
                      "abcdefgh", "ABCDEFGHIJ", "12345678", "co-operation", "Việt", "@", "[", "`", "{", "\u{FEFF}", "\u{FFFD}"]
        var rng = SeededRandom(seed: 11)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 24) {
                if rng.next() % 40 == 0 { bytes.append([0xFF, 0x80, 0xE2, 0xC3][Int(rng.next() % 4)]) } // invalid UTF-8
                else { bytes += Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8) }
            }
            let fast = Tokenizer.tokenize(bytes).map { "\($0.kind)\($0.range)" }
            #expect(fast == referenceTokens(bytes), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    /// The 64-byte block path against the rules and against the one-token-at-a-time path, on
    /// texts long enough to fill blocks: mostly ASCII words and single spaces (the case the blocks
    /// are for), with joiners, digits, punctuation, blank lines and scalars outside ASCII mixed
    /// in at every position a block can put them, including its last bytes.
    @Test func blocksFollowTheScalarRules() {
        let pieces = ["the", "co-operation", "don't", "2.5", "1,000", "U.S.", "COVID-19", "1-a", "a-1", "x.", "7,", "-", "'", ".", ",",
                      "!", "?", "(", "\"", "\n\n", "  ", "\t", "\r\n", "\u{0B}", "\u{0C}", "Việt", "Hà Nội", "Tro\u{0323}ng", "\u{2019}s",
                      "—", "…", "\u{00A0}", "\u{0301}", "👍🏽", "abcdefghijklmnopqrstuvwxyz", "0123456789", "@", "_", "\u{7F}", "\u{01}"]
        var rng = SeededRandom(seed: 64)
        for round in 0..<1_500 {
            var bytes: [UInt8] = []
            let length = 40 + Int(rng.next() % UInt64(round % 3 == 0 ? 2_000 : 300))
            while bytes.count < length {
                switch rng.next() % 10 {
                case 0..<5: bytes += Array(["word", "Minister", "in", "a", "Committee", "of", "Vietnam", "and", "x"][Int(rng.next() % 9)].utf8)
                case 5..<8: bytes.append(0x20)
                case 8: if rng.next() % 60 == 0 { bytes.append([0xFF, 0x80, 0xE2, 0xC3][Int(rng.next() % 4)]) } // invalid UTF-8
                        else { bytes += Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8) }
                default: bytes += Array(pieces[Int(rng.next() % 21)].utf8) // ASCII pieces only
                }
            }
            var blockBreaks = BreakCandidates(), singleBreaks = BreakCandidates()
            let blocks = Tokenizer.tokenize(bytes, breaks: &blockBreaks)
            let single = Tokenizer.tokenizeOneAtATime(bytes, breaks: &singleBreaks)
            let text = String(decoding: bytes, as: UTF8.self).debugDescription
            #expect(blocks == single, "\(text)")
            #expect(blockBreaks.stops == singleBreaks.stops && blockBreaks.longSpaces == singleBreaks.longSpaces, "\(text)")
            if round % 10 == 0 { #expect(blocks.map { "\($0.kind)\($0.range)" } == referenceTokens(bytes), "\(text)") }
        }
    }

    /// Block edges and tokens as long as a block: each text below is cut at every length around
    /// one and two blocks, so a token or a joiner falls on every byte of a block's end.
    @Test func blocksHandleTheirEdges() {
        let texts = [String(repeating: "a", count: 200), String(repeating: " ", count: 200), String(repeating: ".", count: 200),
                     String(repeating: "ab-", count: 70), String(repeating: "1.2,", count: 50), String(repeating: "x ", count: 100),
                     String(repeating: "word\n\n", count: 40), String(repeating: "Việt ", count: 40), String(repeating: "\u{0}\u{7F}a", count: 70)]
        for text in texts {
            let all = Array(text.utf8)
            for length in Set([0, 1, 62, 63, 64, 65, 66, 126, 127, 128, 129, 130, all.count]) where length <= all.count {
                let bytes = Array(all[..<length])
                var blockBreaks = BreakCandidates(), singleBreaks = BreakCandidates()
                let blocks = Tokenizer.tokenize(bytes, breaks: &blockBreaks)
                #expect(blocks == Tokenizer.tokenizeOneAtATime(bytes, breaks: &singleBreaks), "\(text.prefix(12)) cut at \(length)")
                #expect(blockBreaks.stops == singleBreaks.stops && blockBreaks.longSpaces == singleBreaks.longSpaces)
                #expect(blocks.flatMap { bytes[$0.range] } == bytes)
            }
        }
    }

    /// The tokenizer's rules, one scalar at a time.
    func referenceTokens(_ bytes: [UInt8]) -> [String] {
        var scalars: [(c: Unicode.Scalar, at: Int)] = []
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            while i < bytes.count { let (c, l) = decodeScalar(p.baseAddress!, i, bytes.count); scalars.append((c, i)); i += l }
        }
        func start(_ k: Int) -> Int { k < scalars.count ? scalars[k].at : bytes.count }
        var out: [String] = []
        var k = 0
        while k < scalars.count {
            let first = k, c = scalars[k].c
            k += 1
            if Tokenizer.isSpace(c) {
                while k < scalars.count && Tokenizer.isSpace(scalars[k].c) { k += 1 }
                out.append("\(Token.Kind.space)\(start(first)..<start(k))")
            } else if Tokenizer.isWordScalar(c) {
                var sawLetter = !Tokenizer.isDigit(c) && !Tokenizer.isExtending(c)
                while k < scalars.count {
                    let x = scalars[k].c
                    if Tokenizer.isWordScalar(x) || Tokenizer.isExtending(x) {
                        if !Tokenizer.isDigit(x) && !Tokenizer.isExtending(x) { sawLetter = true }
                        k += 1
                        continue
                    }
                    guard k + 1 < scalars.count, Tokenizer.isWordScalar(scalars[k + 1].c) else { break }
                    let before = scalars[k - 1].c, after = scalars[k + 1].c
                    let joins = ["-", "\u{2010}", "\u{2011}", "'", "\u{2019}"].contains(x)
                        || ([".", ","].contains(x) && Tokenizer.isDigit(before) && Tokenizer.isDigit(after))
                    guard joins else { break }
                    k += 2
                }
                out.append("\(sawLetter ? Token.Kind.word : .number)\(start(first)..<start(k))")
            } else {
                while k < scalars.count && Tokenizer.isExtending(scalars[k].c) { k += 1 }
                out.append("\(Token.Kind.punctuation)\(start(first)..<start(k))")
            }
        }
        return out
    }

    @Test func invalidUTF8StillCoversEveryByte() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xE2, 0x82]
        let tokens = Tokenizer.tokenize(bytes)
        #expect(tokens.flatMap { bytes[$0.range] } == bytes)
    }
}

@Suite struct SegmentTests {
    func sentences(_ s: String) -> [String] {
        let seg = Segmenter.segment(Array(s.utf8))
        return seg.units.filter { $0.kind == .sentence }.map { seg.text($0.range) }
    }

    @Test func abbreviationsDecimalsAndQuotesDoNotEndSentences() {
        #expect(sentences("He met Sen. Lt. Gen. Wei Fenghe. Then he left.") == ["He met Sen. Lt. Gen. Wei Fenghe.", "Then he left."])
        #expect(sentences("Mr. Trong spoke. Growth was 2.5 per cent.") == ["Mr. Trong spoke.", "Growth was 2.5 per cent."])
        #expect(sentences("The U.S. Embassy said so. It agreed.") == ["The U.S. Embassy said so.", "It agreed."])
        #expect(sentences("\"We agree.\" He said so.") == ["\"We agree.\"", "He said so."])
        #expect(sentences("First paragraph without stop\n\nSecond one.") == ["First paragraph without stop", "Second one."])
    }

    @Test func boilerplateIsCutOut() {
        let wire = " date 2021-04-27 At the meeting, he spoke.\n\nHe left."
        let seg = Segmenter.segment(Array(wire.utf8))
        #expect(seg.units.first?.kind == .boilerplate(.dateHeader))
        #expect(seg.text(seg.units[0].range) == "date 2021-04-27")
        #expect(seg.text(seg.units[1].range) == "At the meeting, he spoke.")

        let paper = "Leaders meet in Hà Nội. VNA/VNS Photo Trí Dũng\n\nHÀ NỘI — The talks began. They ended. — VNS"
        let p = Segmenter.segment(Array(paper.utf8))
        let kinds = p.units.map(\.kind)
        #expect(kinds == [.boilerplate(.caption), .boilerplate(.dateline), .sentence, .sentence, .boilerplate(.byline)])
        #expect(p.text(p.units[1].range) == "HÀ NỘI —")
        #expect(p.text(p.units[4].range) == "— VNS")

        let dateline = Segmenter.segment(Array("Hanoi (VNA) \u{2013} Talks began.".utf8))
        #expect(dateline.units.first?.kind == .boilerplate(.dateline))
        #expect(dateline.text(dateline.units[0].range) == "Hanoi (VNA) \u{2013}")
    }
}

@Suite struct NormalizeTests {
    @Test func keysFoldHouseStyle() {
        func key(_ s: String) -> String { Normalizer.key(s, except: []) }
        #expect(key("Trọng") == key("Trong"))
        #expect(key("Tro\u{0323}ng") == key("Trọng"))
        #expect(key("co-operation") == key("cooperation"))
        #expect(key("Việt Nam") == key("Vietnam"))
        #expect(key("Hà Nội") == key("Hanoi"))
        #expect(key("organisation") == key("organization"))
        #expect(key("neighbourliness") == key("neighborliness"))
        #expect(key("centre") == key("center"))
        #expect(key("defence") == key("defense"))
        #expect(key("travelled") == key("traveled"))
        #expect(key("programme") == key("program"))
        #expect(key("\u{201C}") == key("\""))
        #expect(key("four") != key("for"))
        #expect(key("filled") != key("filed"))
    }

    @Test func classifierNamesTheLayer() {
        #expect(Classifier.accidental("Trong", "Trọng") == .diacritics)
        #expect(Classifier.accidental("Vietnam", "Việt Nam") == .diacritics)
        #expect(Classifier.accidental("cooperation", "co-operation") == .hyphenation)
        #expect(Classifier.accidental("organization", "organisation") == .spelling)
        #expect(Classifier.accidental("the", "The") == .case)
        #expect(Classifier.accidental("\"", "\u{201D}") == .typography)
        #expect(Classifier.accidental("Tro\u{0323}ng", "Trọng") == .unicode)
        #expect(Classifier.accidental(",", "") == .punctuation)
        #expect(Classifier.accidental("congratulated", "noted") == nil)
        #expect(Classifier.separator("\n\n\n\n", "\n\n") == .whitespace)
        #expect(Classifier.separator(" ", "\u{00A0}") == .typography)
    }
}
