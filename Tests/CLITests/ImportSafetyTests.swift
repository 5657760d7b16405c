import Foundation
import Testing
import TestSupport

/// Issue 14 items 5 and 23: an interrupted import leaves no unfinished pack, and an import runs
/// the pre-commit hook as commit does.
@Suite struct ImportSafetyTests {
    /// Starts an import of many small editions and returns its process id once its pack is
    /// being written.
    func importCaughtWriting(_ h: CLIHarness) throws -> pid_t {
        let body = (1...20_000).map { #"{"text": "Edition number \#($0) of a long import.", "story": "s\#($0 % 500)", "source": "VNA", "date": "2024-01-01"}"# }
            .joined(separator: "\n") + "\n"
        let manifest = h.folder.write("m.jsonl", body)
        let pid = try SpawnedStemma(["import", manifest, "--checkpoint", "1000000", "--quiet", "--corpus", h.corpus]).pid
        let deadline = Date().addingTimeInterval(120)
        // Until the pack has its header: the file is not empty, so it is this import's at work.
        func writing() -> Bool {
            h.unfinishedPacks().contains { ((try? FileManager.default.attributesOfItem(atPath: h.corpus + "/objects/pack/" + $0))?[.size] as? Int ?? 0) > 0 }
        }
        while !writing() && Date() < deadline && waitpid(pid, nil, WNOHANG) == 0 { usleep(2_000) }
        return pid
    }

    /// Waits for `pid`; the signal that ended it, or nil if it exited.
    func signalThatEnded(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status & 0x7F == 0 ? nil : status & 0x7F
    }

    @Test func interruptingAnImportRemovesItsUnfinishedPack() throws {
        for signal in [SIGINT, SIGTERM] {
            let h = try CLIHarness()
            let pid = try importCaughtWriting(h)
            try #require(!h.unfinishedPacks().isEmpty, "the import ended before it could be interrupted")
            kill(pid, signal)
            #expect(signalThatEnded(pid) == signal)
            #expect(h.unfinishedPacks().isEmpty, "left \(h.unfinishedPacks())")
            #expect(try git(["--git-dir", h.corpus, "count-objects", "-v"]).out.contains("garbage: 0"))
        }
    }

    @Test func theNextImportRemovesWhatAKilledOneLeft() throws {
        let h = try CLIHarness()
        let pid = try importCaughtWriting(h)
        try #require(!h.unfinishedPacks().isEmpty, "the import ended before it could be killed")
        kill(pid, SIGKILL)
        #expect(signalThatEnded(pid) == SIGKILL)
        #expect(!h.unfinishedPacks().isEmpty) // nothing can clean up after SIGKILL…
        try h.ok(["import", h.folder.file("m.jsonl"), "--quiet"]) // …but the next import does
        #expect(h.unfinishedPacks().isEmpty)
        let fsck = try git(["--git-dir", h.corpus, "fsck"])
        #expect(fsck.status == 0 && !fsck.stderr.contains("garbage"), "\(fsck.stderr)")
        #expect(try git(["--git-dir", h.corpus, "count-objects", "-v"]).out.contains("garbage: 0"))
    }

    @Test func importRunsThePreCommitHookForEveryItem() throws {
        let h = try CLIHarness()
        let hook = h.corpus + "/hooks/stemma-pre-commit"
        // Reads its stdin whole before deciding (a hook that does not is issue 14 item 22, SIGPIPE).
        try writeExecutable("#!/bin/sh\ntext=$(cat)\ncase \"$STEMMA_TITLE\" in *FORBIDDEN*) echo 'no forbidden titles' >&2; exit 1;; esac\ncase \"$text\" in *FORBIDDEN*) echo \"no forbidden words ($STEMMA_STORY)\" >&2; exit 1;; esac\n", to: hook)
        #expect(try h.stemma(["commit", h.text("bad.txt", "A FORBIDDEN text."), "--story", "bad", "--source", "VNA", "--date", "2024-01-01"]).status == 1)
        try h.manifest("m.jsonl", [
            ["text": "A fine text.", "story": "good", "source": "VNA", "date": "2024-01-01"],
            ["text": "A FORBIDDEN text.", "story": "bad", "source": "VNA", "date": "2024-01-01"],
            // The same record as line 1 again, refused: line 1 is still written as it was.
            ["text": "A fine text.", "story": "good", "source": "VNA", "date": "2024-01-02", "title": "A FORBIDDEN title"],
        ])
        let before = try h.state()
        let refused = try h.stemma(["import", "m.jsonl"])
        #expect(refused.status == 1 && refused.stderr.contains("m.jsonl:2") && refused.stderr.contains("no forbidden words (bad)"), "\(refused.stderr)")
        #expect(try h.state() == before)
        let partial = try h.stemma(["import", "m.jsonl", "--keep-going", "--json"])
        #expect(partial.status == 1 && partial.out.contains("\"created\": 1"), "\(partial.status) \(partial.out) \(partial.stderr)")
        #expect(partial.stderr.contains("m.jsonl:3") && partial.stderr.contains("no forbidden titles"), "\(partial.stderr)")
        #expect(try h.stemma(["stories"]).out == "good\t1 edition\n")
        #expect(try h.log("good").first?["date"] as? String == "2024-01-01")
    }
}
