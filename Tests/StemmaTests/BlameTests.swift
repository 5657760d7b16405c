import Collation
import Foundation
import Testing
import TestSupport
@testable import Stemma

/// Sentence blame over real corpora.
@Suite struct BlameTests {
    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func theSampleNewspaperEditionIsBlamedAgainstTheWire() throws {
        let f = try Fixture()
        let wireBytes = SharedSamples.bytes(SharedSamples.wirePath), paperBytes = SharedSamples.bytes(SharedSamples.newspaperPath)
        let wire = try f.commit(wireBytes, story: "wei-fenghe", source: nil, date: nil).edition
        let paper = try f.commit(paperBytes, story: "wei-fenghe", source: nil, date: "2021-04-27", derivedFrom: wire).edition
        let blame = try f.corpus.blame(f.corpus.resolve(paper))
        #expect(blame.chain.map(\.edition) == [wire, paper])
        func line(_ prefix: String) -> BlameLine? { blame.lines.first { $0.text.hasPrefix(prefix) } }
        // Every line is a range of the edition's own bytes, in order, covering its sentences.
        #expect(blame.lines.allSatisfy { String(decoding: paperBytes[$0.range], as: UTF8.self) == $0.text })
        #expect(zip(blame.lines, blame.lines.dropFirst()).allSatisfy { $0.range.upperBound <= $1.range.lowerBound })
        // New at VNS: the photo caption and the paragraphs VNA does not have.
        let caption = try #require(blame.lines.first, "no lines")
        #expect(caption.text.contains("VNA/VNS Photo") && caption.status == .new && caption.origin == 1 && caption.similarity == nil)
        for added in ["He made the statement", "Wei met with President", "Welcoming Wei", "Regarding the talks"] {
            let l = try #require(line(added), "\(added) missing")
            #expect(l.status == .new && l.origin == 1, "\(added): \(l.status)")
        }
        // VNA's with house style only: co-operation and Việt Nam.
        let ministries = try #require(line("The two defence ministries will step up co-operation"))
        #expect(ministries.status == .accidentalOnly && ministries.origin == 0)
        #expect(Set(ministries.classes).isSuperset(of: [.hyphenation, .diacritics]))
        #expect(ministries.classes.allSatisfy { $0.kind == .accidental })
        // VNA's first sentence after its date header is VNA's, never new.
        let wireUnits = Segmenter.segment(wireBytes).units
        #expect(wireUnits.first?.kind == .boilerplate(.dateHeader))
        let firstWireSentence = String(decoding: wireBytes[wireUnits[1].range], as: UTF8.self)
        #expect(firstWireSentence.hasPrefix("At the meeting, the Party leader highlighted"))
        let meeting = try #require(line("At the meeting, the Party leader highlighted"))
        #expect([.reworded, .accidentalOnly].contains(meeting.status) && meeting.origin == 0)
        #expect((meeting.similarity ?? 0) > 0.5 && (meeting.similarity ?? 1) < 1)
        // The wire itself: every line is new there.
        let wireBlame = try f.corpus.blame(f.corpus.resolve(wire))
        #expect(wireBlame.lines.count == wireUnits.count && wireBlame.lines.allSatisfy { $0.status == .new && $0.origin == 0 })
    }

    static let s1 = "The port city opened a new container terminal on Tuesday."
    static let s2 = "The terminal can handle two million containers a year."
    static let s3 = "Officials expect trade with neighbouring countries to double."
    static let s4 = "A second terminal is planned for the northern shore."

    /// WikiWho's reinsertion rule: a sentence an intermediate edition dropped keeps its first origin.
    @Test func aReinstatedSentenceKeepsItsFirstOrigin() throws {
        let f = try Fixture()
        let a = try f.commit([Self.s1, Self.s2, Self.s3].joined(separator: " ") + "\n", story: "port", source: "VNA").edition
        let b = try f.commit([Self.s1, Self.s3].joined(separator: " ") + "\n", story: "port", source: "VNS", derivedFrom: a).edition
        let cText = [Self.s1, Self.s2.replacingOccurrences(of: "two", with: "Two").replacingOccurrences(of: "The terminal", with: "the terminal"),
                     Self.s3, Self.s4].joined(separator: "\n\n") + "\n"
        let c = try f.commit(cText, story: "port", source: "TTX", date: "2021-04-28", derivedFrom: b).edition
        let blame = try f.corpus.blame(f.corpus.resolve(c))
        #expect(blame.chain.map(\.edition) == [a, b, c])
        #expect(blame.lines.map(\.origin) == [0, 0, 0, 2])
        #expect(blame.lines.map(\.status) == [.unchanged, .accidentalOnly, .unchanged, .new])
        // The same texts without the rule: the reinstated sentence would be new at TTX.
        let plain = try f.corpus.collate(f.corpus.resolve(b), f.corpus.resolve(c))
        #expect(plain.alignment.first { $0.b == 1..<2 }?.relation == .added)
    }

    @Test func statusesComposeAlongTheChain() throws {
        let f = try Fixture()
        let a = try f.commit(Self.s1 + " " + Self.s3 + "\n", story: "port", source: "VNA").edition
        let b = try f.commit(Self.s1.replacingOccurrences(of: "Tuesday", with: "tuesday") + " " + Self.s3 + "\n", story: "port", source: "VNS", derivedFrom: a).edition
        let c = try f.commit(Self.s1.replacingOccurrences(of: "Tuesday", with: "tuesday").replacingOccurrences(of: "new", with: "modern")
                             + " " + Self.s3 + "\n", story: "port", source: "TTX", derivedFrom: b).edition
        let lines = try f.corpus.blame(f.corpus.resolve(c)).lines
        #expect(lines.map(\.status) == [.reworded, .unchanged])
        #expect(lines[0].origin == 0 && lines[0].classes.contains(.case) && lines[0].classes.contains(.replace))
        #expect(lines[1].similarity == 1)
    }
}

extension BlameTests {
    /// A sentence the desk moved and restyled is the wire's, with accidentals only: the move's
    /// inner changes say what happened to it on the way.
    @Test func aMovedRestyledSentenceIsAccidentalOnly() throws {
        let f = try Fixture()
        let wire = "Hanoi met Lima on Monday.\n\nThe talks ended late.\n\nSantos thanked Vietnam for its cooperation.\n\nBoth sides agreed to meet again next year.\n"
        let paper = "Santos thanked Việt Nam for its co-operation.\n\nHanoi met Lima on Monday.\n\nThe talks ended late.\n\nBoth sides agreed to meet again next year.\n"
        let a = try f.commit(Array(wire.utf8), story: "moves", source: "VNA", date: "2024-01-01").edition
        let b = try f.commit(Array(paper.utf8), story: "moves", source: "VNS", date: "2024-01-02", derivedFrom: a).edition
        let blame = try f.corpus.blame(f.corpus.resolve(b))
        let moved = try #require(blame.lines.first { $0.text.hasPrefix("Santos thanked") })
        #expect(moved.status == .accidentalOnly && moved.origin == 0, "\(moved.status)")
        #expect(Set(moved.classes) == [.diacritics, .hyphenation], "\(moved.classes)")
        #expect(blame.lines.filter { $0.status == .unchanged }.count == 3)
    }
}
