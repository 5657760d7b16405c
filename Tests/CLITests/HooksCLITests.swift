import Foundation
import Testing
import TestSupport

/// Hooks run only when the corpus's owner installed them, and cannot kill or hang stemma
/// (issue 14, items 21 and 22).
@Suite struct HooksCLITests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], input: [UInt8]? = nil) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: folder.path, input: input)
    }

    func tip(_ gitDir: String) throws -> String { try git(["--git-dir", gitDir, "rev-parse", "main"]).out }

    func installScript(_ script: String, as event: String = "stemma-pre-commit", in corpus: String) throws {
        try writeExecutable(script, to: corpus + "/hooks/" + event)
    }

    @Test func aHookInACorpusTreeNeverRuns() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        folder.write("first.txt", "First edition. — VNS")
        #expect(try stemma(["commit", "first.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
        // Someone commits hooks/stemma-pre-commit into the corpus's tree and pushes it.
        let ran = folder.file("hook-ran")
        let author = folder.file("author")
        #expect(try git(["clone", "-q", corpus, author]).status == 0)
        try installScript("#!/bin/sh\ntouch '\(ran)'\nexit 0\n", in: author)
        #expect(try git(["add", "hooks/stemma-pre-commit"], directory: author).status == 0)
        #expect(try git(["commit", "-qm", "Plant a hook"], directory: author).status == 0)
        #expect(try git(["push", "-q", "origin", "HEAD:main"], directory: author).status == 0)

        let bare = folder.file("bare"), work = folder.file("work")
        #expect(try git(["clone", "-q", "--bare", corpus, bare]).status == 0)
        #expect(try git(["clone", "-q", corpus, work]).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: work + "/hooks/stemma-pre-commit"), "the clone checked the hook out")
        folder.write("second.txt", "Second edition. — VNS")
        for target in [corpus, bare] {
            let r = try stemma(["commit", "second.txt", "--story", "s", "--date", "2024-01-02", "--corpus", target])
            #expect(r.status == 0, "\(target): \(r.stderr)")
            #expect(try stemma(["hooks", "list", "--corpus", target]).out.contains("pre-commit   not installed"))
        }
        for target in [work, work + "/.git"] {
            let before = try tip(work + "/.git")
            #expect(try stemma(["commit", "second.txt", "--story", "s", "--date", "2024-01-02", "--corpus", target]).status == 2)
            #expect(try tip(work + "/.git") == before)
        }
        #expect(!FileManager.default.fileExists(atPath: ran), "a hook from the tree ran")
    }

    @Test func installedHooksRunAndListShowsThem() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        #expect(try stemma(["hooks", "install", "pre-commit", "stemma-post-commit", "--corpus", corpus]).status == 0)
        let list = try stemma(["hooks", "list", "--corpus", corpus]).out
        #expect(list.contains("pre-commit   installed") && list.contains("post-commit  installed") && list.contains("post-import  not installed"))
        #expect(try stemma(["hooks", "show", "pre-commit"]).out == String(decoding: FileManager.default.contents(atPath: corpus + "/hooks/stemma-pre-commit")!, as: UTF8.self))
        folder.write("marked.txt", "Hanoi (VNA) – A text with [TK] in it.")
        let refused = try stemma(["commit", "marked.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus])
        #expect(refused.status == 1 && refused.stderr.contains("editor's marker"))
        folder.write("clean.txt", "Hanoi (VNA) – A clean text.")
        #expect(try stemma(["commit", "clean.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
        #expect(FileManager.default.fileExists(atPath: corpus + "/stemma-journal.tsv"))
        // Bad names change nothing; a hook the owner edited is kept unless --force.
        let bad = try stemma(["hooks", "install", "post-import", "nosuch", "--corpus", corpus])
        #expect(bad.status == 1 && bad.stderr.contains("no hook 'nosuch'"))
        #expect(!FileManager.default.fileExists(atPath: corpus + "/hooks/stemma-post-import"))
        try installScript("#!/bin/sh\nexit 0\n", in: corpus)
        #expect(try stemma(["hooks", "install", "pre-commit", "--corpus", corpus]).status == 1)
        #expect(try stemma(["hooks", "install", "pre-commit", "--force", "--corpus", corpus]).status == 0)
        #expect(try stemma(["hooks", "remove", "pre-commit", "--corpus", corpus]).status == 0)
        #expect(try stemma(["hooks", "list", "--corpus", corpus]).out.contains("pre-commit   not installed"))
    }

    /// The shipped hook stops reading at the first marker: on a text over 64 KiB stemma used to die of SIGPIPE.
    @Test func aHookThatStopsReadingGivesItsVerdict() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        #expect(try stemma(["hooks", "install", "pre-commit", "--corpus", corpus]).status == 0)
        let body = String(repeating: "The delegation discussed rice trade at length. ", count: 4_000) // ~190 KB
        folder.write("marked.txt", "Hanoi (VNA) – [TK] " + body)
        let before = try tip(corpus)
        let refused = try stemma(["commit", "marked.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("pre-commit hook refused") && refused.stderr.contains("editor's marker"))
        #expect(try tip(corpus) == before)
        // A hook that reads nothing and accepts.
        try installScript("#!/bin/sh\nexit 0\n", in: corpus)
        folder.write("clean.txt", "Hanoi (VNA) – " + body)
        let accepted = try stemma(["commit", "clean.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test func aHookThatHangsIsStoppedAndNamed() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        try installScript("#!/bin/sh\nexec sleep 60\n", in: corpus)
        folder.write("e.txt", "Hanoi (VNA) – A text.")
        let before = try tip(corpus)
        let r = try stemma(["commit", "e.txt", "--story", "s", "--date", "2024-01-01", "--hook-timeout", "1", "--corpus", corpus])
        #expect(r.status == 1)
        #expect(r.stderr.contains("hooks/stemma-pre-commit did not finish within 1 s"))
        #expect(try tip(corpus) == before)
        #expect(try stemma(["commit", "e.txt", "--story", "s", "--hook-timeout", "-1", "--corpus", corpus]).status == 1)
    }

    /// A background child holding the hook's stderr open: stemma goes on once the hook itself exits.
    @Test func aHooksBackgroundChildDoesNotBlock() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let done = folder.file("child-done")
        try installScript("#!/bin/sh\n(sleep 8; touch '\(done)') >/dev/null &\necho 'checked' >&2\nexit 0\n", in: corpus)
        folder.write("e.txt", "Hanoi (VNA) – A text.")
        let r = try stemma(["commit", "e.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: done), "stemma waited for the hook's background child")
    }
}
