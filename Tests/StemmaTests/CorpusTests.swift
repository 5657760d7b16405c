import Foundation
import Testing
import TestSupport
@testable import Stemma
import Git

/// A corpus in a temporary folder, with helpers to commit and to snapshot its state.
struct Fixture {
    let folder = TemporaryFolder()
    let corpus: Corpus
    var path: String { corpus.path }

    init() throws { corpus = try Corpus.create(at: folder.file("corpus")) }

    @discardableResult
    func commit(_ text: String, story: String = "story-one", source: String? = "VNA", date: String? = "2021-04-27",
                title: String? = nil, derivedFrom: String? = nil) throws -> CommitOutcome {
        try commit(Array(text.utf8), story: story, source: source, date: date, title: title, derivedFrom: derivedFrom)
    }

    @discardableResult
    func commit(_ bytes: [UInt8], story: String = "story-one", source: String? = "VNA", date: String? = "2021-04-27",
                title: String? = nil, derivedFrom: String? = nil) throws -> CommitOutcome {
        let (pending, _) = try corpus.prepare(EditionDraft(bytes: bytes, name: "test", story: story, source: source, date: date,
                                                           title: title, derivedFrom: derivedFrom))
        return try corpus.commit(pending)
    }

    /// Every ref and what it points to, plus the object count: equal snapshots mean nothing was written.
    func snapshot() throws -> String {
        let refs = try git(["--git-dir", path, "for-each-ref", "--format=%(refname) %(objectname)"]).out
        let objects = try git(["--git-dir", path, "count-objects", "-v"]).out
        return refs + objects
    }

    func fsckClean() throws -> Bool { try git(["--git-dir", path, "fsck", "--strict"]).status == 0 }
}

@Suite struct CorpusTests {
    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func samplePairInfersSourceDateAndLinksDerivation() throws {
        let f = try Fixture()
        let (wire, wireInferred) = try f.corpus.prepare(EditionDraft(bytes: SharedSamples.bytes(SharedSamples.wirePath), name: "vna", story: "wei-fenghe"))
        #expect(wire.metadata.source == "VNA" && wire.metadata.date == "2021-04-27")
        #expect(Set(wireInferred.map(\.field)) == ["source", "date"])
        let wireOutcome = try f.corpus.commit(wire)
        let (paper, paperInferred) = try f.corpus.prepare(EditionDraft(bytes: SharedSamples.bytes(SharedSamples.newspaperPath), name: "vns",
                                                                       story: "wei-fenghe", date: "2021-04-27", derivedFrom: "wei-fenghe:VNA"))
        #expect(paper.metadata.source == "VNS")
        #expect(paperInferred.first?.reason.contains("byline") == true)
        #expect(paper.metadata.derivedFrom == wireOutcome.edition)
        _ = try f.corpus.commit(paper)
        let log = try f.corpus.log(story: "wei-fenghe")
        #expect(log.map(\.metadata.source) == ["VNS", "VNA"])
        #expect(log[0].metadata.derivedFrom == log[1].edition)
    }

    @Test func editionIDsAreGitBlobIDsAndBytesRoundTrip() throws {
        let f = try Fixture()
        let awkward: [[UInt8]] = [[0xEF, 0xBB, 0xBF] + Array("BOM first line\r\nCRLF second\r\n".utf8),
                                  Array("No final newline — Việt Nam".utf8), Array("Tro\u{0323}ng in NFD\n".utf8)]
        for (i, bytes) in awkward.enumerated() {
            let outcome = try f.commit(bytes, story: "awkward-\(i)")
            let file = f.folder.write("f\(i).txt", bytes)
            #expect(outcome.edition == (try git(["hash-object", file]).out.trimmingCharacters(in: .newlines)))
            #expect(try f.corpus.text(of: outcome.edition) == bytes)
        }
    }

    @Test func plainGitReadsTheCorpus() throws {
        let f = try Fixture()
        let first = try f.commit("First edition text.\n", title: "A title")
        try f.commit("Second edition text. — VNS", source: nil, derivedFrom: first.edition)
        let log = try git(["--git-dir", f.path, "log", "--format=%B"]).out
        #expect(log.contains("Story: story-one") && log.contains("Source: VNS") && log.contains("Date: 2021-04-27"))
        #expect(log.contains("Derived-From: \(first.edition)") && log.contains("Title: A title"))
        #expect(try f.fsckClean())
        let clone = f.folder.file("clone")
        #expect(try git(["clone", "-q", f.path, clone]).status == 0)
        let files = try git(["ls-files"], directory: clone).out.split(separator: "\n")
        #expect(files.contains { $0.hasSuffix("VNA.\(first.edition).txt") })
        #expect(files.contains { $0.hasSuffix("VNA.\(first.edition).json") })
        let textPath = clone + "/" + CorpusLayout.textPath(story: "story-one", source: "VNA", edition: first.edition)
        #expect(FileManager.default.contents(atPath: textPath) == Data("First edition text.\n".utf8))
        // A bare clone is a corpus too; a clone with a working tree is not (issue 14 item 20).
        let bare = f.folder.file("bare")
        #expect(try git(["clone", "-q", "--bare", f.path, bare]).status == 0)
        #expect(try Corpus.open(at: bare).log(story: "story-one").count == 2)
        #expect(throws: StemmaError.self) { try Corpus.open(at: clone + "/.git") }
    }

