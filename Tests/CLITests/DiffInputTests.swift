import Foundation
import Testing
import TestSupport

/// `stemma diff` on input that is not text, or that would drive the terminal.
@Suite struct DiffInputTests {
    let folder = TemporaryFolder()

    @Test func nonUTF8InputIsRefusedWithTheByteOffset() throws {
        let good = folder.write("good.txt", "The talks began.\n")
        let bad = folder.write("bad.txt", Array("The talks".utf8) + [0xC3, 0x28] + Array(" began.\n".utf8))
        let r = try run(CLITests.binary, ["diff", good, bad], directory: folder.path)
        #expect(r.status == 1)
        #expect(r.stderr == "stemma: \(bad): not valid UTF-8 at byte offset 9\n", "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// One rule for what is text, worded alike by every command that reads a file: commit, match
    /// and diff name a NUL byte the same way; an empty file (a device too) is empty to commit and
    /// match, and compared by diff.
    @Test func everyCommandSaysAlikeWhatIsNotText() throws {
        let corpus = folder.file("corpus")
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        let binary = folder.write("bin.dat", Array("Hanoi (VNA) – ".utf8) + [0, 1, 2])
        let nul = "contains a NUL byte at offset 16; editions are text"
        for args in [["commit", binary, "--story", "s", "--date", "2024-01-01"], ["match", binary], ["diff", binary, binary]] {
            let r = try run(CLITests.binary, args + ["--corpus", corpus], directory: folder.path)
            #expect(r.status == 1 && r.stderr == "stemma: \(binary): \(nul)\n", "\(args): \(r.stderr)")
        }
        for args in [["commit", "/dev/null", "--story", "s", "--source", "VNA", "--date", "2024-01-01"], ["match", "/dev/null"]] {
            let r = try run(CLITests.binary, args + ["--corpus", corpus], directory: folder.path)
            #expect(r.status == 1 && r.stderr == "stemma: /dev/null: is empty or only white space\n", "\(args): \(r.stderr)")
        }
        // A note quoting a file name with a line feed in it stays on one line.
        let odd = folder.write("odd\nname.txt", "Nothing like any edition here.\n")
        let unmatched = try run(CLITests.binary, ["match", odd, "--corpus", corpus], directory: folder.path)
        #expect(unmatched.status == 0 && unmatched.stderr.split(separator: "\n").count == 1, "\(unmatched.stderr)")
        let text = folder.write("a.txt", "The talks began.\n")
        let added = try run(CLITests.binary, ["diff", "/dev/null", text, "--format", "stats", "--corpus", corpus], directory: folder.path)
        #expect(added.status == 0, "\(added.stderr)")
    }

    @Test func controlCharactersAreEscapedOnTheTerminalView() throws {
        let a = folder.write("a.txt", "The talks began.\u{1B}[2J They ended.\n")
        let b = folder.write("b.txt", "The talks began.\u{1B}[2J They ended on Friday.\n")
        let r = try run(CLITests.binary, ["diff", a, b, "--color=always"], directory: folder.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out.contains("\\x1B[2J") && !r.out.contains("\u{1B}[2J"))
    }
}

/// Messages a newcomer met: one line each, in the user's own terms.
@Suite struct NewcomerMessageTests {
    let folder = TemporaryFolder()

    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }

    @Test func messagesAreOneLineAndNameWhatTheUserTyped() throws {
        folder.write("wire.txt", "date 2024-05-02 Hanoi (VNA) – Talks began.\n")
        #expect(try stemma(["init"]).status == 0)
        #expect(try stemma(["commit", "wire.txt", "--story", "s"]).status == 0)
        // A lone edition with no parent: the parent's own message, not a rewritten reference.
        let noParent = try stemma(["diff", "s:VNA"])
        #expect(noParent.status == 1 && noParent.stderr.contains("has no parent") && !noParent.stderr.contains("^'"), "\(noParent.stderr)")
        // A file alone is not an edition with a parent: said so, with what to do.
        let fileAlone = try stemma(["diff", "wire.txt"])
        #expect(fileAlone.status == 1 && fileAlone.stderr.hasPrefix("stemma: 'wire.txt' is a file: alone, diff compares an edition"), "\(fileAlone.stderr)")
        // A refused commit is one line, inference notes included.
        let cycle = try stemma(["commit", "wire.txt", "--story", "s", "--derived-from", "s:VNA"])
        #expect(cycle.status == 1 && cycle.stderr.split(separator: "\n").count == 1, "\(cycle.stderr)")
        // A bad format lists the good ones; a mistyped command names the nearest.
        let format = try stemma(["diff", "a", "b", "--format", "xml"])
        #expect(format.status == 1 && format.stderr.contains("terminal, unified, hunks, json, html, stats"), "\(format.stderr)")
        let typo = try stemma(["comit", "wire.txt"])
        #expect(typo.status == 1 && typo.stderr == "stemma: 'comit' is not a stemma command; did you mean 'commit'? (see 'stemma help')\n", "\(typo.stderr)")
        // So is a mistyped subcommand, its arguments taken for the default subcommand's otherwise.
        let subTypo = try stemma(["remote", "ad", "origin", "/nowhere"])
        #expect(subTypo.status == 1 && subTypo.stderr == "stemma: 'ad' is not a 'stemma remote' command; did you mean 'add'? (see 'stemma help remote')\n",
                "\(subTypo.stderr)")
        let far = try stemma(["hooks", "zzzzzz"])
        #expect(far.status == 1 && far.stderr == "stemma: 'zzzzzz' is not a 'stemma hooks' command (see 'stemma help hooks')\n", "\(far.stderr)")
        // A known subcommand given a word too many keeps the parser's own message.
        let extra = try stemma(["remote", "add", "origin", "/nowhere", "extra"])
        #expect(extra.status == 1 && extra.stderr.contains("Unexpected argument 'extra'"), "\(extra.stderr)")
    }
}

/// Found by fuzzing (Tests/Fuzz/findings/manifest-path-with-line-feed): a manifest's path with a
/// line feed in it was echoed into the error, which then took two lines.
@Suite struct ManifestMessageTests {
    @Test func aBadPathIsShownOnOneLine() throws {
        let folder = TemporaryFolder()
        folder.write("m.jsonl", #"{"path": "a\nb\u001b[2J.txt", "story": "s", "source": "VNA", "date": "2024-01-01"}"# + "\n")
        #expect(try run(CLITests.binary, ["init"], directory: folder.path).status == 0)
        let r = try run(CLITests.binary, ["import", "m.jsonl"], directory: folder.path)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("stemma: ") }, "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.contains("\u{1B}"))
    }
}

/// An id names bytes; when they are recorded more than once, the record used is said.
@Suite struct SharedBytesTests {
    @Test func anIdRecordedTwiceSaysWhichRecordItUses() throws {
        let folder = TemporaryFolder()
        folder.write("a.txt", "date 2024-05-02 Hanoi (VNA) – Same bytes.\n")
        func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }
        #expect(try stemma(["init"]).status == 0)
        let first = try stemma(["commit", "a.txt", "--story", "one", "--json"])
        #expect(try stemma(["commit", "a.txt", "--story", "two"]).status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout)) as? [String: Any])
        let id = try #require(object["edition"] as? String)
        let shown = try stemma(["show", String(id.prefix(10)), "--meta"])
        #expect(shown.status == 0)
        #expect(shown.stderr.contains("recorded 2 times") && (shown.stderr.contains("one:VNA") || shown.stderr.contains("two:VNA")), "\(shown.stderr)")
        #expect(try stemma(["show", "one:VNA", "--meta"]).stderr.isEmpty)
    }
}
