import Foundation
import Testing
import TestSupport

/// End-to-end: the built `stemma` binary, run as a user would.
@Suite struct CLITests {
    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stemma").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        for candidate in [packageRoot + "/.build/debug/stemma", packageRoot + "/.build/release/stemma"]
            where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return beside
    }()

    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], input: [UInt8]? = nil, env: [String: String] = [:], in dir: String? = nil) throws -> ProcessResult {
        try run(Self.binary, args, directory: dir ?? folder.path, environment: env, input: input)
    }

    func initCorpus() throws { #expect(try stemma(["init", corpus]).status == 0) }

    func state() throws -> String {
        try git(["--git-dir", corpus, "for-each-ref", "--format=%(objectname) %(refname)"]).out
            + git(["--git-dir", corpus, "count-objects"]).out
    }

    @Test func demoShowsAStoryWithTwoEditions() throws {
        let r = try stemma(["demo", folder.file("demo")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out.contains("rice-trade-talks\t2 editions"))
        #expect(r.out.contains("VNA  2024-03-12") && r.out.contains("VNS  2024-03-12"))
        #expect(r.out.contains("Derived-from:"))
        #expect(r.out.contains("— VNS+}⟨byline⟩"))
        // Running it again is harmless.
        #expect(try stemma(["demo", folder.file("demo")]).status == 0)
        #expect(try stemma(["stories", "--corpus", folder.file("demo")]).out == "rice-trade-talks\t2 editions\n")
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func samplesThroughTheCommandLine() throws {
        try initCorpus()
        let wire = try stemma(["commit", SharedSamples.wirePath!, "--story", "wei-fenghe", "--corpus", corpus, "--json"])
        #expect(wire.status == 0, "\(wire.stderr)")
        #expect(wire.stderr.contains("inferred source VNA") && wire.stderr.contains("inferred date 2021-04-27"))
        let wireJSON = try JSONSerialization.jsonObject(with: Data(wire.stdout)) as? [String: Any]
        #expect(wireJSON?["created"] as? Bool == true && wireJSON?["source"] as? String == "VNA")
        let paper = try stemma(["commit", SharedSamples.newspaperPath!, "--story", "wei-fenghe", "--date", "2021-04-27",
                                "--derived-from", "wei-fenghe:VNA", "--corpus", corpus, "--json"])
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stderr.contains("inferred source VNS from the closing byline"))
        let log = try stemma(["log", "wei-fenghe", "--json", "--corpus", corpus])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout)) as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries[0]["derived_from"] as? String == entries[1]["edition"] as? String)
        for key in ["edition", "commit", "story", "source", "date", "title", "url", "derived_from", "bytes", "committed_at"] {
            #expect(entries[0].keys.contains(key), "missing \(key)")
        }
        let shown = try stemma(["show", "wei-fenghe:VNS", "--corpus", corpus])
        #expect(shown.stdout == SharedSamples.bytes(SharedSamples.newspaperPath))
        let again = try stemma(["commit", SharedSamples.wirePath!, "--story", "wei-fenghe", "--corpus", corpus, "--json"])
        #expect(again.status == 0 && again.out.contains("\"created\": false"))
        let diff = try stemma(["diff", "wei-fenghe:VNA", "wei-fenghe:VNS", "--format", "json", "--corpus", corpus])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout)) as? [String: Any])
        #expect((object["a"] as? [String: Any])?["id"] as? String == entries[1]["edition"] as? String)
    }

    @Test func showReturnsExactBytesAndFindsTheCorpusUpwards() throws {
        #expect(try stemma(["init"]).status == 0)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Line one\r\nLine two — VNS".utf8)
        let file = folder.write("e.txt", bytes)
        let sub = folder.file("a/b")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let r = try stemma(["commit", file, "--story", "bom-crlf", "--date", "2020-01-02"], in: sub)
        #expect(r.status == 0, "\(r.stderr)")
        let id = String(r.out.split(separator: "\n")[0].split(separator: " ")[1])
        #expect(id == (try git(["hash-object", file]).out.trimmingCharacters(in: .newlines)))
        #expect(try stemma(["show", String(id.prefix(8))], in: sub).stdout == bytes)
        let meta = try stemma(["show", "bom-crlf:VNS", "--meta"], in: sub)
        #expect(meta.out.contains("edition \(id)  VNS  2020-01-02"))
        let fromStdin = try stemma(["commit", "-", "--story", "stdin-story", "--source", "VNA", "--date", "2020-01-03"], input: Array("From stdin.".utf8), in: sub)
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(try stemma(["stories", "--json"], env: ["STEMMA_CORPUS": folder.file(".stemma")], in: "/").out.contains("stdin-story"))
    }

    @Test func badInputGivesOneLineAndChangesNothing() throws {
        try initCorpus()
        let good = folder.write("good.txt", "A good text. — VNS")
        #expect(try stemma(["commit", good, "--story", "s", "--date", "2021-01-01", "--corpus", corpus]).status == 0)
        let before = try state()
        let bad: [(String, [String], Int32)] = [
            ("not utf-8", ["commit", folder.write("bad.txt", [0x61, 0xC3, 0x28]), "--story", "s", "--date", "2021-01-01"], 1),
            ("nul", ["commit", folder.write("nul.txt", [0x61, 0, 0x62]), "--story", "s", "--source", "VNA", "--date", "2021-01-01"], 1),
            ("empty", ["commit", folder.write("empty.txt", ""), "--story", "s", "--source", "VNA", "--date", "2021-01-01"], 1),
            ("blank", ["commit", folder.write("blank.txt", "  \n\n "), "--story", "s", "--source", "VNA", "--date", "2021-01-01"], 1),
            ("too big", ["commit", good, "--story", "s", "--date", "2021-01-01", "--max-bytes", "5"], 1),
            ("bad date", ["commit", good, "--story", "s", "--date", "2021-13-40"], 1),
            ("slash date", ["commit", good, "--story", "s", "--date", "27/04/2021"], 1),
            ("bad source", ["commit", good, "--story", "s", "--date", "2021-01-01", "--source", "v n a"], 1),
            ("bad story", ["commit", good, "--story", "../x", "--date", "2021-01-01"], 1),
            ("title newline", ["commit", good, "--story", "s", "--date", "2021-01-01", "--title", "a\nStory: x"], 1),
            ("url control", ["commit", good, "--story", "s", "--date", "2021-01-01", "--url", "http://x/\u{1B}"], 1),
            ("unknown parent", ["commit", good, "--story", "s", "--date", "2021-01-01", "--derived-from", "s:AFP"], 1),
            ("missing file", ["commit", folder.file("nope.txt"), "--story", "s", "--date", "2021-01-01"], 1),
            ("no date", ["commit", folder.write("undated.txt", "Not recorded yet. — VNS"), "--story", "s"], 1),
            ("unknown story", ["log", "nothing-here"], 1),
            ("bad reference", ["show", "zz"], 1),
            ("unknown flag", ["log", "s", "--bogus"], 1),
        ]
        for (name, args, code) in bad {
            let r = try stemma(args + ["--corpus", corpus])
            #expect(r.status == code, "\(name): exit \(r.status), \(r.stderr)")
            #expect(r.stderr.hasPrefix("stemma: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(name): \(r.stderr)")
            #expect(try state() == before, "\(name) changed the corpus")
        }
        let missing = try stemma(["log", "s", "--corpus", folder.file("missing")])
        #expect(missing.status == 2 && missing.stderr.filter { $0 == "\n" }.count == 1)
        try git(["init", "-q", "--bare", folder.file("plain.git")])
        #expect(try stemma(["stories", "--corpus", folder.file("plain.git")]).status == 2)
        _ = try run("/bin/chmod", ["-R", "a-w", corpus])
        let readOnly = try stemma(["commit", folder.write("new.txt", "New. — VNS"), "--story", "s", "--date", "2021-01-02", "--corpus", corpus])
        _ = try run("/bin/chmod", ["-R", "u+w", corpus])
        #expect(readOnly.status == 2 && readOnly.stderr.contains("read-only"))
        #expect(try state() == before)
        #expect(try git(["--git-dir", corpus, "fsck", "--strict"]).status == 0)
    }

    @Test func concurrentWritersLoseNothing() throws {
        try initCorpus()
        let writers = 4, each = 8
        let group = DispatchGroup()
        let failures = Failures()
        let files = (0..<writers).map { w in (0..<each).map { i in folder.write("w\(w)-\(i).txt", "Writer \(w) edition \(i). — VNS") } }
        let binary = Self.binary, corpus = self.corpus
        for w in 0..<writers {
            DispatchQueue.global().async(group: group) {
                for (i, file) in files[w].enumerated() {
                    let r = try? run(binary, ["commit", file, "--story", "race-\(i % 3)", "--date", "2021-01-01", "--corpus", corpus])
                    if r?.status != 0 { failures.add(r?.stderr ?? "did not run") }
                }
            }
        }
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        let stories = try stemma(["stories", "--json", "--corpus", corpus])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(stories.stdout)) as? [[String: Any]])
        #expect(list.reduce(0) { $0 + ($1["editions"] as? Int ?? 0) } == writers * each)
        #expect(try git(["--git-dir", corpus, "rev-list", "--count", "main"]).out.trimmingCharacters(in: .newlines) == "\(writers * each + 1)")
    }

    @Test func diffWorksOnPlainFilesWithoutACorpus() throws {
        let a = folder.write("a.txt", "The two sides discussed cooperation.\n\nThey met in Hanoi.\n")
        let b = folder.write("b.txt", "The two sides discussed co-operation.\n\nThey met in Hà Nội on Monday.\n")
        let json = try stemma(["diff", a, b, "--json"], in: "/")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.contains { $0["class"] as? String == "hyphenation" && $0["b_text"] as? String == "co-operation" })
        #expect(changes.contains { $0["kind"] as? String == "substantive" && $0["b_text"] as? String == " on Monday" })
        let plain = try stemma(["diff", a, b], in: "/")
        #expect(!plain.out.contains("\u{1B}["), "colour on a pipe")
        #expect(try stemma(["diff", a, b, "--substantive-only", "--format", "hunks"], in: "/").out.contains("substantive/insert"))
        #expect(try stemma(["diff", a, b, "--format", "html"], in: "/").out.hasPrefix("<!DOCTYPE html>"))
        #expect(try stemma(["diff", a, b, "--format", "stats"], in: "/").out.contains("accidental\thyphenation\t1"))
        let missing = try stemma(["diff", a, folder.file("nope")], in: "/")
        #expect(missing.status == 1 && missing.stderr.hasPrefix("stemma: "))
        // Over the engine's limit: refused before reading (a sparse file, so nothing is written).
        let huge = folder.file("huge.txt")
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: UInt64(5) << 30)
        try handle.close()
        let tooBig = try stemma(["diff", huge, a], in: "/")
        #expect(tooBig.status == 1 && tooBig.stderr.contains("larger than the 1 GiB"), "\(tooBig.stderr)")
    }

    @Test func everyCommandHasHelp() throws {
        for command in ["init", "commit", "log", "show", "stories", "find", "diff", "demo", "import", "export"] {
            let r = try stemma([command, "--help"])
            #expect(r.status == 0 && r.out.contains("USAGE: stemma \(command)"), "\(command): \(r.out.prefix(200))")
        }
        #expect(try stemma(["--help"]).out.contains("SUBCOMMANDS"))
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

extension CLITests {
    @Test func findFiltersByMetadata() throws {
        try initCorpus()
        let wire = folder.write("w.txt", "Hanoi (VNA) \u{2013} Rice exports rose.\n")
        let paper = folder.write("p.txt", "Rice exports rose sharply. — VNS")
        let other = folder.write("o.txt", "Hanoi (VNA) \u{2013} Coffee prices fell.\n")
        #expect(try stemma(["commit", wire, "--story", "rice", "--date", "2024-01-02", "--title", "Rice exports", "--corpus", corpus]).status == 0)
        #expect(try stemma(["commit", paper, "--story", "rice", "--date", "2024-01-03", "--derived-from", "rice:VNA", "--corpus", corpus]).status == 0)
        #expect(try stemma(["commit", other, "--story", "coffee", "--date", "2024-02-01", "--title", "Coffee", "--corpus", corpus]).status == 0)
        let bySource = try stemma(["find", "--source", "VNA", "--corpus", corpus])
        #expect(bySource.out.split(separator: "\n").count == 2)
        let derived = try stemma(["find", "--derived-from", "rice:VNA", "--json", "--corpus", corpus])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(derived.stdout)) as? [[String: Any]])
        #expect(list.count == 1 && list[0]["source"] as? String == "VNS")
        #expect(try stemma(["find", "--from", "2024-01-03", "--to", "2024-01-31", "--corpus", corpus]).out.contains("rice:VNS"))
        #expect(try stemma(["find", "--title", "COFFEE", "--corpus", corpus]).out.contains("coffee:VNA"))
        #expect(try stemma(["find", "--title", "100%", "--corpus", corpus]).out.isEmpty)
        let bad = try stemma(["find", "--from", "2024-13-01", "--corpus", corpus])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("stemma: "))
    }
}

