import Foundation
import Testing
import TestSupport

/// Issue 14 item 12: `stemma rm`.
@Suite struct RmTests {
    @Test func rmRemovesARecordInACommitOfItsOwnAndHistoryKeepsIt() throws {
        let h = try CLIHarness()
        let parent = CLIHarness.edition(try h.ok(["commit", h.text("a.txt", "The wire edition."), "--story", "s", "--source", "VNA", "--date", "2024-01-01"]))
        let child = CLIHarness.edition(try h.ok(["commit", h.text("b.txt", "The paper's edition."), "--story", "s", "--source", "VNS",
                                                 "--date", "2024-01-02", "--title", "Paper", "--derived-from", parent]))
        let before = try h.state()
        let refused = try h.stemma(["rm", "s:VNA"])
        #expect(refused.status == 1 && refused.stderr.contains("parent of") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try h.state() == before)
        let removed = try h.ok(["rm", String(child.prefix(9))])
        #expect(removed.out.contains(child))
        let message = try git(["--git-dir", h.corpus, "log", "-1", "--format=%B", "main"]).out
        #expect(message.hasPrefix("Remove VNS edition of s (2024-01-02): Paper"))
        #expect(message.contains("Edition: \(child)") && message.contains("Derived-From: \(parent)"))
        #expect(try h.log("s").map { $0["edition"] as? String } == [parent])
        #expect(try h.stemma(["show", child]).status == 1)
        let tree = try git(["--git-dir", h.corpus, "ls-tree", "-r", "--name-only", "main"]).out
        #expect(!tree.contains(child))
        // History keeps it.
        #expect(try git(["--git-dir", h.corpus, "cat-file", "-e", child]).status == 0)
        // The index follows, also when rebuilt.
        try FileManager.default.removeItem(atPath: h.corpus + "/stemma-index.sqlite")
        #expect(try h.log("s").count == 1)
        try h.ok(["rm", "s:VNA"])
        #expect(try h.stemma(["log", "s"]).status == 1)
        #expect(try h.stemma(["rm", "s:VNA"]).status == 1)
        // A removal is a change `verify` accepts: its trailers name what it removed.
        let verified = try h.stemma(["verify"])
        #expect(verified.status == 0, "\(verified.out)\(verified.stderr)")
    }

    @Test func forceRemovesAParentAndStoryAndSourceChooseARecord() throws {
        let h = try CLIHarness()
        let file = h.text("a.txt", "The same bytes in two stories.")
        let id = CLIHarness.edition(try h.ok(["commit", file, "--story", "one", "--source", "VNA", "--date", "2024-01-01"]))
        try h.ok(["commit", file, "--story", "two", "--source", "VNA", "--date", "2024-01-01"])
        try h.ok(["commit", h.text("b.txt", "Derived."), "--story", "two", "--source", "VNS", "--date", "2024-01-02", "--derived-from", "two:VNA"])
        let ambiguous = try h.stemma(["rm", id])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains("--story"), "\(ambiguous.stderr)")
        // Another record of the same bytes remains to be the parent: no --force needed.
        try h.ok(["rm", id, "--story", "one"])
        #expect(try h.stemma(["rm", id]).status == 1)
        try h.ok(["rm", id, "--force"])
        #expect(try h.log("two").count == 1)
    }

    /// `STORY:SOURCE` names one record even when its bytes are recorded elsewhere too.
    @Test func aStoryAndSourceReferenceNamesOneRecord() throws {
        let h = try CLIHarness()
        let file = h.text("a.txt", "The same bytes in two stories.")
        try h.ok(["commit", file, "--story", "one", "--source", "VNA", "--date", "2024-01-01"])
        try h.ok(["commit", file, "--story", "two", "--source", "VNA", "--date", "2024-01-01"])
        try h.ok(["rm", "one:VNA"])
        #expect(try h.stemma(["log", "one"]).status != 0)
        #expect(try h.log("two").count == 1)
    }
}
