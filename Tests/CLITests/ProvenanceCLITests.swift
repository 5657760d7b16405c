import Foundation
import Testing
import TestSupport

/// End-to-end: log (whole corpus, -n, --oneline, --graph, pager), diff REF, show REF^, blame, story.
@Suite struct ProvenanceCLITests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try run(CLITests.binary, args + ["--corpus", corpus], directory: folder.path, environment: env)
    }

    func json(_ r: ProcessResult) throws -> Any { try JSONSerialization.jsonObject(with: Data(r.stdout)) }

    /// The two samples as VNA and VNS of `wei-fenghe`, plus a small second story.
    func sampleCorpus() throws {
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        #expect(try stemma(["commit", SharedSamples.wirePath!, "--story", "wei-fenghe"]).status == 0)
        #expect(try stemma(["commit", SharedSamples.newspaperPath!, "--story", "wei-fenghe", "--date", "2021-04-27",
                            "--derived-from", "wei-fenghe:VNA"]).status == 0)
        folder.write("other.txt", "A different story from a later day. It has two sentences.\n")
        #expect(try stemma(["commit", folder.file("other.txt"), "--story", "other", "--source", "VNA", "--date", "2021-05-01"]).status == 0)
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func logWithoutAStoryListsTheCorpusNewestFirst() throws {
        try sampleCorpus()
        let all = try stemma(["log", "--oneline"])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.map { $0.split(separator: " ")[1] } == ["VNA", "VNS", "VNA"])
        #expect(lines[0].contains("2021-05-01") && lines[0].hasSuffix("— original"))
        #expect(lines[1].contains("— vs VNA 2021-04-27: +"))
        let two = try stemma(["log", "-n", "2", "--oneline"])
        #expect(two.out.split(separator: "\n") == Array(lines.prefix(2)))
        #expect(try stemma(["log", "-n", "0"]).out == "")
        let entries = try #require(try json(stemma(["log", "--json", "-n", "1"])) as? [[String: Any]])
        #expect(entries.count == 1 && entries[0]["story"] as? String == "other" && entries[0]["summary"] as? String == "original")
        let blocks = try stemma(["log", "wei-fenghe"])
        #expect(blocks.out.contains("Changes:      vs VNA 2021-04-27: +") && blocks.out.contains("Changes:      original"))
        // git's counts: -N is -n N, and a negative count is no limit.
        #expect(try stemma(["log", "-2", "--oneline"]).out == two.out)
        #expect(try stemma(["log", "-n2", "--oneline"]).out == two.out)
        #expect(try stemma(["log", "-n", "-1", "--oneline"]).out == all.out)
        #expect(try stemma(["log", "--max-count", "-1", "--oneline"]).out == all.out)
        let bad = try stemma(["log", "-n", "x"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("stemma: "))
        // Piped output never goes through the pager.
        let piped = try stemma(["log", "--oneline"], env: ["PAGER": "sed -e s/^/paged:/"])
        #expect(piped.out == all.out)
    }

    @Test(.enabled(if: SharedSamples.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs ../shared/samples and script(1)"))
    func longOutputToATerminalGoesThroughThePager() throws {
        try sampleCorpus()
        // script(1) gives the command a terminal; LINES stands in for its height.
        func onTerminal(_ args: String, lines: Int) throws -> String {
            let command = "\(CLITests.binary) \(args) --corpus \(corpus)"
            return try run("/usr/bin/script", ["-qec", command, "/dev/null"], directory: folder.path,
                           environment: ["PAGER": "sed -e s/^/paged:/", "LINES": "\(lines)", "COLUMNS": "200"]).out
        }
        let long = try onTerminal("log", lines: 5)
        #expect(long.contains("paged:edition "), "\(long)")
        let short = try onTerminal("log --oneline", lines: 50)
        #expect(!short.contains("paged:") && short.contains("— original"), "\(short)")
        // A long diff for a terminal too, as git's; piped, never.
        let diff = try onTerminal("diff wei-fenghe:VNA wei-fenghe:VNS", lines: 5)
        #expect(diff.hasPrefix("paged:") && diff.contains("a: wei-fenghe:VNA"), "\(diff)")
        #expect(!(try stemma(["diff", "wei-fenghe:VNA", "wei-fenghe:VNS"], env: ["PAGER": "sed -e s/^/paged:/"])).out.contains("paged:"))
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func diffOfOneEditionIsAgainstItsParentAndShowFollowsCarets() throws {
        try sampleCorpus()
        let alone = try stemma(["diff", "wei-fenghe:VNS", "--json"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout == (try stemma(["diff", "wei-fenghe:VNS^", "wei-fenghe:VNS", "--json"])).stdout)
        #expect(alone.stdout == (try stemma(["diff", "wei-fenghe:VNA", "wei-fenghe:VNS", "--json"])).stdout)
        #expect(try stemma(["show", "wei-fenghe:VNS^"]).stdout == SharedSamples.bytes(SharedSamples.wirePath))
        let root = try stemma(["diff", "wei-fenghe:VNA"])
        #expect(root.status == 1 && root.stderr.contains("has no parent") && root.stdout.isEmpty)
        let caret = try stemma(["show", "wei-fenghe:VNS^^"])
        #expect(caret.status == 1 && caret.stderr.contains("1 generation up") && caret.stderr.contains("has no parent"))
        let noCorpus = try run(CLITests.binary, ["diff", "wei-fenghe:VNS"], directory: folder.path)
        #expect(noCorpus.status == 2 && noCorpus.stderr.contains("no corpus found"))
    }

    /// The summary `log` prints, rebuilt from what `diff --json` reports for the same pair.
    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func summariesSayWhatDiffReports() throws {
        try sampleCorpus()
        let diff = try #require(try json(stemma(["diff", "wei-fenghe:VNS", "--json"])) as? [String: Any])
        let summary = try #require(diff["summary"] as? [String: Any])
        let sentences = try #require(summary["sentences"] as? [String: Int])
        let classes = try #require(summary["classes"] as? [String: Int])
        let alignment = try #require(diff["alignment"] as? [[String: Any]])
        let reworded = alignment.filter { $0["relation"] as? String == "reworded" }.map { ($0["b"] as? [Int] ?? []).count }.reduce(0, +)
        let accidentalNames = ["diacritics", "spelling", "hyphenation", "case", "punctuation", "typography", "whitespace", "unicode"]
        let accidentals = accidentalNames.compactMap { name in classes[name].map { (name, $0) } }
            .enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map(\.element)
        let boilerplate = ["date-header", "caption", "byline", "dateline"].filter { classes[$0] != nil }
        var expected = "vs VNA 2021-04-27: +\(sentences["added"]!) sentences −\(sentences["deleted"]!), \(reworded) reworded, "
        expected += "\(accidentals.map(\.1).reduce(0, +)) accidentals (" + accidentals.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
        expected += ", boilerplate: " + boilerplate.joined(separator: ", ")
        let log = try #require(try json(stemma(["log", "wei-fenghe", "--json"])) as? [[String: Any]])
        #expect(log[0]["summary"] as? String == expected)
        // The same line again from the cache, and after the cache is deleted.
        #expect((try json(stemma(["log", "wei-fenghe", "--json"])) as? [[String: Any]])?[0]["summary"] as? String == expected)
        try FileManager.default.removeItem(atPath: corpus + "/stemma-summaries.sqlite")
        #expect(try stemma(["log", "wei-fenghe", "--oneline"]).out.contains(expected))
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func graphDrawsTheDerivation() throws {
        try sampleCorpus()
        folder.write("ttx.txt", "The two defence ministries will step up co-operation. A later edition adds this.\n")
        #expect(try stemma(["commit", folder.file("ttx.txt"), "--story", "wei-fenghe", "--source", "TTX", "--date", "2021-04-28",
                            "--derived-from", "wei-fenghe:VNA"]).status == 0)
        let g = try stemma(["log", "wei-fenghe", "--graph"])
        #expect(g.status == 0, "\(g.stderr)")
        let rows = g.out.split(separator: "\n").map { String($0) }
        #expect(rows.count == 4)
        #expect(rows[0].hasPrefix("* ") && rows[0].contains(" TTX 2021-04-28 — vs VNA 2021-04-27: "))
        #expect(rows[1].hasPrefix("| * ") && rows[1].contains(" VNS 2021-04-27 — vs VNA 2021-04-27: "))
        #expect(rows[2] == "|/")
        #expect(rows[3].hasPrefix("* ") && rows[3].hasSuffix(" VNA 2021-04-27 — original"))
        let object = try #require(try json(stemma(["log", "wei-fenghe", "--graph", "--json"])) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        let edges = try #require(object["edges"] as? [[String: String]])
        #expect(nodes.map { $0["source"] as? String } == ["TTX", "VNS", "VNA"])
        #expect(Set(nodes.flatMap { $0.keys }) == ["edition", "source", "date", "title", "derived_from", "summary"])
        let wire = nodes[2]["edition"] as? String
        #expect(edges.count == 2 && edges.allSatisfy { $0["parent"] == wire })
        let noStory = try stemma(["log", "--graph"])
        #expect(noStory.status == 1 && noStory.stderr.contains("--graph draws one story"))
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func blameAndStoryOnTheSamples() throws {
        try sampleCorpus()
        let b = try stemma(["blame", "wei-fenghe:VNS", "--json"])
        #expect(b.status == 0, "\(b.stderr)")
        let lines = try #require(try json(b) as? [[String: Any]])
        #expect(lines.allSatisfy { Set($0.keys) == ["range", "text", "status", "origin", "classes", "similarity"] })
        let paper = SharedSamples.bytes(SharedSamples.newspaperPath)
        for line in lines {
            let r = try #require(line["range"] as? [Int])
            #expect(String(decoding: paper[r[0]..<r[1]], as: UTF8.self) == line["text"] as? String)
        }
        let ministries = try #require(lines.first { ($0["text"] as? String)?.hasPrefix("The two defence ministries") == true })
        #expect(ministries["status"] as? String == "accidental_only" && (ministries["origin"] as? [String: String])?["source"] == "VNA")
        #expect((ministries["classes"] as? [String])?.contains("diacritics") == true)
        let statement = try #require(lines.first { ($0["text"] as? String)?.hasPrefix("He made the statement") == true })
        #expect(statement["status"] as? String == "new" && statement["similarity"] is NSNull)
        #expect((statement["origin"] as? [String: String])?["source"] == "VNS")
        let terminal = try stemma(["blame", "wei-fenghe:VNS"])
        #expect(terminal.out.split(separator: "\n").count == lines.count && !terminal.out.contains("\u{1B}["))
        #expect(terminal.out.contains(" VNA 2021-04-27 accidental_only │ The two defence ministries"))

        let story = try #require(try json(stemma(["story", "wei-fenghe", "--json"])) as? [String: Any])
        let sources = try #require(story["sources"] as? [[String: Any]])
        #expect(sources.map { $0["source"] as? String } == ["VNA", "VNS"])
        let vns = sources[1]
        let origins = try #require(vns["origins"] as? [[String: Any]])
        let sentenceLines = lines.filter { !($0["text"] as? String ?? "").contains("VNA/VNS Photo") && $0["text"] as? String != "— VNS" }
        let fromVNA = sentenceLines.filter { ($0["origin"] as? [String: String])?["source"] == "VNA" }.count
        #expect(origins.first { $0["source"] as? String == "VNA" }?["sentences"] as? Int == fromVNA)
        #expect(vns["sentences"] as? Int == sentenceLines.count)
        let text = try stemma(["story", "wei-fenghe"])
        #expect(text.out.contains("Where each source's sentences come from") && text.out.contains("  VNA  100% VNA"))
        #expect(try stemma(["story", "nope"]).status == 1)
        #expect(try stemma(["blame", "nope:VNA"]).status == 1)
    }
}
