import Foundation
import Testing
import TestSupport

/// `find --limit` says when it cut the list short, `find --title` ignores case and diacritics, and
/// `--color` decides colour as git does (issue 14, items 14 and 16).
@Suite struct FindAndColorTests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: folder.path, environment: env)
    }

    /// Runs stemma with a terminal as its standard output (through script(1)), as a user at a terminal would.
    func stemmaAtATerminal(_ args: [String], env: [String: String]) throws -> String {
        let line = ([CLITests.binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let r = try run("/usr/bin/script", ["-qec", line, "/dev/null"], directory: folder.path, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return r.out
    }

    @Test func findTitlesIgnoreCaseAndDiacriticsAndTheLimitIsReported() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let titles = ["Việt Nam, Philippines discuss rice trade", "VIỆT NAM EXPORTS MORE RICE", "Laos opens a dam"]
        for (i, title) in titles.enumerated() {
            let file = folder.write("e\(i).txt", "Edition number \(i). — VNS")
            let r = try stemma(["commit", file, "--story", "s\(i)", "--date", "2024-01-0\(i + 1)", "--title", title, "--corpus", corpus])
            #expect(r.status == 0, "\(r.stderr)")
        }
        func found(_ args: [String]) throws -> (titles: [String], stderr: String) {
            let r = try stemma(["find", "--json", "--corpus", corpus] + args)
            #expect(r.status == 0, "\(r.stderr)")
            let list = try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [[String: Any]] ?? []
            return (list.compactMap { $0["title"] as? String }, r.stderr)
        }
        #expect(try found(["--title", "viet nam"]).titles == [titles[1], titles[0]])
        #expect(try found(["--title", "Việt"]).titles == [titles[1], titles[0]])
        #expect(try found(["--title", "RICE"]).titles == [titles[1], titles[0]])
        // Joiners are folded as the engine folds them: a compound written apart, hyphenated or together is one.
        #expect(try found(["--title", "viet-nam"]).titles == [titles[1], titles[0]])
        #expect(try found(["--title", "vietnam exports"]).titles == [titles[1]])
        #expect(try found(["--title", "rice-trade"]).titles == [titles[0]])
        #expect(try found(["--title", "dam"]).titles == [titles[2]])

        let cut = try found(["--limit", "1"])
        #expect(cut.titles == [titles[2]])
        #expect(cut.stderr.contains("stopped at --limit 1"))
        let titled = try found(["--limit", "1", "--title", "viet nam"])
        #expect(titled.titles == [titles[1]] && titled.stderr.contains("stopped at --limit 1"))
        // Exactly as many as the limit: nothing was left out, so nothing is said.
        let exact = try found(["--limit", "2", "--title", "viet nam"])
        #expect(exact.titles.count == 2 && exact.stderr.isEmpty)
        let all = try found(["--limit", "0"])
        #expect(all.titles.count == 3 && all.stderr.isEmpty)
        #expect(try stemma(["find", "--limit", "-1", "--corpus", corpus]).status == 1)
    }

    @Test func colorIsAutoAlwaysOrNever() throws {
        let a = folder.write("a.txt", "Hanoi (VNA) – The talks went well. Both sides agreed.")
        let b = folder.write("b.txt", "Hanoi (VNA) – The talks went well. Both sides agreed. A deal follows.")
        let escape = "\u{1B}["
        #expect(try stemma(["diff", a, b, "--color=always"]).out.contains(escape))
        #expect(try stemma(["diff", a, b, "--color", "always"], env: ["NO_COLOR": "1"]).out.contains(escape))
        #expect(!(try stemma(["diff", a, b, "--color=never"]).out.contains(escape)))
        #expect(!(try stemma(["diff", a, b]).out.contains(escape)), "auto: a pipe is not a terminal")
        let bad = try stemma(["diff", a, b, "--color=sometimes"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("stemma: "))
        // At a terminal, auto colours unless NO_COLOR is set or TERM is dumb.
        #expect(try stemmaAtATerminal(["diff", a, b], env: ["TERM": "xterm-256color"]).contains(escape))
        #expect(!(try stemmaAtATerminal(["diff", a, b], env: ["TERM": "dumb"]).contains(escape)))
        #expect(!(try stemmaAtATerminal(["diff", a, b], env: ["TERM": "xterm-256color", "NO_COLOR": "1"]).contains(escape)))
        #expect(!(try stemmaAtATerminal(["diff", a, b, "--color=never"], env: ["TERM": "xterm-256color"]).contains(escape)))
        // The demo's diff takes the same option.
        #expect(try stemma(["demo", "demo", "--color=always"]).out.contains(escape))
        #expect(!(try stemma(["demo", "demo"]).out.contains(escape)))
    }
}
