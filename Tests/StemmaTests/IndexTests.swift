import Foundation
import Testing
import TestSupport
@testable import Stemma

@Suite struct IndexTests {
    @Test func deletedIndexIsRebuilt() throws {
        let f = try Fixture()
        let e = try f.commit("One.", title: "T")
        try f.commit("Two.", source: "VNS", derivedFrom: e.edition)
        let expected = try f.corpus.log(story: "story-one")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f.path + "/" + CorpusIndex.fileName + suffix) }
        let reopened = try Corpus.open(at: f.path)
        #expect(try reopened.log(story: "story-one") == expected)
        #expect(FileManager.default.fileExists(atPath: f.path + "/" + CorpusIndex.fileName))
    }

    @Test func corruptIndexIsRebuilt() throws {
        let f = try Fixture()
        try f.commit("One.")
        let expected = try f.corpus.log(story: "story-one")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f.path + "/" + CorpusIndex.fileName + suffix) }
        try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: f.path + "/" + CorpusIndex.fileName))
        #expect(try Corpus.open(at: f.path).log(story: "story-one") == expected)
    }

    @Test func indexCatchesUpWithAPlainGitCommit() throws {
        let f = try Fixture()
        let first = try f.commit("Stemma's own edition.")
        #expect(try f.corpus.log(story: "story-one").count == 1)
        // Someone adds an edition with plain git: clone, write the files by the spec, push.
        let work = f.folder.file("work")
        try git(["clone", "-q", f.path, work])
        let text = Array("Added with plain git.\n".utf8)
        let id = try git(["hash-object", "--stdin"], input: text).out.trimmingCharacters(in: .newlines)
        let record = EditionRecord(edition: id, bytes: text.count, metadata: EditionMetadata(
            story: "story-one", source: "VNS", date: "2021-04-28", derivedFrom: first.edition))
        let textPath = CorpusLayout.textPath(story: "story-one", source: "VNS", edition: id)
        try FileManager.default.createDirectory(atPath: work + "/" + (textPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text).write(to: URL(fileURLWithPath: work + "/" + textPath))
        try Data(record.json.utf8).write(to: URL(fileURLWithPath: work + "/" + CorpusLayout.recordPath(story: "story-one", source: "VNS", edition: id)))
        try git(["add", "."], directory: work)
        try git(["commit", "-q", "-m", "by hand"], directory: work)
        #expect(try git(["push", "-q", "origin", "main"], directory: work).status == 0)
        // The same Corpus object (index already open) sees it on its next question.
        let log = try f.corpus.log(story: "story-one")
        #expect(log.map(\.edition) == [id, first.edition])
        #expect(log[0].metadata.derivedFrom == first.edition)
        // And removing it by hand removes it from the index.
        try git(["rm", "-q", textPath, CorpusLayout.recordPath(story: "story-one", source: "VNS", edition: id)], directory: work)
        try git(["commit", "-q", "-m", "remove"], directory: work)
        try git(["push", "-q", "origin", "main"], directory: work)
        #expect(try f.corpus.log(story: "story-one").map(\.edition) == [first.edition])
    }

    @Test func rewrittenMainRebuildsTheIndex() throws {
        let f = try Fixture()
        try f.commit("One.")
        let keep = try f.corpus.mainCommit()!
        try f.commit("Two.", story: "story-two")
        #expect(try f.corpus.stories().count == 2)
        try git(["--git-dir", f.path, "update-ref", "refs/heads/main", keep.hex])
        #expect(try f.corpus.stories().map(\.story) == ["story-one"])
    }

    @Test func inferenceFollowsConventions() {
        #expect(Conventions.source(in: " date 2021-04-27 At the meeting.")?.value == "VNA")
        #expect(Conventions.source(in: "Caption. VNA/VNS Photo X\n\nText. — VNS")?.value == "VNS")
        #expect(Conventions.source(in: "Hanoi (VNA) \u{2013} Talks began.")?.value == "VNA")
        #expect(Conventions.source(in: "Text ends -- VNA\n")?.value == "VNA")
        #expect(Conventions.source(in: "No conventions here.") == nil)
        #expect(Conventions.date(in: "\u{FEFF}date 2024-02-29 Text")?.value == "2024-02-29")
        #expect(Conventions.date(in: "date 2023-02-29 Text") == nil)
        #expect(Conventions.date(in: "dated 2021-04-27") == nil)
    }
}
