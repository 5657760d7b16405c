import Foundation
import Testing
import TestSupport

/// `kill -9` in the middle of `pull` and `push` (issue 18 §3), real processes over a `git://`
/// remote (a `git daemon` on loopback), so the transfer sends a pack and takes seconds. After each kill,
/// `git fsck --strict` and `stemma verify` accept the corpus (and the remote); a rerun ends with
/// exactly the editions expected, and nothing a killed transfer wrote is left behind.
@Suite(.serialized) struct TransferCrashTests {
    let folder = TemporaryFolder()
    /// Enough editions that a transfer takes a few seconds here (libgit2 builds the pack anew).
    static let editions = 1_500
    static let kills = 4
    /// The lock Stemma's transfers hold (`TransferLock.fileName`): not something left behind.
    static let transferLock = "stemma-transfer.lock"

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLIHarness.binary, args, directory: folder.path) }

    @discardableResult
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let r = try stemma(args)
        #expect(r.status == 0, "stemma \(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// A corpus of `count` editions of generated text, written by one import.
    func bigCorpus(_ name: String, count: Int) throws -> String {
        var random = SeededRandom(seed: 18)
        let words = ["rice", "export", "ministry", "province", "delta", "harvest", "tonnes", "price", "farmers", "Viet Nam",
                     "Ha Noi", "said", "on", "Thursday", "the", "of", "and", "in", "a", "per cent", "growth", "trade"]
        var lines = ""
        for i in 0..<count {
            var text = "Story \(i) (VNA) –"
            for _ in 0..<200 { text += " " + words[Int(random.next() % UInt64(words.count))] }
            let line: [String: Any] = ["text": text + ".\n", "story": "story-\(i / 4)", "source": ["VNA", "VNS", "TT", "AFP"][i % 4],
                                       "date": "2024-01-\(10 + i % 20)"]
            lines += String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        let manifest = folder.write("\(name).jsonl", lines)
        let corpus = folder.file(name)
        try ok(["init", corpus])
        try ok(["import", manifest, "--quiet", "--corpus", corpus])
        return corpus
    }

    /// Starts stemma with its output thrown away; returns its pid.
    func spawn(_ args: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = ([CLIHarness.binary] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        try #require(posix_spawn(&pid, CLIHarness.binary, &actions, nil, &argv, environ) == 0)
        return pid
    }

    /// Runs stemma and kills it with SIGKILL after `delay` seconds; whether it was still running then.
    func killed(_ args: [String], after delay: Double) throws -> Bool {
        let pid = try spawn(args)
        let deadline = Date().addingTimeInterval(delay)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return false }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return status & 0x7F == SIGKILL
    }

    /// Seconds `args` takes when left alone.
    func duration(_ args: [String]) throws -> Double {
        let started = Date()
        try ok(args)
        return Date().timeIntervalSince(started)
    }

    /// The delays to kill at: seeded, spread over the run (a little past its end too).
    static func delays(over seconds: Double, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<kills).map { i in
            let share = (Double(i) + Double(random.next() % 1000) / 1000) / Double(kills)
            return 0.2 + share * seconds * 1.05
        }
    }

    func fsckClean(_ repository: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try git(["--git-dir", repository, "fsck", "--strict", "--no-dangling"])
        #expect(r.status == 0, "fsck \(repository): \(r.out) \(r.stderr)", sourceLocation: sourceLocation)
    }

    func verified(_ corpus: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try stemma(["verify", "--corpus", corpus])
        #expect(r.status == 0, "verify \(corpus): \(r.out) \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// Record files on `main`.
    func recordCount(_ repository: String) throws -> Int {
        try git(["--git-dir", repository, "ls-tree", "-r", "--name-only", "main", "stories"]).out
            .split(separator: "\n").filter { $0.hasSuffix(".json") }.count
    }

    /// What a killed transfer could leave: libgit2's unfinished packs and lock files.
    func leftovers(_ repository: String) -> [String] {
        let names = FileManager.default.enumerator(atPath: repository)?.compactMap { $0 as? String } ?? []
        return names.filter { $0.hasSuffix(".lock") && !$0.hasSuffix(Self.transferLock) || $0.contains("pack_git2_") }
    }

    @Test func aPullKilledMidTransferLeavesAValidCorpusAndARerunCompletesIt() throws {
        // Four times the corpus of a path test: over git:// the server sends its stored pack, so
        // the pull is quick, and the first kill must land before the first pull completes
        // (every later pull would find nothing to do).
        let editions = Self.editions * 4
        // Served by a `git daemon`: a fetch from a path or `file://` only shares files and moves a
        // reference (see `ObjectFiles`), too quick to kill; over `git://` libgit2 receives a pack.
        try FileManager.default.createDirectory(atPath: folder.file("served"), withIntermediateDirectories: true)
        _ = try bigCorpus("served/hub.git", count: editions)
        let daemon = try GitDaemon(base: folder.file("served"))
        defer { daemon.stop() }
        let url = "git://127.0.0.1:\(daemon.port)/hub.git"
        // How long a pull takes here, from a corpus of one edition of its own (so it merges).
        func localCorpus(_ name: String) throws -> String {
            let corpus = folder.file(name)
            try ok(["init", corpus])
            try ok(["commit", folder.write("own-\(name).txt", "Hanoi (VNA) – Our own edition.\n"), "--story", "own", "--source", "VNA",
                    "--date", "2024-02-01", "--corpus", corpus])
            try ok(["remote", "add", "origin", url, "--corpus", corpus])
            return corpus
        }
        let reference = try localCorpus("reference")
        let seconds = try duration(["pull", "--corpus", reference])
        #expect(try recordCount(reference) == editions + 1)

        let local = try localCorpus("local")
        var killedMidway = 0
        for delay in Self.delays(over: seconds, seed: 31) {
            if try killed(["pull", "--corpus", local], after: delay) { killedMidway += 1 }
            try fsckClean(local)
            try verified(local)
        }
        #expect(killedMidway >= 1, "every pull finished before its kill (\(seconds) s)")
        let rerun = try ok(["pull", "--corpus", local])
        #expect(rerun.out.contains("origin/main") || rerun.out.contains("Already up to date"), "\(rerun.out)")
        #expect(try recordCount(local) == editions + 1, "exactly the union")
        let stories = try ok(["stories", "--json", "--corpus", local]).out
        let listed = (try JSONSerialization.jsonObject(with: Data(stories.utf8)) as? [[String: Any]] ?? []).compactMap { $0["editions"] as? Int }
        #expect(listed.reduce(0, +) == editions + 1, "the index agrees")
        try fsckClean(local)
        try verified(local)
        #expect(leftovers(local).isEmpty, "left behind: \(leftovers(local))")
        #expect(try git(["--git-dir", local, "count-objects", "-v"]).out.contains("garbage: 0"))
    }

    /// Through a `git daemon`: a push to a path or `file://` only shares files and moves a
    /// reference (see `ObjectFiles`), too quick to kill; over `git://` Stemma sends a pack, which
    /// copies stored entries and is quick too (git's speed), so this corpus is four times the
    /// pull test's: large enough that the kills land while the pack is on its way.
    @Test func aPushKilledMidTransferLeavesTheRemoteValidAndARerunLands() throws {
        let editions = Self.editions * 4
        let local = try bigCorpus("local", count: editions)
        let served = folder.file("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        for name in ["hub.git", "reference.git"] {
            #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", served + "/" + name]).status == 0)
        }
        let daemon = try GitDaemon(base: served)
        defer { daemon.stop() }
        try ok(["remote", "add", "reference", "git://127.0.0.1:\(daemon.port)/reference.git", "--corpus", local])
        let seconds = try duration(["push", "reference", "--corpus", local])

        let target = served + "/hub.git"
        try ok(["remote", "add", "origin", "git://127.0.0.1:\(daemon.port)/hub.git", "--corpus", local])
        var killedMidway = 0
        for delay in Self.delays(over: seconds, seed: 47) {
            if try killed(["push", "--corpus", local], after: delay) { killedMidway += 1 }
            try fsckClean(target)
            try fsckClean(local)
            try verified(local)
        }
        #expect(killedMidway >= 1, "every push finished before its kill (\(seconds) s)")
        try ok(["push", "--corpus", local])
        let tip = try git(["--git-dir", local, "rev-parse", "main"]).out
        #expect(try git(["--git-dir", target, "rev-parse", "main"]).out == tip)
        #expect(try recordCount(target) == editions)
        try fsckClean(target)
        #expect(leftovers(target).isEmpty, "left in the remote: \(leftovers(target))")
        #expect(try git(["--git-dir", target, "count-objects", "-v"]).out.contains("garbage: 0"))
        // A clone of the remote is the same corpus.
        let clone = folder.file("clone")
        try ok(["clone", target, clone])
        #expect(try recordCount(clone) == editions)
        try verified(clone)
    }

    /// A push into a local repository killed at any moment (here: while it shares object files)
    /// leaves it valid, and the rerun lands.
    @Test func aPushToAPathKilledAnywhereLeavesTheRemoteValid() throws {
        let local = try bigCorpus("local", count: Self.editions)
        let target = folder.file("hub.git")
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", target]).status == 0)
        try ok(["remote", "add", "origin", target, "--corpus", local])
        var random = SeededRandom(seed: 53)
        for _ in 0..<Self.kills {
            _ = try killed(["push", "--corpus", local], after: Double(random.next() % 200) / 1000)
            try fsckClean(target)
            let main = try git(["--git-dir", target, "rev-parse", "--verify", "-q", "main"])
            let tip = try git(["--git-dir", local, "rev-parse", "main"]).out
            #expect(main.status != 0 || main.out == tip, "main is old or new, never half")
        }
        try ok(["push", "--corpus", local])
        #expect(try recordCount(target) == Self.editions)
        try fsckClean(target)
        #expect(leftovers(target).isEmpty, "left in the remote: \(leftovers(target))")
    }
}
