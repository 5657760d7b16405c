import Foundation
import Testing
import TestSupport

/// `stemma grep` (issue 17): phrases found ignoring case and diacritics, sentence by sentence.
@Suite struct GrepCLITests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }

    func hits(_ args: [String]) throws -> [[String: Any]] {
        let r = try stemma(["grep", "--json", "--corpus", corpus] + args)
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [[String: Any]] ?? []
    }

    /// A new corpus with one edition of each (story, source, date, text).
    func corpus(with editions: [(story: String, source: String, date: String, text: String)]) throws {
        #expect(try stemma(["init", corpus]).status == 0)
        for (i, e) in editions.enumerated() {
            let file = folder.write("e\(i).txt", e.text)
            #expect(try stemma(["commit", file, "--story", e.story, "--source", e.source, "--date", e.date, "--corpus", corpus]).status == 0)
        }
    }

    @Test func phrasesAreFoundIgnoringCaseAndDiacriticsWithTheirSentences() throws {
        try corpus(with: [
            ("rice-deal", "VNA", "2024-03-12", "Hà Nội (VNA) – Viet Nam and the Philippines signed a rice deal. Prices held steady."),
            ("rice-deal", "VNS", "2024-03-13", "Việt Nam and the Philippines signed a rice deal on Tuesday.\n\nTRADE in Hà Nội grew. — VNS"),
            ("exports", "VNA", "2024-03-14", "Hà Nội (VNA) – Vietnamese exports rose. The Nam river flooded, Việt said."),
        ])
        let found = try hits(["viet nam"])
        // Newest first; the third text has both words, but never in a row.
        #expect(found.map { $0["source"] as? String } == ["VNS", "VNA"])
        #expect(found.first?["sentences"] as? [String] == ["Việt Nam and the Philippines signed a rice deal on Tuesday."])
        #expect(found.last?["sentences"] as? [String] == ["Hà Nội (VNA) – Viet Nam and the Philippines signed a rice deal."]
                || found.last?["sentences"] as? [String] == ["Viet Nam and the Philippines signed a rice deal."])
        #expect(try hits(["VIỆT  NAM"]).count == 2)
        #expect(try hits(["ha noi"]).count == 3)
        #expect(try hits(["trade in ha noi"]).map { $0["story"] as? String } == ["rice-deal"])
        #expect(try hits(["ha noi", "--story", "exports"]).count == 1)
        #expect(try hits(["ha noi", "--source", "VNS"]).count == 1)
        // House styles write compounds apart and together: 'vietnam' is the phrase of 'Viet Nam'
        // and 'Việt Nam' (the engine's joiners fold), but a word is a word: not found in 'Vietnamese'.
        #expect(try hits(["vietnam"]).map { $0["source"] as? String } == ["VNS", "VNA"])
        #expect(try hits(["vietnam"]).first?["sentences"] as? [String] == ["Việt Nam and the Philippines signed a rice deal on Tuesday."])
        #expect(try hits(["hanoi"]).count == 3)
        let cut = try stemma(["grep", "ha noi", "--limit", "1", "--corpus", corpus])
        #expect(cut.status == 0 && cut.stderr.contains("stopped at --limit 1"))
        let none = try stemma(["grep", "no such words", "--corpus", corpus])
        #expect(none.status == 1 && none.stderr.contains("no edition contains"))
        let unknownStory = try stemma(["grep", "ha noi", "--story", "nosuch", "--corpus", corpus])
        #expect(unknownStory.status == 1 && unknownStory.stderr == "stemma: no story 'nosuch' in this corpus\n", "\(unknownStory.stderr)")
        // A source is checked as `find` checks it, and one the corpus does not have is named.
        let badSource = try stemma(["grep", "ha noi", "--source", "vns", "--corpus", corpus])
        #expect(badSource.status == 1 && badSource.stderr.hasPrefix("stemma: bad source 'vns'"), "\(badSource.stderr)")
        let unknownSource = try stemma(["grep", "ha noi", "--source", "XYZ", "--corpus", corpus])
        #expect(unknownSource.status == 1 && unknownSource.stderr == "stemma: no edition from source 'XYZ' in this corpus\n", "\(unknownSource.stderr)")
        let punctuation = try stemma(["grep", "...", "--corpus", corpus])
        #expect(punctuation.status == 1 && punctuation.stderr.contains("no letters or digits"))
    }

    /// House styles differ in spelling and in how they write compounds; a search finds a phrase
    /// however either house wrote it, with the sentences as they stand.
    @Test func phrasesAreFoundAcrossHouseSpellingAndCompounds() throws {
        try corpus(with: [
            ("laos-power", "VNA", "2024-05-02", "Hanoi (VNA) – Vietnam and Laos agreed to expand cooperation in the organization of hydropower trade."),
            ("laos-power", "VNS", "2024-05-03", "HÀ NỘI — Việt Nam and Laos agreed to expand co-operation in the organisation of hydro-power trade. — VNS"),
            ("traders", "VNA", "2024-05-04", "Hanoi (VNA) – Vietnamese traders met officials of the Nam Ngum operation."),
        ])
        for query in ["vietnam and laos", "viet nam and laos", "Việt Nam", "co-operation", "cooperation", "co operation",
                      "organisation of hydropower", "organization of hydro-power", "expand co-operation in the organization"] {
            let found = try hits([query])
            #expect(found.map { $0["source"] as? String } == ["VNS", "VNA"], "\(query)")
            #expect(found.allSatisfy { ($0["sentences"] as? [String])?.count == 1 }, "\(query)")
        }
        // Whole words only: no 'vietnam' in 'Vietnamese', no 'cooperation' in 'Ngum operation', no 'nam' in 'Vietnam'.
        #expect(try hits(["vietnamese"]).map { $0["story"] as? String } == ["traders"])
        #expect(try hits(["ngum cooperation"]).isEmpty)
        #expect(try hits(["nam ngum"]).map { $0["story"] as? String } == ["traders"])
        #expect(try hits(["nam and laos"]).map { $0["source"] as? String } == ["VNS"], "'Việt Nam' holds the word 'nam'; 'Vietnam' does not")
    }

    /// Words join only between letters: a number is not another number written apart.
    @Test func numbersAreNotJoined() throws {
        try corpus(with: [
            ("rice", "VNA", "2024-05-02", "Hanoi (VNA) – Rice exports rose 3.5 per cent in May."),
            ("coffee", "VNA", "2024-05-03", "Hanoi (VNA) – Coffee exports rose 35 per cent in May."),
        ])
        #expect(try hits(["35 per cent"]).map { $0["story"] as? String } == ["coffee"])
        #expect(try hits(["3.5 per cent"]).map { $0["story"] as? String } == ["rice"])
        #expect(try hits(["3 5 per cent"]).map { $0["story"] as? String } == ["rice"], "punctuation in a phrase is ignored")
        #expect(try hits(["percent"]).count == 2, "letters still join")
    }
}
