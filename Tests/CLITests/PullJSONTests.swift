import Foundation
import Testing
import TestSupport

/// `stemma pull --json`: what came in, for scripts (docs/CLI.md). Each figure is checked against
/// what plain git says about the two repositories.
@Suite struct PullJSONTests {
    let folder = TemporaryFolder()

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }

    func commit(_ corpus: String, _ text: String, source: String = "VNA", title: String? = nil) throws {
        let file = folder.write("in-\(UUID().uuidString).txt", text)
        let r = try stemma(["commit", file, "--story", "rice-talks", "--source", source, "--date", "2024-03-12", "--corpus", corpus]
            + (title.map { ["--title", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
    }

    func pull(_ corpus: String, _ extra: [String] = []) throws -> (ProcessResult, [String: Any]) {
        let r = try stemma(["pull", "--json", "--corpus", corpus] + extra)
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        return (r, object)
    }

    func head(_ repository: String, _ ref: String = "main") throws -> String {
        try git(["--git-dir", repository, "rev-parse", ref]).out.trimmingCharacters(in: .newlines)
    }

    /// x and y share one edition through hub; x then records `count` more editions and pushes.
    func twoClones(newOnX count: Int) throws -> (x: String, y: String, hub: String) {
        let hub = folder.file("hub.git"), x = folder.file("x"), y = folder.file("y")
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", hub]).status == 0)
        #expect(try stemma(["init", x]).status == 0)
        try commit(x, "Hanoi (VNA) – Rice exports rose.\n", title: "Rice")
        #expect(try stemma(["remote", "add", "origin", hub, "--corpus", x]).status == 0)
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        #expect(try stemma(["clone", hub, y]).status == 0)
        for i in 0..<count { try commit(x, "Rice exports rose by \(i) per cent. — VNS\n", source: "S\(i)") }
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        return (x, y, hub)
    }

    @Test func fastForwardSaysWhatCameIn() throws {
        let (x, y, _) = try twoClones(newOnX: 3)
        let before = try head(y)
        let (r, out) = try pull(y)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(out["action"] as? String == "fast-forward")
        #expect(out["remote"] as? String == "origin")
        #expect(out["before"] as? String == before)
        let tip = try head(x)
        #expect(out["main"] as? String == tip)
        #expect(out["remote_main"] as? String == tip)
        #expect(out["commits"] as? Int == 3)
        #expect(out["new_editions"] as? Int == 3)
        #expect((out["conflicts"] as? [Any])?.isEmpty == true)

        let (again, second) = try pull(y)
        #expect(again.status == 0)
        #expect(second["action"] as? String == "up-to-date")
        #expect(second["commits"] as? Int == 0 && second["new_editions"] as? Int == 0)
        #expect(second["before"] as? String == second["main"] as? String)
    }

    @Test func mergeCountsTheirCommitsAndEditions() throws {
        let (x, y, _) = try twoClones(newOnX: 2)
        try commit(y, "Rice exports rose, officials said. — TT\n", source: "TT")
        let ours = try head(y)
        let (r, out) = try pull(y)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(out["action"] as? String == "merged")
        #expect(out["before"] as? String == ours)
        let merge = try head(y)
        #expect(out["main"] as? String == merge)
        #expect(try head(y, "main^1") == ours && head(y, "main^2") == head(x))
        #expect(out["commits"] as? Int == 2)
        #expect(out["new_editions"] as? Int == 2)
    }

    @Test func conflictsCarryBothVersionsAndWhichWasKept() throws {
        let (x, y, _) = try twoClones(newOnX: 0)
        try commit(x, "Hanoi (VNA) – Rice exports rose.\n", title: "Rice exports rose in March")
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        try commit(y, "Hanoi (VNA) – Rice exports rose.\n", title: "Rice exports hit a record")
        let before = try head(y)

        let (stopped, conflict) = try pull(y)
        #expect(stopped.status == 1 && stopped.stderr.contains("--ours or --theirs"), "\(stopped.stderr)")
        #expect(conflict["action"] as? String == "conflicted")
        #expect(conflict["main"] as? String == before)
        #expect(try head(y) == before, "nothing merged")
        let listed = try #require((conflict["conflicts"] as? [[String: Any]])?.first)
        #expect((listed["path"] as? String)?.hasPrefix("stories/") == true)
        #expect((listed["ours"] as? String)?.contains("hit a record") == true)
        #expect((listed["theirs"] as? String)?.contains("rose in March") == true)
        #expect(listed["kept"] is NSNull)

        let (settled, kept) = try pull(y, ["--theirs"])
        #expect(settled.status == 0, "\(settled.stderr)")
        #expect(kept["action"] as? String == "merged")
        #expect(kept["new_editions"] as? Int == 0, "the record was edited, not added")
        #expect((kept["conflicts"] as? [[String: Any]])?.first?["kept"] as? String == "theirs")
    }

    /// One edition recorded on both sides, with other metadata: taking theirs edits the record
    /// this corpus has; it adds no edition.
    @Test func anEditionAddedOnBothSidesIsNotNew() throws {
        let (x, y, _) = try twoClones(newOnX: 0)
        try commit(x, "Coffee prices fell. — VNS\n", source: "VNS", title: "Coffee falls")
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        try commit(y, "Coffee prices fell. — VNS\n", source: "VNS", title: "Coffee prices fall")
        let (settled, kept) = try pull(y, ["--theirs"])
        #expect(settled.status == 0, "\(settled.stderr)")
        #expect(kept["action"] as? String == "merged" && kept["new_editions"] as? Int == 0, "\(kept)")
    }

    /// An edition the remote removed (`stemma rm` there) is removed here too, and said: as a
    /// fast-forward and in a merge, counted against what `git diff --name-status` shows.
    @Test func editionsRemovedThereAreCounted() throws {
        let (x, y, _) = try twoClones(newOnX: 2)
        #expect(try pull(y).0.status == 0)
        let listed = try git(["--git-dir", x, "ls-tree", "-r", "--name-only", "main", "stories"]).out.split(separator: "\n")
        let record = try #require(listed.first { $0.hasSuffix(".json") && $0.contains("/S0.") })
        let edition = String(record.split(separator: ".")[1])
        #expect(try stemma(["rm", edition, "--corpus", x]).status == 0)
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        let before = try head(y)
        let (r, out) = try pull(y)
        #expect(r.status == 0 && out["action"] as? String == "fast-forward", "\(r.stderr)")
        let deleted = try git(["--git-dir", y, "diff", "--name-status", before, "main"]).out.split(separator: "\n").filter { $0.hasPrefix("D") && $0.hasSuffix(".json") }
        #expect(out["removed_editions"] as? Int == 1 && deleted.count == 1)
        #expect(out["new_editions"] as? Int == 0)

        // The sentence says it too, in a merge.
        let listed2 = try git(["--git-dir", x, "ls-tree", "-r", "--name-only", "main", "stories"]).out.split(separator: "\n")
        let other = try #require(listed2.first { $0.hasSuffix(".json") && $0.contains("/S1.") })
        #expect(try stemma(["rm", String(other.split(separator: ".")[1]), "--corpus", x]).status == 0)
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        try commit(y, "Coffee prices fell. — VNS\n", source: "VNS", title: "Coffee falls")
        let merged = try stemma(["pull", "--corpus", y])
        #expect(merged.status == 0 && merged.out.contains("Merged") && merged.out.contains("1 edition removed there and here"), "\(merged.out)")
    }
}
