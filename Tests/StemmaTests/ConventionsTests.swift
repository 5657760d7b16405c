import Collation
import Foundation
import Testing
import TestSupport
@testable import Stemma

/// One description of a house's conventions (`HouseConventions`) serves both the diff engine's
/// boilerplate and inference at commit, so they agree on every text (issue 14, item 24).
@Suite struct ConventionsTests {
    static let texts = [
        "date 2024-03-12 Hanoi (VNA) – Talks began. Both sides spoke.",
        "date 2024-13-45 Hanoi (VNA) – Talks began. Both sides spoke.",
        "date: 2024-02-29 Talks began.",
        "date 2023-02-29 Talks began.",
        "dated 2024-03-12 Talks began.",
        "\u{FEFF}date 2024-02-29 Talks began.",
        "date 2024-03-12abc Talks began.",
        "HANOI, March 12 (Reuters) - Vietnam's rice exports rose in February.",
        "BANGKOK (AFP) - Thai officials met on Monday.",
        "Vientiane, Laos - the dam opened.",
        "HÀ NỘI — The talks went well.\n\nThey will meet again. — VNS",
        "Caption here. VNA/VNS Photo X\n\nThe text. — VNS",
        "No conventions here.",
    ]

    func kinds(_ text: String) -> Set<BoilerplateClass> {
        Set(Segmenter.segment(Array(text.utf8)).units.compactMap { if case .boilerplate(let c) = $0.kind { c } else { nil } })
    }

    @Test(arguments: texts) func inferenceAndTheDiffEngineAgree(text: String) {
        let boilerplate = kinds(text)
        // A date is inferred exactly when the diff engine sees a date header, and it is the header's.
        #expect((Conventions.date(in: text) != nil) == boilerplate.contains(.dateHeader), "\(text)")
        if let date = Conventions.date(in: text)?.value { #expect(text.contains(date)) }
        // A source from a dateline or byline exactly when the diff engine sees one with a mark.
        let source = Conventions.source(in: text)
        let marked = Segmenter.boilerplate(in: Array(text.utf8)).contains { ($0.kind == .dateline || $0.kind == .byline) && $0.mark != nil }
        if marked { #expect(source != nil, "\(text)") }
        if let source, !source.reason.contains("header") { #expect(marked, "\(text)") }
        if !boilerplate.contains(.dateHeader) && !marked { #expect(source == nil, "\(text)") }
    }

    /// What a text credits is what its datelines, bylines and photo captions name, each as a
    /// source code; a house's date header and a capitalised word of the story credit no one.
    @Test func creditsAreTheSourcesADatelineBylineOrCaptionNames() {
        #expect(Conventions.credits(in: "Caption here. VNA/VNS Photo X\n\nThe text. — VNS") == ["VNA", "VNS"])
        // Codes are words of ASCII capitals and digits; this name beside them gives none.
        #expect(Conventions.credits(in: "Ông Trọng tại Hà Nội. VNA/TTXVN Photo ĐỨC TÁM\n\nThe text.") == ["VNA", "TTXVN"])
        // A letter with a combining mark is not ASCII, however it is encoded: NFC and NFD name the same codes.
        let caption = "Ông Trọng tại Hà Nội. VNA/TTXVN Photo TRỌNG ĐỨC\n\nThe text."
        let nfd = caption.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.utf8) != Array(caption.utf8))
        #expect(Conventions.credits(in: nfd) == Conventions.credits(in: caption))
        #expect(Conventions.credits(in: "HANOI, March 12 (Reuters) - Vietnam's rice exports rose.") == ["REUTERS"])
        #expect(Conventions.credits(in: "date 2024-03-12 Hanoi (VNA) – Talks began. Both sides spoke.") == ["VNA"])
        #expect(Conventions.credits(in: "date 2024-03-12 Talks began in HANOI with the UN. Both sides spoke.").isEmpty)
        #expect(Conventions.credits(in: "No conventions here.").isEmpty)
    }

    @Test func anImpossibleDateIsNoHeaderToEither() {
        let text = "date 2024-13-45 Hanoi (VNA) – Talks began."
        #expect(Conventions.date(in: text) == nil)
        #expect(Conventions.source(in: text) == nil)
        // Not a header, so the text starts with the words `date 2024-13-45`: no dateline either.
        #expect(kinds(text).isEmpty)
        #expect(kinds("date 2024-12-31 Hanoi (VNA) – Talks began.") == [.dateHeader, .dateline])
    }

    @Test func reutersDatelinesAreOneMoreHouse() throws {
        let wire = "HANOI, March 12 (Reuters) - Vietnam's rice exports rose 8% in February, the customs office said."
        let inferred = try #require(Conventions.source(in: wire))
        #expect(inferred == Conventions.Inference(value: "REUTERS", reason: "the dateline '(Reuters)'"))
        let dateline = try #require(Segmenter.boilerplate(in: Array(wire.utf8)).first { $0.kind == .dateline })
        #expect(String(decoding: Array(wire.utf8)[dateline.range], as: UTF8.self) == "HANOI, March 12 (Reuters) -")
        #expect(dateline.house == .reuters)
        // A re-dated dateline is boilerplate to the diff engine, not a substantive change.
        let later = wire.replacingOccurrences(of: "March 12", with: "March 13")
        let collation = Collator.collate(wire, later)
        #expect(!collation.changes.isEmpty && collation.changes.allSatisfy { $0.changeClass == .dateline })
        // Committed without --source, the edition is recorded under the house's code.
        let f = try Fixture()
        let (pending, _) = try f.corpus.prepare(EditionDraft(bytes: Array(wire.utf8), name: "wire", story: "rice-exports", date: "2024-03-12"))
        #expect(pending.metadata.source == "REUTERS")
    }
}
