import Foundation
import Testing
import TestSupport

/// Writers and main's lock file (issue 18 §2): real processes on one corpus.
@Suite struct LockTests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    func stemma(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: folder.path, environment: env)
    }

    @Test func aStaleLockFailsWithinTheBoundNamingTheLockFile() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let lock = corpus + "/refs/heads/main.lock"
        // A writer killed between taking the lock and renaming it leaves this behind.
        folder.write("corpus/refs/heads/main.lock", "0000000000000000000000000000000000000000\n")
        let before = try git(["--git-dir", corpus, "rev-parse", "main"]).out
        let file = folder.write("e.txt", "Rice exports rose. — VNS\n")
        let started = Date()
        let r = try stemma(["commit", file, "--story", "rice", "--source", "VNS", "--date", "2024-01-01", "--corpus", corpus], env: ["STEMMA_LOCK_TIMEOUT": "1"])
        // The bound, not a speed: without it this waited about 30 minutes.
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("stemma: main is locked: ") && r.stderr.contains(lock) && r.stderr.contains("remove"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try git(["--git-dir", corpus, "rev-parse", "main"]).out == before, "nothing moved")
        #expect(FileManager.default.fileExists(atPath: lock), "the lock is the user's to remove")
        try FileManager.default.removeItem(atPath: lock)
        #expect(try stemma(["commit", file, "--story", "rice", "--source", "VNS", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
    }

    @Test func fourWritersOfAHundredCommitsEachLoseNothing() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let writers = 4, each = 100
        let files = (0..<writers).map { w in (0..<each).map { i in folder.write("w\(w)/\(i).txt", "Writer \(w), edition \(i). — VNS\n") } }
        let failures = Failures()
        let finished = DispatchSemaphore(value: 0)
        let binary = CLITests.binary, corpus = self.corpus
        // Threads of their own, not the shared dispatch pool: each writer blocks on its process,
        // and `run` needs pool threads to drain the pipes (on 2 cores the pool would starve).
        for w in 0..<writers {
            Thread {
                for (i, file) in files[w].enumerated() {
                    let r = try? run(binary, ["commit", file, "--story", "race-\(i % 7)", "--date", "2021-01-01", "--corpus", corpus])
                    if r?.status != 0 { failures.add(r?.stderr ?? "did not run") }
                }
                finished.signal()
            }.start()
        }
        for _ in 0..<writers { finished.wait() }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let stories = try stemma(["stories", "--json", "--corpus", corpus])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(stories.stdout)) as? [[String: Any]])
        #expect(list.reduce(0) { $0 + ($1["editions"] as? Int ?? 0) } == writers * each)
        #expect(try git(["--git-dir", corpus, "rev-list", "--count", "main"]).out == "\(writers * each + 1)\n")
        let fsck = try git(["--git-dir", corpus, "fsck", "--strict"])
        #expect(fsck.status == 0, "\(fsck.out) \(fsck.stderr)")
    }
}
