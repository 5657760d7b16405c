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

    @Test func phrasesAreFoundIgnoringCaseAndDiacriticsWithTheirSentences() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let texts = [
            ("vna", "VNA", "2024-03-12", "Hà Nội (VNA) – Viet Nam and the Philippines signed a rice deal. Prices held steady."),
            ("vns", "VNS", "2024-03-13", "Việt Nam and the Philippines signed a rice deal on Tuesday.\n\nTRADE in Hà Nội grew. — VNS"),
            ("other", "VNA", "2024-03-14", "Hà Nội (VNA) – Vietnamese exports rose. The Nam river flooded, Việt said."),
        ]
        for (name, source, date, text) in texts {
            let file = folder.write(name + ".txt", text)
            #expect(try stemma(["commit", file, "--story", name == "other" ? "exports" : "rice-deal", "--source", source, "--date", date, "--corpus", corpus]).status == 0)
        }
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
        // A word is a word: 'nam' is not found inside 'Vietnamese'.
        #expect(try hits(["vietnam"]).isEmpty)
        let cut = try stemma(["grep", "ha noi", "--limit", "1", "--corpus", corpus])
        #expect(cut.status == 0 && cut.stderr.contains("stopped at --limit 1"))
        let none = try stemma(["grep", "no such words", "--corpus", corpus])
        #expect(none.status == 1 && none.stderr.contains("no edition contains"))
        let unknownStory = try stemma(["grep", "ha noi", "--story", "nosuch", "--corpus", corpus])
        #expect(unknownStory.status == 1 && unknownStory.stderr == "stemma: no story 'nosuch' in this corpus\n", "\(unknownStory.stderr)")
        let punctuation = try stemma(["grep", "...", "--corpus", corpus])
        #expect(punctuation.status == 1 && punctuation.stderr.contains("no letters or digits"))
    }
}