extension CLITests {
    @Test func exportAndImportRefuseBadPathsWithOneLine() throws {
        try initCorpus()
        let export = try stemma(["export", "-o", "/nonexistent-dir/x.jsonl", "--corpus", corpus])
        #expect(export.status == 1 && export.stderr == "stemma: cannot create /nonexistent-dir/x.jsonl\n")
        let missing = try stemma(["import", folder.file("none.jsonl"), "--corpus", corpus])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("stemma: ") && missing.stderr.filter { $0 == "\n" }.count == 1)
        let manifest = folder.write("m.jsonl", "{\"text\": \"Good. — VNS\", \"story\": \"s\", \"date\": \"2022-01-01\"}\nnot json\n")
        let refused = try stemma(["import", manifest, "--corpus", corpus])
        #expect(refused.status == 1 && refused.stderr.contains("m.jsonl:2: not a JSON object"))
        // What became of the import is said on stderr too: stdout stays for results.
        #expect(refused.out.isEmpty && refused.stderr.contains("stemma: nothing imported: 1 bad item(s)"), "\(refused.out)")
        #expect(try stemma(["stories", "--corpus", corpus]).out.isEmpty)
        let partial = try stemma(["import", manifest, "--keep-going", "--corpus", corpus, "--json"])
        #expect(partial.status == 1 && partial.out.contains("\"created\": 1"))
    }
}