    @Test func recommittingIsANoOpAndMetadataChangesAreUpdates() throws {
        let f = try Fixture()
        let first = try f.commit("Same text.")
        let before = try f.snapshot()
        let again = try f.commit("Same text.")
        #expect(again.action == .unchanged && again.edition == first.edition && again.commit == first.commit)
        #expect(try f.snapshot() == before)
        let retitled = try f.commit("Same text.", title: "Now with a title")
        #expect(retitled.action == .updated)
        #expect(try f.corpus.log(story: "story-one").map(\.metadata.title) == ["Now with a title"])
        // The same bytes under another source is a new record pointing at the same blob.
        let other = try f.commit("Same text.", source: "VNS")
        #expect(other.action == .created && other.edition == first.edition)
        #expect(try f.corpus.log(story: "story-one").count == 2)
    }

    @Test func referencesResolve() throws {
        let f = try Fixture()
        let e1 = try f.commit("Wire one.", date: "2021-04-27")
        let e2 = try f.commit("Wire two.", date: "2021-04-28")
        let e3 = try f.commit("Paper one.", source: "VNS", date: "2021-04-28")
        #expect(try f.corpus.resolve("story-one:VNA").edition == e2.edition)
        #expect(try f.corpus.resolve("story-one:VNA~1").edition == e1.edition)
        #expect(try f.corpus.resolve("story-one:VNS").edition == e3.edition)
        #expect(try f.corpus.resolve(String(e1.edition.prefix(10))).edition == e1.edition)
        #expect(try f.corpus.resolve(e3.edition.uppercased()).edition == e3.edition)
        for bad in ["story-one:VNA~2", "story-one:AFP", "nostory:VNA", "0000000", "abc", "story-one:", "../x:VNA"] {
            #expect(throws: StemmaError.self, "\(bad)") { try f.corpus.resolve(bad) }
        }
    }

    @Test func ambiguousAbbreviationsListCandidates() throws {
        let f = try Fixture()
        // Two texts whose ids share their first 7 hex digits (a birthday search over 28 bits).
        var seen: [String: Int] = [:]
        var pair: (Int, Int)? = nil
        for i in 0..<400_000 {
            let prefix = String(try Repository.blobID(of: Array("Text number \(i).".utf8)).hex.prefix(7))
            if let j = seen[prefix] { pair = (j, i); break }
            seen[prefix] = i
        }
        let (i, j) = try #require(pair)
        let a = try f.commit("Text number \(i).", story: "a-story")
        let b = try f.commit("Text number \(j).", story: "b-story")
        do {
            _ = try f.corpus.resolve(String(a.edition.prefix(7)))
            Issue.record("an ambiguous abbreviation resolved")
        } catch StemmaError.user(let message) {
            #expect(message.contains("ambiguous"))
            #expect(message.contains(String(a.edition.prefix(12))) && message.contains(String(b.edition.prefix(12))))
        }
        #expect(try f.corpus.resolve(String(a.edition.prefix(12))).edition == a.edition)
    }

    @Test func nulBytesAreFoundAtEveryPosition() {
        for length in [1, 7, 8, 9, 16, 17, 40] {
            #expect(EditionText.firstNULOffset(Array(repeating: 0x41, count: length)) == nil)
            for at in 0..<length {
                var bytes = [UInt8](repeating: 0x41, count: length)
                bytes[at] = 0
                if at + 1 < length { bytes[length - 1] = 0 } // a later NUL must not win
                #expect(EditionText.firstNULOffset(bytes) == at, "length \(length), at \(at)")
            }
        }
        // Bytes above 0x80 next to a zero: the word test must not be fooled by borrows.
        #expect(EditionText.firstNULOffset([0x80, 0x01, 0xFF, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01]) == 3)
        #expect(EditionText.firstNULOffset([0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01]) == nil)
    }

