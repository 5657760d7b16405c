import Collation
import Foundation
import Testing
import TestSupport
@testable import Stemma

/// Derivation graphs, parent references and cached change summaries, on real corpora.
@Suite struct ProvenanceTests {
    static let wire = """
    The ministry announced a new plan for coastal provinces on Monday. Officials said the plan covers flood defences.

    Funding will come from the state budget and international partners over five years.
    """

    /// An edition of `wire` edited a little, differently for each `n`.
    static func edit(_ n: Int) -> String {
        wire.replacingOccurrences(of: "Monday", with: "monday") + "\n\nA new sentence number \(n) was added here by the desk.\n"
    }

    /// Commits `text` with plain git plumbing (no stemma code): as another tool, or a pull, would.
    static func plainGitCommit(_ f: Fixture, _ text: String, story: String, source: String, date: String, derivedFrom: String?) throws -> String {
        let env = ["GIT_INDEX_FILE": f.folder.file("plain-index"), "GIT_AUTHOR_NAME": "Plain", "GIT_AUTHOR_EMAIL": "plain@example.invalid",
                   "GIT_COMMITTER_NAME": "Plain", "GIT_COMMITTER_EMAIL": "plain@example.invalid"]
        func g(_ args: [String], input: [UInt8]? = nil) throws -> String {
            let r = try run("/usr/bin/git", ["--git-dir", f.path] + args, environment: env, input: input)
            #expect(r.status == 0, "git \(args): \(r.stderr)")
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let blob = try g(["hash-object", "-w", "--stdin"], input: Array(text.utf8))
        let record = EditionRecord(edition: blob, bytes: text.utf8.count,
                                   metadata: EditionMetadata(story: story, source: source, date: date, derivedFrom: derivedFrom))
        let recordBlob = try g(["hash-object", "-w", "--stdin"], input: Array(record.json.utf8))
        _ = try g(["read-tree", "refs/heads/main"])
        _ = try g(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(CorpusLayout.textPath(story: story, source: source, edition: blob))"])
        _ = try g(["update-index", "--add", "--cacheinfo", "100644,\(recordBlob),\(CorpusLayout.recordPath(story: story, source: source, edition: blob))"])
        let tree = try g(["write-tree"])
        let commit = try g(["commit-tree", tree, "-p", "refs/heads/main", "-m", "plain git edition"])
        _ = try g(["update-ref", "refs/heads/main", commit])
        return blob
    }

    // MARK: graphs

    /// The drawing as text, a line per row, each node shown by its source.
    static func drawing(_ f: Fixture, story: String) throws -> String {
        let g = DerivationGraph(try f.corpus.log(story: story))
        return g.rows.map { row in row.graph + (row.node.map { " " + g.nodes[$0].metadata.source } ?? "") }.joined(separator: "\n")
    }

    @Test func aChainIsOneColumn() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "chain", source: "VNA", date: "2021-04-27").edition
        let b = try f.commit(Self.edit(1), story: "chain", source: "VNS", date: "2021-04-28", derivedFrom: a).edition
        try f.commit(Self.edit(1) + "Correction.\n", story: "chain", source: "VNSCORR", date: "2021-04-29", derivedFrom: b)
        #expect(try Self.drawing(f, story: "chain") == "* VNSCORR\n* VNS\n* VNA")
        let g = DerivationGraph(try f.corpus.log(story: "chain"))
        #expect(g.edges.map { "\(g.nodes[$0.parent].metadata.source)→\(g.nodes[$0.child].metadata.source)" } == ["VNS→VNSCORR", "VNA→VNS"])
    }

