import Foundation
import Testing
import TestSupport

/// Issue 18 §2: imports and commits writing one corpus at once all land. An import whose
/// checkpoint finds main moved puts its commits on top of the other writers' and goes on,
/// instead of stopping (and leaving its pack behind) or trying the same move for ever.
@Suite struct ConcurrentWritersTests {
    /// A manifest of `count` short editions from `source`, spread over stories `s0`…`s99`, which
    /// another manifest of the same shape shares.
    func manifest(_ h: CLIHarness, _ name: String, source: String, count: Int) -> String {
        let lines = (0..<count).map { i in
            #"{"text": "\#(source) edition \#(i) of story \#(i % 100): rice exports rose again.", "story": "s\#(i % 100)", "source": "\#(source)", "date": "2024-01-01"}"#
        }
        return h.folder.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// Runs `body` on a thread of its own (each writer blocks on its process; the shared pool
    /// must stay free to drain the pipes), signalling `done` at the end.
    func onThread(_ done: DispatchSemaphore, _ body: @escaping @Sendable () -> Void) {
        Thread { body(); done.signal() }.start()
    }

    static func json(_ r: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout)) as? [String: Any]) ?? [:]
    }

    @Test func twoImportsAndFiftyCommitsAtOnceAllLand() throws {
        let h = try CLIHarness()
        let a = manifest(h, "a.jsonl", source: "VNA", count: 5_000)
        let b = manifest(h, "b.jsonl", source: "VNS", count: 5_000)
        let texts = (0..<50).map { h.text("c/\($0).txt", "Commit \($0) of story \($0 % 7): a short note. — AFP\n") }
        let failures = Failures()
        let results = Results()
        let done = DispatchSemaphore(value: 0)
        let binary = CLIHarness.binary, corpus = h.corpus
        for (name, file) in [("a", a), ("b", b)] {
            onThread(done) {
                // Small checkpoints, so that they collide with the other import's and the commits.
                let r = try? run(binary, ["import", file, "--checkpoint", "500", "--json", "--quiet", "--corpus", corpus])
                if r?.status != 0 { failures.add("import \(name): \(r?.stderr ?? "did not run")") }
                if let r { results.set(name, Self.json(r)) }
            }
        }
        onThread(done) {
            for (i, file) in texts.enumerated() {
                let r = try? run(binary, ["commit", file, "--story", "s\(i % 7)", "--date", "2024-02-01", "--corpus", corpus])
                if r?.status != 0 { failures.add("commit \(i): \(r?.stderr ?? "did not run")") }
                usleep(100_000)
            }
        }
        for _ in 0..<3 { done.wait() }
        #expect(failures.all.isEmpty, "\(failures.all)")
        for name in ["a", "b"] { #expect(results.get(name)["created"] as? Int == 5_000, "import \(name): \(results.get(name))") }
        let rebases = ["a", "b"].map { results.get($0)["rebases"] as? Int ?? 0 }.reduce(0, +)
        #expect(rebases > 0, "no checkpoint found main moved: the test raced nothing")

        #expect(try h.editionsInTree() == 10_050)
        #expect(try h.editionsInIndex() == 10_050)
        #expect(try h.stemma(["log", "--oneline"]).out.split(separator: "\n").count == 10_050)
        #expect(try h.stemma(["find", "--source", "AFP", "--limit", "0", "--json"]).out.components(separatedBy: "\"edition\"").count - 1 == 50)
        // One commit per edition on main, nothing twice: the replaced commits are off main.
        #expect(try h.commitCount() == 10_051)
        #expect(try h.fsckComplaint() == nil)
        #expect(try h.verifyComplaint() == nil)
        #expect(try h.unreferencedPacks().isEmpty)
        #expect(h.unfinishedPacks().isEmpty)
    }

    /// Two imports of one manifest at once converge: each record once, written by one of them
    /// and found already there (or dropped at a rebase) by the other.
    @Test func twoImportsOfTheSameManifestAtOnceRecordEachEditionOnce() throws {
        let h = try CLIHarness()
        let m = manifest(h, "m.jsonl", source: "VNA", count: 2_000)
        let results = Results(), failures = Failures()
        let done = DispatchSemaphore(value: 0)
        let binary = CLIHarness.binary, corpus = h.corpus
        for name in ["a", "b"] {
            onThread(done) {
                let r = try? run(binary, ["import", m, "--checkpoint", "100", "--json", "--quiet", "--corpus", corpus])
                if r?.status != 0 { failures.add("import \(name): \(r?.stderr ?? "did not run")") }
                if let r { results.set(name, Self.json(r)) }
            }
        }
        for _ in 0..<2 { done.wait() }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let (a, b) = (results.get("a"), results.get("b"))
        #expect((a["created"] as? Int ?? 0) + (b["created"] as? Int ?? 0) == 2_000, "\(a) \(b)")
        #expect((a["skipped"] as? Int ?? 0) + (b["skipped"] as? Int ?? 0) == 2_000, "\(a) \(b)")
        #expect(try h.editionsInTree() == 2_000)
        #expect(try h.editionsInIndex() == 2_000)
        #expect(try h.commitCount() == 2_001)
        #expect(try h.fsckComplaint() == nil)
        #expect(try h.unreferencedPacks().isEmpty)
    }

    /// The livelock of issue 18: with a commit every half second, every checkpoint found main
    /// moved, and the import never landed.
    @Test func anImportLandsWhileACommitLandsEveryHalfSecond() throws {
        let h = try CLIHarness()
        let a = manifest(h, "a.jsonl", source: "VNA", count: 2_000)
        let stop = Flag()
        let failures = Failures()
        let committed = Counter()
        let done = DispatchSemaphore(value: 0)
        let binary = CLIHarness.binary, corpus = h.corpus, folder = h.folder.path
        onThread(done) {
            var i = 0
            while !stop.isSet {
                let file = folder + "/c\(i).txt"
                _ = FileManager.default.createFile(atPath: file, contents: Data("Commit \(i), landed while an import ran. — AFP\n".utf8))
                let r = try? run(binary, ["commit", file, "--story", "s\(i % 3)", "--date", "2024-02-01", "--corpus", corpus])
                if r?.status == 0 { committed.add() } else { failures.add("commit \(i): \(r?.stderr ?? "did not run")") }
                i += 1
                usleep(500_000)
            }
        }
        usleep(300_000)
        let r = try h.stemma(["import", a, "--checkpoint", "200", "--json", "--quiet"])
        stop.set()
        done.wait()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.json(r)["created"] as? Int == 2_000, "\(r.out)")
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(committed.value > 0)
        #expect(try h.editionsInTree() == 2_000 + committed.value)
        #expect(try h.editionsInIndex() == 2_000 + committed.value)
        #expect(try h.fsckComplaint() == nil)
        #expect(try h.unreferencedPacks().isEmpty)
    }
}

final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: [String: Any]] = [:]
    func set(_ key: String, _ value: [String: Any]) { lock.lock(); values[key] = value; lock.unlock() }
    func get(_ key: String) -> [String: Any] { lock.lock(); defer { lock.unlock() }; return values[key] ?? [:] }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