    @Test func badInputIsRefusedAndNothingChanges() throws {
        let f = try Fixture()
        let base = try f.commit("A good edition.")
        let before = try f.snapshot()
        let cases: [(String, () throws -> Void)] = [
            ("not UTF-8", { try f.commit([0x41, 0x42, 0xFF, 0x43]) }),
            ("NUL", { try f.commit([0x41, 0x00, 0x42]) }),
            ("empty", { try f.commit([]) }),
            ("whitespace only", { try f.commit(" \n\t\u{00A0}\n") }),
            ("bad date 2021-13-40", { try f.commit("Text.", date: "2021-13-40") }),
            ("bad date 27/04/2021", { try f.commit("Text.", date: "27/04/2021") }),
            ("bad date 2021-02-29", { try f.commit("Text.", date: "2021-02-29") }),
            ("bad source", { try f.commit("Text.", source: "vna") }),
            ("bad source chars", { try f.commit("Text.", source: "V N A") }),
            ("bad story ../x", { try f.commit("Text.", story: "../x") }),
            ("bad story a/b", { try f.commit("Text.", story: "a/b") }),
            ("bad story spaces", { try f.commit("Text.", story: "a b") }),
            ("bad story empty", { try f.commit("Text.", story: "") }),
            ("newline in title", { try f.commit("Text.", title: "Title\nStory: forged") }),
            ("control in title", { try f.commit("Text.", title: "Title\u{7}") }),
            ("unknown derived-from", { try f.commit("Text.", derivedFrom: "deadbeefdeadbeef") }),
            ("no source to infer", { try f.commit("Plain text with no conventions.", source: nil) }),
            ("no date to infer", { try f.commit("Plain text.", date: nil) }),
        ]
        for (name, body) in cases {
            #expect(throws: StemmaError.self, "\(name)") { try body() }
            #expect(try f.snapshot() == before, "\(name) changed the corpus")
        }
        let tooBig = EditionDraft(bytes: Array(repeating: 0x61, count: 2_000), name: "big", story: "s", source: "VNA", date: "2021-01-01")
        #expect(throws: StemmaError.self) { _ = try f.corpus.prepare(tooBig, maxBytes: 1_000) }
        do {
            try f.commit([0x41, 0x42, 0xFF, 0x43])
        } catch StemmaError.user(let message) {
            #expect(message.contains("offset 2"))
        }
        #expect(try f.fsckClean())
        #expect(try f.corpus.log(story: "story-one").map(\.edition) == [base.edition])
    }

    @Test func missingAndForeignCorporaAreCorpusErrors() throws {
        let folder = TemporaryFolder()
        #expect(throws: StemmaError.corpus("no corpus at \(folder.file("none")) (create one with 'stemma init')")) {
            _ = try Corpus.open(at: folder.file("none"))
        }
        try git(["init", "-q", "--bare", folder.file("plain.git")])
        do {
            _ = try Corpus.open(at: folder.file("plain.git"))
            Issue.record("opened a plain repository as a corpus")
        } catch let error as StemmaError {
            #expect(error.exitCode == 2)
        }
        #expect(throws: StemmaError.self) { _ = try Corpus.locate(explicit: nil, environment: [:], from: folder.path) }
        let f = try Fixture()
        let nested = f.folder.file("work/deeper")
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        _ = try Corpus.create(at: f.folder.file("work/.stemma"))
        #expect(try Corpus.locate(explicit: nil, environment: [:], from: nested).hasSuffix("work/.stemma"))
        #expect(try Corpus.locate(explicit: nil, environment: ["STEMMA_CORPUS": "/x"], from: nested) == "/x")
    }

    @Test func readOnlyCorpusIsRefusedUntouched() throws {
        let f = try Fixture()
        try f.commit("Before.")
        let before = try f.snapshot()
        _ = try run("/bin/chmod", ["-R", "a-w", f.path])
        defer { _ = try? run("/bin/chmod", ["-R", "u+w", f.path]) }
        do {
            try f.commit("After.")
            Issue.record("wrote to a read-only corpus")
        } catch let error as StemmaError {
            #expect(error.exitCode == 2)
            #expect(error.description.contains("read-only"))
        }
        // Reading still works (the index falls back to memory).
        #expect(try Corpus.open(at: f.path).log(story: "story-one").count == 1)
        _ = try? run("/bin/chmod", ["-R", "u+w", f.path])
        #expect(try f.snapshot() == before)
    }

    @Test func thousandCommitsKeepMemoryFlat() throws {
        let f = try Fixture()
        for i in 0..<200 { try f.commit("Warm-up edition \(i).", story: "s\(i % 50)") }
        // Five batches of 200, each measured on its own. Other tests run in this process at the
        // same time and make the resident size jump now and then; a leak makes every batch grow,
        // so the smallest growth of a batch, five times over, stands for the 1,000 commits.
        var growth: [Int] = []
        for batch in 0..<5 {
            let start = residentBytes()
            for i in 0..<200 { try f.commit("Edition number \(batch * 200 + i) of the test.", story: "story-\((batch * 200 + i) % 97)") }
            growth.append(residentBytes() - start)
        }
        // 1,000 leaked trees, commits or repositories would be megabytes; allocator noise is far less.
        #expect(growth.min()! * 5 < 24 * 1024 * 1024, "resident memory grew by \(growth) bytes in the five batches")
        #expect(try f.corpus.stories().reduce(0) { $0 + $1.editions } == 1_200)
    }
}
