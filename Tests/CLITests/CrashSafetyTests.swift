import Foundation
import Testing
import TestSupport

/// Issue 18 §3: `kill -9` at random moments of `import` and `commit` leaves a corpus git and
/// `stemma verify` accept, and running the command again completes with exactly the expected
/// editions. The delays come from a seeded generator; a failure names the seed, and
/// STEMMA_CRASH_SEED runs that seed again.
@Suite struct CrashSafetyTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["STEMMA_CRASH_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1...UInt64(UInt32.max))

    /// Waits `seconds`, drawn by the caller.
    static func pause(_ seconds: Double) { usleep(UInt32(seconds * 1_000_000)) }

    @Test func anImportKilledFiveTimesThenRunToTheEndHasEveryEditionOnce() throws {
        let seed = Self.seed
        var random = SeededRandom(seed: seed)
        let h = try CLIHarness()
        let count = 10_000
        let lines = (0..<count).map { i in
            #"{"text": "Edition \#(i) of story \#(i % 100): the harvest was early.", "story": "s\#(i % 100)", "source": "VNA", "date": "2024-01-01"}"#
        }
        let manifest = h.folder.write("m.jsonl", lines.joined(separator: "\n") + "\n")
        var killedAt: [String] = []
        for round in 1...5 {
            let importing = try SpawnedStemma(["import", manifest, "--checkpoint", "1000", "--quiet", "--corpus", h.corpus])
            let delay = Double.random(in: 0.2...3.5, using: &random)
            Self.pause(delay)
            killedAt.append(String(format: "%.2f s%@", delay, importing.killHard() ? "" : " (had finished)"))
            let context = "seed \(seed), kill \(round) after \(killedAt.last!)"
            #expect(try h.fsckComplaint() == nil, "\(context)")
            // Whatever landed, landed once: one commit per edition on main.
            let landed = try h.editionsInTree()
            #expect(try h.commitCount() == landed + 1, "\(context)")
        }
        let context = "seed \(seed), killed after \(killedAt)"
        #expect(try h.verifyComplaint() == nil, "\(context)")
        let completed = try h.ok(["import", manifest, "--json", "--quiet"])
        #expect(completed.out.contains("\"failed\": 0"), "\(context): \(completed.out)")
        #expect(try h.editionsInTree() == count, "\(context)")
        #expect(try h.editionsInIndex() == count, "\(context)")
        #expect(try h.commitCount() == count + 1, "\(context)")
        #expect(try h.fsckComplaint() == nil, "\(context)")
        #expect(try h.verifyComplaint() == nil, "\(context)")
        #expect(h.unfinishedPacks().isEmpty, "\(context)")
        // Running it once more writes nothing.
        #expect(try h.ok(["import", manifest, "--json", "--quiet"]).out.contains("\"skipped\": \(count)"), "\(context)")
    }

    @Test func aCommitKilledAtRandomMomentsThenRunAgainRecordsItsEditionOnce() throws {
        let seed = Self.seed
        var random = SeededRandom(seed: seed)
        let h = try CLIHarness()
        let rounds = 20
        for round in 1...rounds {
            let text = h.text("e\(round).txt", "Edition \(round): the river rose overnight. — VNS\n")
            let args = ["commit", text, "--story", "flood-\(round % 3)", "--date", "2024-05-0\(round % 9 + 1)", "--corpus", h.corpus]
            let committing = try SpawnedStemma(args)
            // A commit takes some tens of milliseconds: the kill lands anywhere in it, or after it.
            let delay = Double.random(in: 0...0.12, using: &random)
            Self.pause(delay)
            let killed = committing.killHard()
            let context = "seed \(seed), round \(round), killed after \(String(format: "%.3f", delay)) s\(killed ? "" : " (had finished)")"
            #expect(try h.fsckComplaint() == nil, "\(context)")
            #expect(try h.verifyComplaint() == nil, "\(context)")
            let landed = try h.editionsInTree()
            #expect(landed == round - 1 || landed == round, "\(context): \(landed) editions")
            // Killed between taking main's lock and renaming it, a commit leaves the lock, as git
            // does; the next writer names it after waiting, and removing it (what the message
            // says) is all it takes. Waited out briefly here.
            let rerun = Array(args.dropLast(2))
            var again = try run(CLIHarness.binary, rerun + ["--corpus", h.corpus], environment: ["STEMMA_LOCK_TIMEOUT": "2"])
            let lock = h.corpus + "/refs/heads/main.lock"
            if again.status != 0 && again.stderr.contains("main.lock") && FileManager.default.fileExists(atPath: lock) {
                try FileManager.default.removeItem(atPath: lock)
                again = try run(CLIHarness.binary, rerun + ["--corpus", h.corpus])
            }
            #expect(again.status == 0, "\(context): \(again.stderr)")
            #expect(try h.editionsInTree() == round, "\(context)")
            #expect(try h.editionsInIndex() == round, "\(context)")
            #expect(try h.commitCount() == round + 1, "\(context)")
        }
        #expect(try h.verifyComplaint() == nil, "seed \(seed)")
    }

    /// A writer killed between renaming its pack and writing the pack's index leaves a pack git
    /// cannot read (nothing refers to its objects) or half an index: the next import removes
    /// them once they are a minute old, and leaves younger ones to a writer that may be at work.
    @Test func theNextImportRemovesAPackLeftWithoutItsIndex() throws {
        let h = try CLIHarness()
        try h.manifest("one.jsonl", [["text": "One edition. — VNA", "story": "one", "source": "VNA", "date": "2024-01-01"]])
        try h.ok(["import", "one.jsonl", "--quiet"])
        let folder = h.corpus + "/objects/pack/"
        let real = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") })
        let bytes = try #require(FileManager.default.contents(atPath: folder + real))
        func leave(_ name: String, old: Bool) throws {
            #expect(FileManager.default.createFile(atPath: folder + name, contents: bytes))
            if old { try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: folder + name) }
        }
        let hex = String(repeating: "ab", count: 20), young = String(repeating: "cd", count: 20)
        try leave("pack-\(hex).pack", old: true)
        try leave("pack-\(hex).idx.tmp-4242", old: true)
        try leave("pack-\(young).pack", old: false)
        try h.manifest("two.jsonl", [["text": "Another edition. — VNA", "story": "two", "source": "VNA", "date": "2024-01-01"]])
        try h.ok(["import", "two.jsonl", "--quiet"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(!left.contains("pack-\(hex).pack") && !left.contains("pack-\(hex).idx.tmp-4242"), "\(left.sorted())")
        #expect(left.contains("pack-\(young).pack"), "a young one may be a writer's at work")
        #expect(left.contains(real) && left.contains(String(real.dropLast(5)) + ".idx"), "a pack with its index stays")
        #expect(try h.editionsInTree() == 2)
        #expect(try h.fsckComplaint() == nil)
    }
}
