import Foundation
import Testing
import TestSupport

/// `import` of manifest lines without a story (issue 17 item 3): each joins the story it
/// matches, earlier items of the same import included, or starts a new one.
@Suite struct ImportMatchTests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }

    func line(_ fields: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(.enabled(if: SharedSamples.available)) func itemsWithoutAStoryMatchTheCorpusAndEachOther() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        // A decoy already in the corpus.
        let decoy = folder.write("decoy.txt", MatchCLITests.decoys[0].text)
        #expect(try stemma(["commit", decoy, "--story", "defence-dialogue-2020", "--corpus", corpus]).status == 0)
        let wire = String(decoding: SharedSamples.bytes(SharedSamples.wirePath), as: UTF8.self)
        let paper = String(decoding: SharedSamples.bytes(SharedSamples.newspaperPath), as: UTF8.self)
        let lines = [
            try line(["text": wire]),
            try line(["text": MatchCLITests.decoys[1].text]),
            try line(["text": paper, "date": "2021-04-27"]),
            try line(["text": MatchCLITests.decoys[0].text.replacingOccurrences(of: "Monday", with: "Tuesday"), "source": "VNS"]),
        ]
        let manifest = folder.write("m.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try stemma(["import", manifest, "--quiet", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("4 item(s) without a story: 2 joined the story they matched, 2 started a new one"), "\(r.stderr)")
        let found = try stemma(["find", "--json", "--limit", "0", "--corpus", corpus])
        let records = try JSONSerialization.jsonObject(with: Data(found.stdout)) as? [[String: Any]] ?? []
        #expect(records.count == 5)
        func record(_ text: String, source: String) -> [String: Any]? {
            let id = try? git(["hash-object", "--stdin"], input: Array(text.utf8)).out.trimmingCharacters(in: .whitespacesAndNewlines)
            return records.first { $0["edition"] as? String == id && $0["source"] as? String == source }
        }
        let wireRecord = record(wire, source: "VNA"), paperRecord = record(paper, source: "VNS")
        // The wire text starts a story named from its date and first words; the newspaper's joins it, derived from it.
        let story = wireRecord?["story"] as? String ?? ""
        #expect(story.hasPrefix("2021-04-27-at-the-meeting-the-party-leader"), "\(story)")
        #expect(paperRecord?["story"] as? String == story)
        #expect(paperRecord?["derived_from"] as? String == wireRecord?["edition"] as? String)
        // The congress decoy matches nothing; the re-filed dialogue joins the story already in the corpus.
        let congress = record(MatchCLITests.decoys[1].text, source: "VNA")?["story"] as? String
        #expect(congress?.hasPrefix("2021-02-01-the-13th-national-congress") == true, "\(congress ?? "none")")
        let refiled = record(MatchCLITests.decoys[0].text.replacingOccurrences(of: "Monday", with: "Tuesday"), source: "VNS")
        #expect(refiled?["story"] as? String == "defence-dialogue-2020")
        #expect(refiled?["derived_from"] as? String == record(MatchCLITests.decoys[0].text, source: "VNA")?["edition"] as? String)
    }
}
