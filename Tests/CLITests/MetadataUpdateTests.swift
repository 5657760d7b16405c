import Foundation
import Testing
import TestSupport

/// Issue 14 items 8, 10 and 11: re-recording merges, says what changed, and reports true commits.
@Suite struct MetadataUpdateTests {
    @Test func reCommittingMergesTheGivenFieldsAndUnsetRemovesOne() throws {
        let h = try CLIHarness()
        let parent = CLIHarness.edition(try h.ok(["commit", h.text("p.txt", "The parent."), "--story", "s", "--source", "VNA", "--date", "2024-09-01"]))
        let file = h.text("e.txt", "The edition.")
        try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--date", "2024-09-12", "--title", "A title",
                  "--url", "https://example.org/a", "--derived-from", parent, "--language", "en"])
        let r = try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--date", "2024-09-13"])
        #expect(r.stderr.contains("updated: date 2024-09-12 → 2024-09-13"), "\(r.stderr)")
        var record = try #require(try h.log("s").first { $0["source"] as? String == "VNS" })
        #expect(record["date"] as? String == "2024-09-13")
        #expect(record["title"] as? String == "A title" && record["url"] as? String == "https://example.org/a")
        #expect(record["derived_from"] as? String == parent && record["language"] as? String == "en")
        let unset = try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--unset", "title", "--unset", "derived-from"])
        #expect(unset.stderr.contains("title removed") && unset.stderr.contains("derived_from removed"), "\(unset.stderr)")
        record = try #require(try h.log("s").first { $0["source"] as? String == "VNS" })
        #expect(record["title"] == nil || record["title"] is NSNull)
        #expect(record["derived_from"] == nil || record["derived_from"] is NSNull)
        #expect(record["url"] as? String == "https://example.org/a" && record["date"] as? String == "2024-09-13")
        let subject = try git(["--git-dir", h.corpus, "log", "-1", "--format=%s", "main"]).out
        #expect(subject.hasPrefix("Update VNS edition of s"))
        #expect(try h.stemma(["commit", file, "--story", "s", "--source", "VNS", "--unset", "colour"]).status == 1)
        #expect(try h.stemma(["commit", file, "--story", "s", "--source", "VNS", "--unset", "date"]).status == 1)
    }

    @Test func anImportLineUpdatesOnlyTheKeysItHas() throws {
        let h = try CLIHarness()
        let file = h.text("e.txt", "The edition.")
        try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--date", "2024-09-12", "--title", "A title", "--url", "https://example.org/a"])
        try h.manifest("m.jsonl", [["text": "The edition.", "story": "s", "source": "VNS", "date": "2024-09-13", "url": NSNull()]])
        let r = try h.ok(["import", "m.jsonl", "--json"])
        #expect(r.out.contains("\"created\": 0") && r.out.contains("\"updated\": 1"), "\(r.out)")
        let record = try #require(try h.log("s").first)
        #expect(record["date"] as? String == "2024-09-13" && record["title"] as? String == "A title")
        #expect(record["url"] == nil || record["url"] is NSNull)
        #expect(try git(["--git-dir", h.corpus, "log", "-1", "--format=%s", "main"]).out.hasPrefix("Update VNS edition of s"))
        // Without a date (and none in the text), the line is still an update of the record.
        try h.manifest("n.jsonl", [["text": "The edition.", "story": "s", "source": "VNS", "title": "Another title"]])
        try h.ok(["import", "n.jsonl"])
        let again = try #require(try h.log("s").first)
        #expect(again["date"] as? String == "2024-09-13" && again["title"] as? String == "Another title")
    }

    @Test func commitIDsAreTheCommitsThatWroteTheRecord() throws {
        let h = try CLIHarness()
        let file = h.text("e.txt", "The edition.")
        let added = try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--date", "2024-09-12"])
        let updated = try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--title", "Now with a title"])
        try h.ok(["commit", h.text("other.txt", "Another edition."), "--story", "t", "--source", "VNA", "--date", "2024-09-12"])
        let again = try h.ok(["commit", file, "--story", "s", "--source", "VNS", "--title", "Now with a title", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout)) as? [String: Any])
        #expect(object["commit"] as? String == CLIHarness.commitID(updated))
        #expect(object["created"] as? Bool == false && object["updated"] as? Bool == false)
        let logged = try #require(try h.log("s").first)
        #expect(logged["commit"] as? String == CLIHarness.commitID(updated))
        #expect(logged["first_commit"] as? String == CLIHarness.commitID(added))
        let shown = try JSONSerialization.jsonObject(with: Data(try h.ok(["show", "s:VNS", "--json"]).stdout)) as? [String: Any]
        #expect(shown?["commit"] as? String == CLIHarness.commitID(updated))
        #expect(shown?["first_commit"] as? String == CLIHarness.commitID(added))
        // The same after the index is rebuilt from git.
        try FileManager.default.removeItem(atPath: h.corpus + "/stemma-index.sqlite")
        let rebuilt = try #require(try h.log("s").first)
        #expect(rebuilt["commit"] as? String == CLIHarness.commitID(updated) && rebuilt["first_commit"] as? String == CLIHarness.commitID(added))
    }

    @Test func importConvergesWhenTwoLinesRecordTheSameEdition() throws {
        let h = try CLIHarness()
        try h.manifest("m.jsonl", [
            ["text": "The same bytes.", "story": "s", "source": "VNA", "date": "2024-01-01", "title": "First"],
            ["text": "Another edition.", "story": "s", "source": "VNS", "date": "2024-01-01"],
            ["text": "The same bytes.", "story": "s", "source": "VNA", "date": "2024-01-02"],
        ])
        let first = try h.ok(["import", "m.jsonl", "--json"])
        #expect(first.out.contains("\"created\": 2") && first.out.contains("\"merged\": 1"), "\(first.out)")
        let record = try #require(try h.log("s").first { $0["source"] as? String == "VNA" })
        #expect(record["date"] as? String == "2024-01-02" && record["title"] as? String == "First")
        let commits = try h.commitCount()
        for _ in 0..<2 {
            let again = try h.ok(["import", "m.jsonl", "--json"])
            #expect(again.out.contains("\"created\": 0") && again.out.contains("\"updated\": 0"), "\(again.out)")
            #expect(try h.commitCount() == commits)
        }
    }
}
