import Foundation
import Testing
import TestSupport

/// Sharing a corpus through git remotes (issue 18 §1): real `stemma` processes, real bare
/// repositories, plain git on the other side and a `git daemon` on the loopback interface.
@Suite struct SyncTests {
    let folder = TemporaryFolder()

    @discardableResult
    func stemma(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: folder.path, environment: env)
    }

    /// Commits `text` as an edition of `story`; returns the edition id.
    @discardableResult
    func commit(_ corpus: String, _ text: String, story: String = "rice-talks", source: String = "VNA",
                date: String = "2024-03-12", title: String? = nil) throws -> String {
        let file = folder.write("in-\(UUID().uuidString).txt", text)
        let r = try stemma(["commit", file, "--story", story, "--source", source, "--date", date, "--corpus", corpus]
            + (title.map { ["--title", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        return String(r.out.split(separator: "\n").first?.split(separator: " ").last ?? "")
    }

    func log(_ corpus: String, _ story: String = "rice-talks") throws -> String {
        let r = try stemma(["log", story, "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        return r.out
    }

    func editionIDs(_ corpus: String, _ story: String = "rice-talks") throws -> Set<String> {
        let list = try JSONSerialization.jsonObject(with: Data(try log(corpus, story).utf8)) as? [[String: Any]] ?? []
        return Set(list.compactMap { $0["edition"] as? String })
    }

    func bareHub(_ name: String) throws -> String {
        let path = folder.file(name)
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", path]).status == 0)
        return path
    }

    func fsckClean(_ repository: String) throws {
        let r = try git(["--git-dir", repository, "fsck", "--strict", "--no-dangling"])
        #expect(r.status == 0, "fsck \(repository): \(r.out) \(r.stderr)")
    }

    @Test func pushToAFileRemoteAndCloneBackBothWays() throws {
        let corpus = folder.file("a")
        #expect(try stemma(["init", corpus]).status == 0)
        try commit(corpus, "Hanoi (VNA) – Rice exports rose.\n", title: "Rice")
        try commit(corpus, "Rice exports rose, the ministry said. — VNS\n", source: "VNS", date: "2024-03-13")
        let hub = try bareHub("hub.git")
        #expect(try stemma(["remote", "add", "origin", "file://" + hub, "--corpus", corpus]).status == 0)
        #expect(try stemma(["remote", "list", "--corpus", corpus]).out == "origin\tfile://\(hub)\n")
        let pushed = try stemma(["push", "--corpus", corpus])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == git(["--git-dir", corpus, "rev-parse", "main"]).out)

        let plain = folder.file("plain.git")
        #expect(try git(["clone", "--quiet", "--bare", hub, plain]).status == 0)
        let cloned = folder.file("cloned")
        let clone = try stemma(["clone", "file://" + hub, cloned])
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cloned + "/stemma-index.sqlite"), "the index is derived: not copied")
        let original = try log(corpus)
        #expect(try log(plain) == original)
        #expect(try log(cloned) == original)
        #expect(try stemma(["remote", "list", "--corpus", cloned]).out == "origin\tfile://\(hub)\n")
        // Nothing new: a second push and a pull change nothing.
        #expect(try stemma(["push", "--corpus", corpus]).out.contains("up to date"))
        #expect(try stemma(["pull", "--corpus", cloned]).out.contains("Already up to date"))
        try fsckClean(hub)
        try fsckClean(cloned)
    }

    @Test func pushAndCloneThroughGitDaemon() throws {
        let served = folder.file("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        _ = try bareHub("served/hub.git")
        let daemon = try GitDaemon(base: served)
        defer { daemon.stop() }
        let url = "git://127.0.0.1:\(daemon.port)/hub.git"

        let corpus = folder.file("a")
        #expect(try stemma(["init", corpus]).status == 0)
        try commit(corpus, "Hanoi (VNA) – Rice exports rose.\n")
        #expect(try stemma(["remote", "add", "daemon", url, "--corpus", corpus]).status == 0)
        let pushed = try stemma(["push", "daemon", "--corpus", corpus])
        #expect(pushed.status == 0, "\(pushed.stderr)")

        let cloned = folder.file("cloned")
        let clone = try stemma(["clone", url, cloned])
        #expect(clone.status == 0, "\(clone.stderr)")
        let plain = folder.file("plain.git")
        #expect(try git(["clone", "--quiet", "--bare", url, plain]).status == 0)
        let original = try log(corpus)
        #expect(try log(cloned) == original)
        #expect(try log(plain) == original)

        // Back the other way: the clone adds an edition and pushes over git://.
        try commit(cloned, "Rice exports rose. — VNS\n", source: "VNS")
        #expect(try stemma(["push", "--corpus", cloned]).status == 0)
        let pulled = try stemma(["pull", "daemon", "--corpus", corpus])
        #expect(pulled.status == 0 && pulled.out.contains("Fast-forward"), "\(pulled.out) \(pulled.stderr)")
        #expect(try log(corpus) == log(cloned))
        try fsckClean(served + "/hub.git")
    }

    @Test func twoClonesCommitDifferentEditionsAndEndWithTheUnion() throws {
        let hub = try bareHub("hub.git")
        let seed = folder.file("seed")
        #expect(try stemma(["init", seed]).status == 0)
        let first = try commit(seed, "Hanoi (VNA) – Rice exports rose.\n")
        #expect(try stemma(["remote", "add", "origin", hub, "--corpus", seed]).status == 0)
        #expect(try stemma(["push", "--corpus", seed]).status == 0)
        let x = folder.file("x"), y = folder.file("y")
        #expect(try stemma(["clone", hub, x]).status == 0)
        #expect(try stemma(["clone", hub, y]).status == 0)

        let fromX = try commit(x, "Rice exports rose sharply. — VNS\n", source: "VNS", date: "2024-03-13")
        let fromY = try commit(y, "Rice exports rose, officials said. — TT\n", source: "TT", date: "2024-03-14")
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        let refused = try stemma(["push", "--corpus", y])
        #expect(refused.status == 1 && refused.stderr.contains("stemma pull"), "\(refused.stderr)")
        let merged = try stemma(["pull", "--corpus", y])
        #expect(merged.status == 0 && merged.out.contains("Merged origin/main"), "\(merged.out) \(merged.stderr)")
        #expect(try stemma(["push", "--corpus", y]).status == 0)
        let forward = try stemma(["pull", "--corpus", x])
        #expect(forward.status == 0 && forward.out.contains("Fast-forward"), "\(forward.out) \(forward.stderr)")

        let union: Set = [first, fromX, fromY]
        #expect(try editionIDs(x) == union)
        #expect(try editionIDs(y) == union)
        #expect(try log(x) == log(y))
        // The merge commit is indexed like any other: each edition keeps the commit that recorded it.
        let entries = try JSONSerialization.jsonObject(with: Data(try log(y).utf8)) as? [[String: Any]] ?? []
        let tt = try #require(entries.first { $0["source"] as? String == "TT" })
        let recorded = try git(["--git-dir", y, "log", "--format=%H", "--grep", "Edition: \(fromY)", "main"]).out
        #expect(recorded.trimmingCharacters(in: .newlines) == tt["commit"] as? String)
        #expect(try git(["--git-dir", y, "rev-list", "--merges", "--count", "main"]).out == "1\n")
        try fsckClean(x)
        try fsckClean(y)
        try fsckClean(hub)
    }

    @Test func aRecordEditedOnBothSidesIsReportedNotLost() throws {
        let hub = try bareHub("hub.git")
        let x = folder.file("x"), y = folder.file("y")
        #expect(try stemma(["init", x]).status == 0)
        let text = "Hanoi (VNA) – Rice exports rose.\n"
        try commit(x, text, title: "Rice exports")
        #expect(try stemma(["remote", "add", "origin", hub, "--corpus", x]).status == 0)
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        #expect(try stemma(["clone", hub, y]).status == 0)

        // The same record, retitled differently on each side.
        try commit(x, text, title: "Rice exports rose in March")
        try commit(y, text, title: "Rice exports hit a record")
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        let mainBefore = try git(["--git-dir", y, "rev-parse", "main"]).out
        let stopped = try stemma(["pull", "--corpus", y])
        #expect(stopped.status == 1, "\(stopped.out) \(stopped.stderr)")
        #expect(stopped.out.contains("conflict: stories/") && stopped.out.contains("Rice exports hit a record")
                && stopped.out.contains("Rice exports rose in March"), "\(stopped.out)")
        #expect(stopped.stderr.contains("--ours or --theirs"), "\(stopped.stderr)")
        #expect(try git(["--git-dir", y, "rev-parse", "main"]).out == mainBefore, "a conflict changes nothing")
        #expect(try log(y).contains("Rice exports hit a record"))
        #expect(try stemma(["pull", "--ours", "--theirs", "--corpus", y]).status == 1)

        let kept = try stemma(["pull", "--ours", "--corpus", y])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(try log(y).contains("Rice exports hit a record") && !log(y).contains("rose in March"))
        // The other version is still in history: the merge commit's second parent holds it.
        let theirs = try git(["--git-dir", y, "log", "-p", "main^2", "-1"]).out
        #expect(theirs.contains("Rice exports rose in March"))
        #expect(try stemma(["push", "--corpus", y]).status == 0)
        #expect(try stemma(["pull", "--corpus", x]).status == 0)
        #expect(try log(x) == log(y))
        try fsckClean(y)
    }

    @Test func theirsTakesTheRemoteVersion() throws {
        let hub = try bareHub("hub.git")
        let x = folder.file("x"), y = folder.file("y")
        #expect(try stemma(["init", x]).status == 0)
        let text = "Hanoi (VNA) – Rice exports rose.\n"
        try commit(x, text, title: "One")
        #expect(try stemma(["remote", "add", "origin", hub, "--corpus", x]).status == 0)
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        #expect(try stemma(["clone", hub, y]).status == 0)
        try commit(x, text, title: "Two")
        try commit(y, text, title: "Three")
        try commit(y, "Another edition. — VNS\n", source: "VNS")
        #expect(try stemma(["push", "--corpus", x]).status == 0)
        let taken = try stemma(["pull", "--theirs", "--corpus", y])
        #expect(taken.status == 0, "\(taken.stderr)")
        let log = try log(y)
        #expect(log.contains("\"Two\"") && !log.contains("\"Three\"") && log.contains("VNS"), "\(log)")
    }

    @Test func badRemoteInputIsOneLineAndChangesNothing() throws {
        let corpus = folder.file("a")
        #expect(try stemma(["init", corpus]).status == 0)
        let noRemote = try stemma(["push", "--corpus", corpus])
        #expect(noRemote.status == 1 && noRemote.stderr.contains("no remote"), "\(noRemote.stderr)")
        let unknown = try stemma(["pull", "nosuch", "--corpus", corpus])
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("stemma: no remote 'nosuch'"), "\(unknown.stderr)")
        #expect(try stemma(["remote", "add", "bad name", "/x", "--corpus", corpus]).status == 1)
        #expect(try stemma(["remote", "add", "origin", folder.file("missing"), "--corpus", corpus]).status == 0)
        let twice = try stemma(["remote", "add", "origin", "/elsewhere", "--corpus", corpus])
        #expect(twice.status == 1 && twice.stderr.contains("already exists"))
        let unreachable = try stemma(["fetch", "--corpus", corpus])
        #expect(unreachable.status == 2 && unreachable.stderr.hasPrefix("stemma: fetch from origin"), "\(unreachable.stderr)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        #expect(try stemma(["remote", "remove", "origin", "--corpus", corpus]).status == 0)
        #expect(try stemma(["remote", "remove", "origin", "--corpus", corpus]).status == 1)

        // A clone from nowhere leaves nothing behind; a clone onto a non-empty folder is refused.
        let target = folder.file("target")
        let failed = try stemma(["clone", folder.file("missing"), target])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
        let notCorpus = try bareHub("plain.git")
        #expect(try stemma(["clone", notCorpus, target]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: target))
        folder.write("full/keep.txt", "mine")
        let occupied = try stemma(["clone", corpus, folder.file("full")])
        #expect(occupied.status == 1 && occupied.stderr.contains("not an empty folder"))
        #expect(FileManager.default.contents(atPath: folder.file("full/keep.txt")) == Data("mine".utf8))
        for command in ["remote", "push", "pull", "fetch", "clone"] {
            let help = try stemma([command, "--help"])
            #expect(help.status == 0 && help.out.contains("USAGE: stemma \(command)"))
        }
    }
}

/// A `git daemon` serving `base` on 127.0.0.1 with pushes allowed, on a free port; stopped by `stop()`.
final class GitDaemon {
    let port: Int
    private let process = Process()

    init(base: String) throws {
        port = try Self.freePort()
        let daemon = FileManager.default.isExecutableFile(atPath: "/usr/lib/git-core/git-daemon") ? ["/usr/lib/git-core/git-daemon"] : ["/usr/bin/git", "daemon"]
        process.executableURL = URL(fileURLWithPath: daemon[0])
        process.arguments = Array(daemon.dropFirst()) + ["--listen=127.0.0.1", "--port=\(port)", "--reuseaddr", "--export-all",
                                                         "--enable=receive-pack", "--base-path=\(base)", base]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once it answers: ls-remote an exported repository (at most about 10 s).
        for _ in 0..<100 {
            if let r = try? git(["ls-remote", "git://127.0.0.1:\(port)/hub.git"]), r.status == 0 { return }
            usleep(100_000)
        }
        stop()
        throw DaemonError.notReady
    }

    /// SIGKILL: the daemon may have inherited a blocked SIGTERM from the test runner.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    enum DaemonError: Error { case notReady, noPort }

    /// A port the kernel says is free now (bound to port 0 on loopback, read back, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DaemonError.noPort }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw DaemonError.noPort }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw DaemonError.noPort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
