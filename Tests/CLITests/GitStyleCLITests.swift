import Foundation
import Testing
import TestSupport

/// The command line behaves as git's does: global options before the command, `help` that fails on
/// unknown topics, help text that wraps, `--exit-code`, clear messages for names that are not editions,
/// a corpus that must be bare, and a demo whose printed commands can be pasted back (issue 14, items 13 and 17–20).
@Suite struct GitStyleCLITests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], env: [String: String] = [:], in dir: String? = nil) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: dir ?? folder.path, environment: env)
    }

    func mainTip(_ gitDir: String) throws -> String { try git(["--git-dir", gitDir, "rev-parse", "main"]).out }

    /// A minimal shell-word splitter: spaces separate words, single and double quotes quote (enough
    /// for what `Output.shellQuoted` writes and the guide's examples), `#` after a space starts a comment.
    func words(_ line: String) -> [String] {
        var out: [String] = [], word = "", quote: Character? = nil, inWord = false
        for c in line {
            if let q = quote { if c == q { quote = nil } else { word.append(c) }; continue }
            if c == "'" || c == "\"" { quote = c; inWord = true; continue }
            if c == "#" && !inWord { break }
            if c == " " { if inWord { out.append(word) }; word = ""; inWord = false; continue }
            word.append(c); inWord = true
        }
        if inWord { out.append(word) }
        return out
    }

    @Test func globalOptionsGoBeforeTheCommand() throws {
        let project = folder.file("project")
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        #expect(try stemma(["init"], in: project).status == 0)
        folder.write("project/wire.txt", "Hanoi (VNA) – A text. — VNA")
        // -C: as if started in project/, so .stemma is found there and wire.txt is read from there.
        let commit = try stemma(["-C", "project", "commit", "wire.txt", "--story", "s", "--date", "2024-01-02"])
        #expect(commit.status == 0, "\(commit.stderr)")
        #expect(try stemma(["-Cproject", "stories"]).out == "s\t1 edition\n")
        // --corpus before the command, both spellings, and after -C relative to the new folder.
        #expect(try stemma(["--corpus", "project/.stemma", "log", "s"]).out.contains("VNA  2024-01-02"))
        #expect(try stemma(["--corpus=project/.stemma", "stories"]).out == "s\t1 edition\n")
        #expect(try stemma(["-C", "project", "--corpus", ".stemma", "stories"]).out == "s\t1 edition\n")
        // A --corpus given before -C keeps naming the folder it named.
        #expect(try stemma(["--corpus", "project/.stemma", "-C", "project", "stories"]).out == "s\t1 edition\n")
        // `init` takes the global --corpus too.
        #expect(try stemma(["--corpus", "second", "init"]).status == 0)
        #expect(try stemma(["stories", "--corpus", "second"]).status == 0)
        // A folder that does not exist is one line and status 1.
        let bad = try stemma(["-C", "nowhere", "stories"])
        #expect(bad.status == 1 && bad.stderr.contains("cannot change to 'nowhere'"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
        #expect(try stemma(["--corpus"]).status == 1)
    }

    @Test func theDemoPrintsCommandsThatPasteBack() throws {
        let demo = try stemma(["demo", "demo corpus"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let lines = demo.out.components(separatedBy: "\n")
        let commands = lines.indices.filter { lines[$0].hasPrefix("$ stemma ") }
        #expect(commands.count == 4)
        for (n, start) in commands.enumerated() {
            let end = n + 1 < commands.count ? commands[n + 1] : lines.count
            let expected = lines[(start + 1)..<end].joined(separator: "\n").trimmingCharacters(in: .newlines)
            let args = Array(words(String(lines[start].dropFirst(2))).dropFirst())
            #expect(args.contains("demo corpus"), "the path is quoted as one word: \(lines[start])")
            let pasted = try stemma(args)
            #expect(pasted.status == 0, "\(lines[start]): \(pasted.stderr)")
            #expect(pasted.out.trimmingCharacters(in: .newlines) == expected, "\(lines[start])")
        }
    }

    /// The user guide's walk-through (sections 3 to 5), run line by line on the real sample pair.
    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func theGuidesExamplesRun() throws {
        for path in [SharedSamples.wirePath!, SharedSamples.newspaperPath!] {
            try FileManager.default.copyItem(atPath: path, toPath: folder.file((path as NSString).lastPathComponent))
        }
        folder.write("a.txt", "Hanoi (VNA) – The talks went well.")
        folder.write("b.txt", "HÀ NỘI — The talks went well. — VNS")
        #expect(try stemma(["init"]).status == 0)
        let guide = try String(contentsOfFile: packageRoot + "/docs/USER-GUIDE.md", encoding: .utf8)
        let walk = guide.components(separatedBy: "## 3.")[1].components(separatedBy: "## 6.")[0]
        var lines: [String] = [], inBlock = false, pending = ""
        for line in walk.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            guard inBlock else { continue }
            if line.hasSuffix("\\") { pending += line.dropLast() + " "; continue }
            lines.append(pending + line)
            pending = ""
        }
        let commands = lines.filter { $0.hasPrefix("stemma ") }
        #expect(commands.count >= 10)
        for line in commands {
            var args = Array(words(line).dropFirst())
            var output: String? = nil
            if let redirect = args.firstIndex(of: ">") { output = args[redirect + 1]; args.removeSubrange(redirect...) }
            let r = try stemma(args)
            #expect(r.status == 0, "\(line): \(r.stderr)")
            #expect(!r.stdout.isEmpty || output != nil, "\(line) printed nothing")
            if let output { folder.write(output, r.stdout) }
        }
    }

    @Test func theDemoRefusesACorpusWithOtherStories() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        folder.write("mine.txt", "My own edition. — VNS")
        #expect(try stemma(["commit", "mine.txt", "--story", "my-story", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
        let before = try mainTip(corpus)
        let r = try stemma(["demo", corpus])
        #expect(r.status == 1)
        #expect(r.stderr.contains("other stories (my-story)"))
        #expect(try mainTip(corpus) == before)
        // An empty folder is fine, and so is the demo's own corpus a second time.
        try FileManager.default.createDirectory(atPath: folder.file("empty"), withIntermediateDirectories: true)
        #expect(try stemma(["demo", "empty"]).status == 0)
        #expect(try stemma(["demo", "empty"]).status == 0)
    }

    @Test func aRepositoryWithAWorkingTreeIsNotACorpus() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        folder.write("a.txt", "First edition. — VNS")
        #expect(try stemma(["commit", "a.txt", "--story", "s", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
        let work = folder.file("work")
        #expect(try git(["clone", "-q", corpus, work]).status == 0)
        let before = try mainTip(work + "/.git")
        folder.write("b.txt", "Second edition. — VNS")
        for given in [work, work + "/.git"] {
            let r = try stemma(["commit", "b.txt", "--story", "s", "--date", "2024-01-02", "--corpus", given])
            #expect(r.status == 2, "\(given): \(r.stderr)")
            #expect(r.stderr.contains("working tree") && r.stderr.contains("bare"))
            #expect(try stemma(["log", "s", "--corpus", given]).status == 2)
        }
        #expect(try mainTip(work + "/.git") == before)
        #expect(try git(["status", "--porcelain"], directory: work).out.isEmpty)
    }

    @Test func diffExitCodeAndNamesThatAreNotEditions() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let a = folder.write("a.txt", "Hanoi (VNA) – The talks went well. Both sides agreed.")
        let accidental = folder.write("b.txt", "Hanoi (VNA) – The talks went well. Both sides Agreed.")
        let substantive = folder.write("c.txt", "Hanoi (VNA) – The talks went well. Both sides agreed. A deal follows.")
        #expect(try stemma(["diff", a, a, "--exit-code"]).status == 0)
        #expect(try stemma(["diff", a, accidental, "--exit-code"]).status == 0)
        let changed = try stemma(["diff", a, substantive, "--exit-code", "--format", "stats"])
        #expect(changed.status == 1 && changed.stderr.isEmpty && !changed.out.isEmpty)
        #expect(try stemma(["diff", a, substantive]).status == 0)

        #expect(try stemma(["commit", a, "--story", "s", "--date", "2024-01-01", "--corpus", corpus]).status == 0)
        let missing = try stemma(["diff", "s:VNA", "nosuchfile", "--corpus", corpus])
        #expect(missing.status == 1)
        #expect(missing.stderr == "stemma: 'nosuchfile': no such file or edition\n")

        let tip = try mainTip(corpus).trimmingCharacters(in: .whitespacesAndNewlines)
        let edition = try stemma(["show", "s:VNA", "--json", "--corpus", corpus]).out
        let id = try #require((try JSONSerialization.jsonObject(with: Data(edition.utf8)) as? [String: Any])?["edition"] as? String)
        for given in [tip, String(tip.prefix(10))] {
            let shown = try stemma(["show", given, "--corpus", corpus])
            #expect(shown.status == 1)
            #expect(shown.stderr.contains("is a commit, not an edition") && shown.stderr.contains("recorded edition \(id) (s:VNA)"))
        }
        let diffed = try stemma(["diff", String(tip.prefix(12)), "s:VNA", "--corpus", corpus])
        #expect(diffed.status == 1 && diffed.stderr.contains("is a commit, not an edition: it recorded edition \(id)"))
    }

    @Test func helpFailsOnUnknownTopicsAndWraps() throws {
        #expect(try stemma(["help", "nosuch"]).status == 1)
        #expect(try stemma(["help", "diff", "nosuch"]).status == 1)
        #expect(try stemma(["help", "diff"]).status == 0)
        let root = try stemma(["help"], env: ["COLUMNS": "2000"])
        let commands = root.out.components(separatedBy: "SUBCOMMANDS:").last!.split(separator: "\n")
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil }
            .filter { $0 != "See" }
        #expect(commands.count >= 10)
        for command in [""] + commands {
            // With room for any paragraph on one line, a paragraph that spans two lines holds a hard break.
            let help = try stemma(command.isEmpty ? ["help"] : ["help", command], env: ["COLUMNS": "2000"])
            let text = help.out.components(separatedBy: "USAGE:").first!
            let lines = text.components(separatedBy: "\n")
            for i in lines.indices.dropFirst() where !lines[i].isEmpty && !lines[i - 1].isEmpty {
                Issue.record("'stemma help \(command)' breaks a paragraph by hand: '\(lines[i - 1])' / '\(lines[i])'")
            }
        }
    }
}