    /// Two papers edit one wire and one of them is corrected: the nearest a single `derived_from`
    /// comes to a diamond. The branches join at the wire.
    @Test func branchesOfOneEditionJoinAtIt() throws {
        let f = try Fixture()
        let w = try f.commit(Self.wire, story: "fork", source: "VNA", date: "2021-04-27").edition
        let p1 = try f.commit(Self.edit(1), story: "fork", source: "VNS", date: "2021-04-28", derivedFrom: w).edition
        try f.commit(Self.edit(2), story: "fork", source: "TTX", date: "2021-04-28", derivedFrom: w)
        try f.commit(Self.edit(1) + "Correction.\n", story: "fork", source: "VNSCORR", date: "2021-04-29", derivedFrom: p1)
        #expect(try Self.drawing(f, story: "fork") == """
        * VNSCORR
        * VNS
        | * TTX
        |/
        * VNA
        """)
    }

    @Test func threeChildrenJoinOneAtATime() throws {
        let f = try Fixture()
        let w = try f.commit(Self.wire, story: "three", source: "VNA", date: "2021-04-27").edition
        for (n, source) in ["AAA", "BBB", "CCC"].enumerated() {
            try f.commit(Self.edit(n), story: "three", source: source, date: "2021-05-0\(1 + n)", derivedFrom: w)
        }
        #expect(try Self.drawing(f, story: "three") == "* CCC\n| * BBB\n| | * AAA\n| |/\n|/\n* VNA")
    }

    @Test func twoRootsAreTwoTrees() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "roots", source: "VNA", date: "2021-04-27").edition
        let b = try f.commit(Self.wire + "\n\nAnother wire's closing line.\n", story: "roots", source: "XNA", date: "2021-04-27").edition
        try f.commit(Self.edit(1), story: "roots", source: "VNS", date: "2021-04-29", derivedFrom: a)
        try f.commit(Self.edit(2), story: "roots", source: "TTX", date: "2021-04-28", derivedFrom: b)
        #expect(try Self.drawing(f, story: "roots") == "* VNS\n* VNA\n* TTX\n* XNA")
        let g = DerivationGraph(try f.corpus.log(story: "roots"))
        #expect(g.parentOf.filter { $0 == nil }.count == 2)
    }

    /// Only a corrupt corpus (written by another tool) has a `derived_from` cycle: it is still drawn, once each.
    @Test func aCycleIsDrawnWithEveryEditionOnce() {
        func edition(_ id: Character, parent: Character?, date: String) -> LoggedEdition {
            LoggedEdition(record: EditionRecord(edition: String(repeating: id, count: 40), bytes: 1,
                                                metadata: EditionMetadata(story: "loop", source: "S\(id)".uppercased(), date: date,
                                                                          derivedFrom: parent.map { String(repeating: $0, count: 40) })),
                          commit: "", committedAt: 0, offsetMinutes: 0)
        }
        let g = DerivationGraph([edition("a", parent: "b", date: "2021-01-03"), edition("b", parent: "c", date: "2021-01-02"),
                                 edition("c", parent: "a", date: "2021-01-01")])
        #expect(g.nodes.count == 3 && Set(g.nodes.map(\.edition)).count == 3)
        #expect(g.rows.filter { $0.node != nil }.count == 3)
        #expect(g.parentOf.filter { $0 == nil }.count == 1)
    }

    // MARK: parent references

    @Test func parentReferencesWalkDerivedFrom() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "chain", source: "VNA").edition
        let b = try f.commit(Self.edit(1), story: "chain", source: "VNS", derivedFrom: a).edition
        let c = try f.commit(Self.edit(2), story: "chain", source: "TTX", derivedFrom: b).edition
        #expect(try f.corpus.resolve("chain:TTX^").edition == b)
        #expect(try f.corpus.resolve("chain:TTX^^").edition == a)
        #expect(try f.corpus.resolve("chain:TTX^2").edition == a)
        #expect(try f.corpus.resolve("\(c.prefix(8))^1^").edition == a)
        #expect(try f.corpus.resolve("chain:TTX^0").edition == c)
        #expect(throws: StemmaError.user("edition \(a.prefix(10)) (chain:VNA 2021-04-27) has no parent: it derives from no edition")) {
            try f.corpus.resolve("chain:VNA^")
        }
        #expect(throws: StemmaError.user("2 generations up, edition \(a.prefix(10)) (chain:VNA 2021-04-27) has no parent: it derives from no edition")) {
            try f.corpus.resolve("chain:TTX^3")
        }
        for bad in ["chain:TTX^x", "chain:TTX^-1", "chain:TTX^^~1"] {
            #expect(throws: StemmaError.self) { try f.corpus.resolve(bad) }
        }
    }

    // MARK: summaries and their cache

    @Test func aSummaryIsWhatTheCollationOfParentAndChildCounts() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "s", source: "VNA").edition
        try f.commit(Self.edit(1), story: "s", source: "VNS", derivedFrom: a)
        let log = try f.corpus.log(story: "s")
        let changes = try f.corpus.changes(of: log)
        #expect(changes[1] == .original)
        guard case .changed(let parent, let summary) = changes[0] else { Issue.record("no summary"); return }
        #expect(parent.edition == a)
        // Derived from the texts: one case change (Monday → monday), one sentence added, nothing else.
        #expect(summary.sentencesAdded == 1 && summary.sentencesDeleted == 0 && summary.reworded == 0)
        #expect(summary.classes[.case] == 1 && summary.accidentals == summary.classes.filter { $0.key.kind == .accidental }.values.reduce(0, +))
        #expect(changes[0].text.hasPrefix("vs VNA 2021-04-27: +1 sentence, "))
        #expect(changes[0].text.contains("case 1"))
        #expect(summary == ChangeSummary(try f.corpus.collate("s:VNS^", "s:VNS")))
    }

    @Test func theCacheIsRebuiltAfterDeletionAndCatchesUpWithPlainGitCommits() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "s", source: "VNA").edition
        try f.commit(Self.edit(1), story: "s", source: "VNS", derivedFrom: a)
        #expect(try f.corpus.fillSummaryCache() == 1)
        #expect(try f.corpus.fillSummaryCache() == 0) // nothing missing
        let first = try f.corpus.changes(of: f.corpus.log(story: "s"))
        let file = f.path + "/" + SummaryCache.fileName
        #expect(FileManager.default.fileExists(atPath: file))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        #expect(try f.corpus.summaryCache().count() == 0)
        #expect(try f.corpus.changes(of: f.corpus.log(story: "s")) == first)
        #expect(try f.corpus.summaryCache().count() == 1)
        // An edition that arrives by plain git gets its summary, equal to the engine's.
        let c = try Self.plainGitCommit(f, Self.edit(2), story: "s", source: "TTX", date: "2021-04-28", derivedFrom: a)
        #expect(try f.corpus.fillSummaryCache() == 1)
        #expect(try f.corpus.summaryCache().count() == 2)
        let ttx = try f.corpus.resolve(c)
        let cached = try f.corpus.summaryCache().summary(parent: a, child: c)
        let direct = ChangeSummary(try f.corpus.collate(f.corpus.resolve(a), ttx))
        #expect(cached != nil && cached == direct)
    }

    @Test func aCorruptCacheFileIsReplaced() throws {
        let f = try Fixture()
        let a = try f.commit(Self.wire, story: "s", source: "VNA").edition
        try f.commit(Self.edit(1), story: "s", source: "VNS", derivedFrom: a)
        _ = FileManager.default.createFile(atPath: f.path + "/" + SummaryCache.fileName, contents: Data("not a database".utf8))
        #expect(try f.corpus.fillSummaryCache() == 1)
    }

    @Test func theCachedFormRoundTrips() {
        var s = ChangeSummary()
        s.sentencesAdded = 4; s.sentencesDeleted = 1; s.reworded = 5; s.moved = 2; s.similarityPerMille = 712
        s.classes = [.diacritics: 14, .spelling: 7, .case: 2, .caption: 1, .byline: 1]
        #expect(ChangeSummary(encoded: s.encoded) == s)
        #expect(s.text(parentSource: "VNA", parentDate: "2021-04-27")
                == "vs VNA 2021-04-27: +4 sentences −1, 5 reworded, 2 moved, 23 accidentals (diacritics 14, spelling 7, case 2), boilerplate: caption, byline")
        #expect(ChangeSummary().description == "no changes")
    }
}
