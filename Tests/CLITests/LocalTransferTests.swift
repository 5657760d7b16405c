import Foundation
import Testing
import TestSupport

/// Push and clone with a repository on this machine share object files (hard links) instead of
/// sending a pack, as `git clone` of a path does; the remote's `main` moves by the same rules.
@Suite struct LocalTransferTests {
    let folder = TemporaryFolder()

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLIHarness.binary, args, directory: folder.path) }

    func commit(_ corpus: String, _ text: String, source: String) throws {
        let r = try stemma(["commit", folder.write("in-\(UUID().uuidString).txt", text), "--story", "rice", "--source", source,
                            "--date", "2024-03-12", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func head(_ repository: String) throws -> String { try git(["--git-dir", repository, "rev-parse", "main"]).out }

    /// Link counts of the pack files in `repository`: above 1 when shared with another.
    func packLinks(_ repository: String) throws -> [Int] {
        let folder = repository + "/objects/pack/"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pack") }.map {
            (try FileManager.default.attributesOfItem(atPath: folder + $0)[.referenceCount] as? Int) ?? 0
        }
    }

    func fsckClean(_ repository: String) throws {
        let r = try git(["--git-dir", repository, "fsck", "--strict", "--no-dangling"])
        #expect(r.status == 0, "fsck \(repository): \(r.out) \(r.stderr)")
    }

    /// A corpus whose editions are in a pack (an import), plus one loose commit.
    func corpus(_ name: String) throws -> String {
        let path = folder.file(name)
        #expect(try stemma(["init", path]).status == 0)
        let lines = (0..<20).map { #"{"text": "Edition \#($0) (VNA) – rice exports.\n", "story": "s\#($0)", "source": "VNA", "date": "2024-01-01"}"# }
        let imported = try stemma(["import", folder.write("\(name).jsonl", lines.joined(separator: "\n") + "\n"), "--quiet", "--corpus", path])
        #expect(imported.status == 0, "\(imported.stderr)")
        try commit(path, "Hanoi (VNA) – Rice exports rose.\n", source: "VNA")
        return path
    }

    @Test func pushAndCloneShareFilesAndKeepTheRules() throws {
        let local = try corpus("local")
        let hub = folder.file("hub.git")
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", hub]).status == 0)
        #expect(try stemma(["remote", "add", "origin", hub, "--corpus", local]).status == 0)
        let pushed = try stemma(["push", "--corpus", local])
        #expect(pushed.status == 0 && pushed.out.contains("origin/main: (none).."), "\(pushed.out) \(pushed.stderr)")
        #expect(try head(hub) == head(local))
        #expect(try packLinks(hub).contains { $0 > 1 }, "the pack is shared, not sent again")
        try fsckClean(hub)

        // Clones from a path and from file:// share the files too, and are the same corpus.
        for (name, url) in [("by-path", hub), ("by-url", "file://" + hub)] {
            let clone = folder.file(name)
            let r = try stemma(["clone", url, clone])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try head(clone) == head(local))
            #expect(try packLinks(clone).contains { $0 > 1 })
            #expect(try stemma(["log", "rice", "--json", "--corpus", clone]).out == stemma(["log", "rice", "--json", "--corpus", local]).out)
            try fsckClean(clone)
        }

        // A second push moves main on; one that would drop the hub's commits is refused.
        try commit(local, "Rice exports rose sharply. — VNS\n", source: "VNS")
        #expect(try stemma(["push", "--corpus", local]).status == 0)
        #expect(try head(hub) == head(local))
        let other = folder.file("by-path")
        try commit(other, "Rice exports rose, officials said. — TT\n", source: "TT")
        let refused = try stemma(["push", "--corpus", other])
        #expect(refused.status == 1 && refused.stderr.contains("stemma pull"), "\(refused.stderr)")
        #expect(try head(hub) == head(local), "a refused push changes nothing")

        // --force replaces it, unless the hub refuses non-fast-forwards as git's receive-pack would.
        #expect(try git(["--git-dir", hub, "config", "receive.denyNonFastForwards", "true"]).status == 0)
        let denied = try stemma(["push", "--force", "--corpus", other])
        #expect(denied.status == 1 && denied.stderr.contains("denyNonFastForwards"), "\(denied.stderr)")
        #expect(try head(hub) == head(local))
        #expect(try git(["--git-dir", hub, "config", "receive.denyNonFastForwards", "false"]).status == 0)
        #expect(try stemma(["push", "--force", "--corpus", other]).status == 0)
        #expect(try head(hub) == head(other))
        try fsckClean(hub)
    }

    /// Fetch and pull from a corpus on this machine share its object files too (libgit2's local
    /// transport would build a pack of every new object), and move the tracking ref as a fetch does.
    @Test func fetchAndPullFromAPathShareFiles() throws {
        let remote = try corpus("remote")
        for (name, url) in [("by-path", remote), ("by-url", "file://" + remote)] {
            let local = folder.file(name)
            #expect(try stemma(["init", local]).status == 0)
            #expect(try stemma(["remote", "add", "origin", url, "--corpus", local]).status == 0)
            let mainBefore = try head(local)
            let fetched = try stemma(["fetch", "--json", "--corpus", local])
            #expect(fetched.status == 0, "\(fetched.stderr)")
            let outcome = try JSONSerialization.jsonObject(with: Data(fetched.stdout)) as? [String: Any] ?? [:]
            #expect(outcome["after"] as? String == (try head(remote)).trimmingCharacters(in: .newlines))
            #expect(try git(["--git-dir", local, "rev-parse", "refs/remotes/origin/main"]).out == head(remote))
            let ahead = try git(["--git-dir", local, "rev-list", "--count", "refs/remotes/origin/main", "^main"]).out.trimmingCharacters(in: .newlines)
            #expect(outcome["commits"] as? Int == Int(ahead) && Int(ahead) ?? 0 > 1)
            #expect(try head(local) == mainBefore, "fetch leaves main alone")
            #expect(try packLinks(local).contains { $0 > 1 }, "the remote's pack is shared, not sent again")
            let pulled = try stemma(["pull", "--corpus", local])
            #expect(pulled.status == 0, "\(pulled.stderr)")
            // A fast-forward, or a merge when the two `init` commits differ (they hold the time).
            #expect(try git(["--git-dir", local, "merge-base", "--is-ancestor", head(remote).trimmingCharacters(in: .newlines), "main"]).status == 0)
            #expect(try git(["--git-dir", local, "ls-tree", "-r", "main", "stories"]).out == git(["--git-dir", remote, "ls-tree", "-r", "main", "stories"]).out)
            try fsckClean(local)
        }
        // Later editions come the same way: a second fetch and a pull with a merge.
        let local = folder.file("by-path")
        try commit(remote, "Rice exports rose sharply. — VNS\n", source: "VNS")
        try commit(local, "Rice exports rose, officials said. — TT\n", source: "TT")
        let pulled = try stemma(["pull", "--json", "--corpus", local])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let outcome = try JSONSerialization.jsonObject(with: Data(pulled.stdout)) as? [String: Any] ?? [:]
        #expect(outcome["action"] as? String == "merged" && outcome["new_editions"] as? Int == 1, "\(pulled.out)")
        #expect(try git(["--git-dir", local, "merge-base", "--is-ancestor", "refs/remotes/origin/main", "main"]).status == 0)
        try fsckClean(local)
    }

    /// A fetch killed between locking the remote-tracking reference and renaming it leaves the
    /// lock: the next pull names it and says what to do, changes nothing, and works once it is gone.
    /// A remote that is a path naming nothing is said as git says it, by every transfer.
    @Test func aRemotePathThatDoesNotExistIsNamed() throws {
        let local = folder.file("local")
        #expect(try stemma(["init", local]).status == 0)
        let gone = folder.file("gone")
        #expect(try stemma(["remote", "add", "gone", gone, "--corpus", local]).status == 0)
        for (command, doing) in [("fetch", "fetch from"), ("pull", "fetch from"), ("push", "push to")] {
            let r = try stemma([command, "gone", "--corpus", local])
            #expect(r.status == 2 && r.stderr == "stemma: \(doing) gone: repository '\(gone)' does not exist\n", "\(command): \(r.stderr)")
        }
    }

    @Test func aStaleRemoteTrackingLockIsNamed() throws {
        let remote = try corpus("remote")
        let local = folder.file("local")
        #expect(try stemma(["clone", remote, local]).status == 0)
        try commit(remote, "Rice exports rose sharply. — VNS\n", source: "VNS")
        let lock = local + "/refs/remotes/origin/main.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: Data())
        let before = try head(local)
        let stopped = try stemma(["pull", "--corpus", local])
        #expect(stopped.status == 2 && stopped.stderr.contains(lock) && stopped.stderr.contains("remove it"), "\(stopped.stderr)")
        #expect(stopped.stderr.split(separator: "\n").count == 1)
        #expect(try head(local) == before)
        try FileManager.default.removeItem(atPath: lock)
        #expect(try stemma(["pull", "--corpus", local]).status == 0)
        #expect(try head(local) == head(remote))
    }
}
