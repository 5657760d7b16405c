import Foundation
import Testing
import TestSupport

/// Story matching (issue 17): `match`, and `commit` without `--story` attaching an edition to the
/// story it matches, or starting a new one; the matching index rebuilt, caught up and pruned.
@Suite struct MatchCLITests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String], input: [UInt8]? = nil) throws -> ProcessResult {
        try run(CLITests.binary, args, directory: folder.path, input: input)
    }

    func json(_ r: ProcessResult) throws -> Any { try JSONSerialization.jsonObject(with: Data(r.stdout)) }

    /// Decoys on the same topics as the samples (Việt Nam-China defence ties, the Party congress,
    /// party-to-party relations), written for this test: near in vocabulary, not the same story.
    static let decoys: [(story: String, text: String)] = [
        ("defence-dialogue-2020", """
        date 2020-11-02 Hà Nội (VNA) – Việt Nam and China held the seventh defence strategy dialogue in Hà Nội on Monday, co-chaired by the deputy defence ministers of the two countries.

        The two sides reviewed border cooperation, joint patrols in the Gulf of Tonkin and training of young officers.

        They agreed to hold the next border defence friendship exchange in Lào Cai province next spring.

        The Chinese delegation also visited a military hospital and laid a wreath at the Ba Đình mausoleum.
        """),
        ("party-congress-closes", """
        date 2021-02-01 Hà Nội (VNA) – The 13th National Congress of the Communist Party of Vietnam closed in Hà Nội on Monday after eight days of sessions.

        Delegates elected a Central Committee of 200 members and adopted the political report and the socio-economic development strategy for 2021-2030.

        The congress set the goal of making Vietnam a developing country with modern industry by 2025.

        Foreign parties sent more than 200 messages of congratulations to the congress.
        """),
        ("laos-party-talks", """
        date 2021-04-20 Vientiane (VNA) – The Party leaders of Laos and Vietnam held talks in Vientiane on Tuesday on the traditional friendship and comprehensive cooperation between the two Parties and countries.

        Both sides said relations had developed well despite the COVID-19 pandemic, with high-level exchanges maintained online.

        They agreed to boost trade, transport links and education, and to train more Lao students in Vietnamese universities.

        The Lao side thanked Vietnam for its support during history.
        """),
    ]

    func corpusWithWireAndDecoys() throws -> (wire: String, decoys: [String]) {
        #expect(try stemma(["init", corpus]).status == 0)
        var decoyEditions: [String] = []
        for decoy in Self.decoys {
            let file = folder.write(decoy.story + ".txt", decoy.text)
            let r = try stemma(["commit", file, "--story", decoy.story, "--json", "--corpus", corpus])
            #expect(r.status == 0, "\(r.stderr)")
            decoyEditions.append((try json(r) as? [String: Any])?["edition"] as? String ?? "")
        }
        let r = try stemma(["commit", SharedSamples.wirePath!, "--story", "wei-fenghe-visit", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        return ((try json(r) as? [String: Any])?["edition"] as? String ?? "", decoyEditions)
    }

    @Test(.enabled(if: SharedSamples.available)) func theNewspaperEditionJoinsTheWireStoryDerivedFromTheWireEdition() throws {
        let (wire, _) = try corpusWithWireAndDecoys()
        let r = try stemma(["commit", SharedSamples.newspaperPath!, "--date", "2021-04-27", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try json(r) as? [String: Any] ?? [:]
        #expect(out["story"] as? String == "wei-fenghe-visit")
        #expect(out["derived_from"] as? String == wire)
        let matched = out["matched"] as? [String: Any] ?? [:]
        #expect(matched["story"] as? String == "wei-fenghe-visit")
        #expect(matched["derived_from"] as? String == wire)
        #expect((matched["score"] as? Double ?? 0) > 0)
        // The note gives both shares the rule weighs, the edition first.
        #expect(r.stderr.contains("matched story wei-fenghe-visit: VNA edition \(wire.prefix(12)) aligns ") && r.stderr.contains("% of its text (shingle score "),
                "\(r.stderr)")
        // The record says so too.
        let log = try stemma(["log", "wei-fenghe-visit", "--corpus", corpus])
        #expect(log.out.contains("Derived-from: \(wire)") || log.out.contains(wire.prefix(7)), "\(log.out)")
    }

    /// A sentence copied word for word from the wire, which the newspaper reworded: both editions
    /// align all of it, and the wire, holding more of its text, is its parent and comes first in
    /// `match` — not the shorter newspaper edition its Jaccard estimate prefers. Blame then
    /// says the sentence is the wire's, unchanged.
    @Test(.enabled(if: SharedSamples.available)) func aVerbatimSentenceDerivesFromTheEditionThatHoldsItWordForWord() throws {
        let (wire, _) = try corpusWithWireAndDecoys()
        #expect(try stemma(["commit", SharedSamples.newspaperPath!, "--date", "2021-04-27", "--corpus", corpus]).status == 0)
        let wireText = String(decoding: try #require(FileManager.default.contents(atPath: SharedSamples.wirePath!)), as: UTF8.self)
        let sentence = try #require(wireText.split(separator: "\n").first { $0.hasPrefix("Wei congratulated") })
        let newspaper = String(decoding: try #require(FileManager.default.contents(atPath: SharedSamples.newspaperPath!)), as: UTF8.self)
        try #require(!newspaper.contains(sentence)) // the newspaper reworded it
        let file = folder.write("quote.txt", String(sentence) + "\n")
        let matches = try json(try stemma(["match", file, "--json", "--corpus", corpus])) as? [[String: Any]] ?? []
        #expect(matches.first?["edition"] as? String == wire, "\(matches)")
        let r = try stemma(["commit", file, "--source", "TTX", "--date", "2021-04-28", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try json(r) as? [String: Any] ?? [:]
        #expect(out["story"] as? String == "wei-fenghe-visit" && out["derived_from"] as? String == wire, "\(out)")
        let blame = try stemma(["blame", "wei-fenghe-visit:TTX", "--corpus", corpus])
        #expect(blame.status == 0 && blame.out.contains("VNA") && blame.out.contains("unchanged"), "\(blame.out)")
    }

    /// The newspaper edition committed before the wire's, both of one day: the wire joins its story
    /// but is not made its child, since the newspaper credits VNA (`VNA/VNS Photo`) and the wire
    /// credits no one; stderr says so.
    @Test(.enabled(if: SharedSamples.available)) func theWireCommittedAfterTheNewspaperThatCreditsItIsNotItsChild() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let paper = try stemma(["commit", SharedSamples.newspaperPath!, "--story", "wei-fenghe", "--date", "2021-04-27", "--json", "--corpus", corpus])
        let paperEdition = (try json(paper) as? [String: Any])?["edition"] as? String ?? ""
        let r = try stemma(["commit", SharedSamples.wirePath!, "--source", "VNA", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try json(r) as? [String: Any] ?? [:]
        #expect(out["story"] as? String == "wei-fenghe" && out["derived_from"] is NSNull, "\(out)")
        #expect(r.stderr.contains("not derived from VNS edition \(paperEdition.prefix(12)) of the same day: it credits VNA"), "\(r.stderr)")
    }

    @Test(.enabled(if: SharedSamples.available)) func matchListsTheWireEditionFirstAndWritesNothing() throws {
        let (wire, decoys) = try corpusWithWireAndDecoys()
        let before = try git(["--git-dir", corpus, "rev-parse", "main"]).out
        let r = try stemma(["match", SharedSamples.newspaperPath!, "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try json(r) as? [[String: Any]] ?? []
        #expect(list.first?["edition"] as? String == wire)
        #expect(list.first?["story"] as? String == "wei-fenghe-visit")
        #expect(Set(list.first?.keys.map { $0 } ?? []) == ["edition", "story", "source", "date", "score", "aligned", "contained"])
        // Every decoy listed aligns less of the text than the wire edition does.
        let best = list.first?["aligned"] as? Double ?? 0
        for entry in list.dropFirst() { #expect((entry["aligned"] as? Double ?? 1) < best) }
        #expect(try git(["--git-dir", corpus, "rev-parse", "main"]).out == before)
        // An edition as the query: itself is left out, the newspaper text is not in the corpus.
        let byEdition = try stemma(["match", String(decoys[0].prefix(10)), "--json", "-n", "2", "--corpus", corpus])
        #expect(byEdition.status == 0, "\(byEdition.stderr)")
        #expect(!((try json(byEdition) as? [[String: Any]] ?? []).contains { $0["edition"] as? String == decoys[0] }))
        #expect(try stemma(["match", "no-such-file.txt", "--corpus", corpus]).stderr.contains("no such file or edition"))
        #expect(try stemma(["match", SharedSamples.newspaperPath!, "-n", "0", "--corpus", corpus]).status == 1)
        let negative = try stemma(["match", SharedSamples.newspaperPath!, "-n", "-1", "--corpus", corpus])
        #expect(negative.status == 1 && negative.stderr.hasPrefix("stemma: -n must be at least 1"), "\(negative.stderr)")
        // Every numeric option's own rule refuses a negative number (the parser took it for an option).
        for (args, rule) in [(["grep", "x", "--limit", "-1"], "--limit must be 0"), (["find", "--limit", "-1"], "--limit must be 0"),
                             (["similar", "--min", "-0.5"], "--min must be above 0")] {
            let r = try stemma(args + ["--corpus", corpus])
            #expect(r.status == 1 && r.stderr.hasPrefix("stemma: " + rule), "\(args): \(r.stderr)")
        }
        let empty = try stemma(["match", "-", "--corpus", corpus], input: Array(" \n".utf8))
        #expect(empty.status == 1 && empty.stderr == "stemma: -: is empty or only white space\n", "\(empty.stderr)")
        let latin1 = try stemma(["match", "-", "--corpus", corpus], input: Array("Vi".utf8) + [0xEA] + Array("t Nam\n".utf8))
        #expect(latin1.status == 1 && latin1.stderr == "stemma: -: not valid UTF-8 at byte offset 2\n", "\(latin1.stderr)")
    }

    @Test func aTextLikeNothingStartsANewStoryNamedFromItsDateAndTitleAndASecondOneIsMadeUnique() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let first = folder.write("a.txt", "date 2024-05-06 Huế (VNA) – Rain flooded the old citadel on Monday. Boats carried tourists to their hotels.")
        let r = try stemma(["commit", first, "--title", "Floods in Huế's Citadel!", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try json(r) as? [String: Any] ?? [:]
        #expect(out["story"] as? String == "2024-05-06-floods-in-hue-s-citadel")
        #expect(out["matched"] is NSNull)
        #expect(out["derived_from"] is NSNull)
        #expect(r.stderr.contains("no story matched; new story 2024-05-06-floods-in-hue-s-citadel"))
        // Another text on another subject with the same date and title: the slug is taken.
        let second = folder.write("b.txt", "date 2024-05-06 Đà Nẵng (VNA) – A new bridge opened over the Hàn river. Traffic fell by a third.")
        let again = try stemma(["commit", second, "--title", "Floods in Hue's citadel", "--json", "--corpus", corpus])
        #expect((try json(again) as? [String: Any])?["story"] as? String == "2024-05-06-floods-in-hue-s-citadel-2", "\(again.stderr)")
        // Without a title, the first sentence's words name it.
        let third = folder.write("c.txt", "date 2024-05-07 Hà Nội (VNA) – Rice exports rose sharply in April, the ministry said.")
        let untitled = try stemma(["commit", third, "--json", "--corpus", corpus])
        #expect((try json(untitled) as? [String: Any])?["story"] as? String == "2024-05-07-rice-exports-rose-sharply-in-april", "\(untitled.stderr)")
    }

    @Test(.enabled(if: SharedSamples.available)) func noMatchAndStoryOverrideTheMatch() throws {
        _ = try corpusWithWireAndDecoys()
        let r = try stemma(["commit", SharedSamples.newspaperPath!, "--date", "2021-04-27", "--no-match", "--json", "--corpus", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try json(r) as? [String: Any] ?? [:]
        let story = out["story"] as? String ?? ""
        #expect(story != "wei-fenghe-visit" && story.hasPrefix("2021-04-27-"))
        #expect(out["matched"] is NSNull && out["derived_from"] is NSNull)
        #expect(r.stderr.contains("new story \(story) (--no-match)") && !r.stderr.contains("no story matched"), "\(r.stderr)")
        let given = try stemma(["commit", SharedSamples.newspaperPath!, "--date", "2021-04-27", "--story", "mine", "--json", "--corpus", corpus])
        let mine = try json(given) as? [String: Any] ?? [:]
        #expect(mine["story"] as? String == "mine" && mine["matched"] == nil && mine["derived_from"] is NSNull)
        let both = try stemma(["commit", SharedSamples.newspaperPath!, "--date", "2021-04-27", "--story", "mine", "--no-match", "--corpus", corpus])
        #expect(both.status == 1 && both.stderr.contains("--no-match only applies without --story"))
    }

    @Test(.enabled(if: SharedSamples.available)) func theIndexIsRebuiltWhenDeletedAndFollowsMainWhenItMovesElsewhere() throws {
        let (wire, _) = try corpusWithWireAndDecoys()
        func matched() throws -> [String] {
            let r = try stemma(["match", SharedSamples.newspaperPath!, "--json", "--corpus", corpus])
            #expect(r.status == 0, "\(r.stderr)")
            return (try json(r) as? [[String: Any]] ?? []).compactMap { $0["edition"] as? String }
        }
        let first = try matched()
        #expect(first.first == wire)
        let file = corpus + "/stemma-match.sqlite"
        #expect(FileManager.default.fileExists(atPath: file))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        #expect(try matched() == first)
        #expect(FileManager.default.fileExists(atPath: file))

        // main moves back past the wire edition (as a pull of a rewritten main would): the
        // index drops it, and finds it again when main returns.
        let tip = try git(["--git-dir", corpus, "rev-parse", "main"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try git(["--git-dir", corpus, "update-ref", "refs/heads/main", tip + "~1"])
        #expect(try !matched().contains(wire))
        try git(["--git-dir", corpus, "update-ref", "refs/heads/main", tip])
        #expect(try matched() == first)
    }

    @Test(.enabled(if: SharedSamples.available)) func aRecordRemovedFromMainLeavesTheIndex() throws {
        let (wire, _) = try corpusWithWireAndDecoys()
        #expect(try stemma(["match", SharedSamples.newspaperPath!, "--corpus", corpus]).out.hasPrefix(String(wire.prefix(12))))
        // Remove the wire record and text with plain git, as another tool would.
        let scratch = folder.file("scratch-index")
        let env = ["GIT_DIR": corpus, "GIT_INDEX_FILE": scratch]
        func g(_ args: [String]) throws -> String {
            let r = try run("/usr/bin/git", args, environment: env.merging(["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                                                                             "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"]) { $1 })
            #expect(r.status == 0, "\(r.stderr)")
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try g(["read-tree", "main"])
        let paths = try g(["ls-files"]).split(separator: "\n").filter { $0.contains(wire) }.map(String.init)
        #expect(paths.count == 2)
        _ = try g(["rm", "--cached", "--quiet"] + paths)
        let tree = try g(["write-tree"])
        let commit = try g(["commit-tree", tree, "-p", "main", "-m", "Remove the wire edition"])
        _ = try g(["update-ref", "refs/heads/main", commit])
        let after = try stemma(["match", SharedSamples.newspaperPath!, "--json", "--corpus", corpus])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(!((try json(after) as? [[String: Any]] ?? []).contains { $0["edition"] as? String == wire }))
        // Committed again, it is found again.
        #expect(try stemma(["commit", SharedSamples.wirePath!, "--story", "wei-fenghe-visit", "--corpus", corpus]).status == 0)
        #expect(try stemma(["match", SharedSamples.newspaperPath!, "--corpus", corpus]).out.hasPrefix(String(wire.prefix(12))))
    }

    @Test(.enabled(if: SharedSamples.available)) func similarReportsAStoryFiledTwiceAndNotTheDecoys() throws {
        let (wire, _) = try corpusWithWireAndDecoys()
        let r0 = try stemma(["similar", "--json", "--min", "0.2", "--corpus", corpus])
        #expect(r0.status == 0, "\(r0.stderr)")
        #expect((try json(r0) as? [[String: Any]] ?? []).isEmpty)
        // The newspaper's edition filed under a story of its own: the two stories share text.
        #expect(try stemma(["commit", SharedSamples.newspaperPath!, "--story", "wei-visit-vns", "--date", "2021-04-27", "--corpus", corpus]).status == 0)
        let r = try stemma(["similar", "--json", "--min", "0.2", "--corpus", corpus])
        let pairs = try json(r) as? [[String: Any]] ?? []
        #expect(pairs.count == 1, "\(r.out)")
        let a = pairs.first?["a"] as? [String: Any] ?? [:], b = pairs.first?["b"] as? [String: Any] ?? [:]
        #expect(a["edition"] as? String == wire && a["story"] as? String == "wei-fenghe-visit")
        #expect(b["story"] as? String == "wei-visit-vns")
        #expect((pairs.first?["aligned"] as? Double ?? 0) > 0.5)
        // Above what the two share, nothing is listed.
        let score = pairs.first?["score"] as? Double ?? 1
        #expect((try json(try stemma(["similar", "--json", "--min", String(min(1, score + 0.05)), "--corpus", corpus])) as? [[String: Any]] ?? []).isEmpty)
        #expect(try stemma(["similar", "--min", "0", "--corpus", corpus]).status == 1)
    }
}
