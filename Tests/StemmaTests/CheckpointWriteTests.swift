import Foundation
import SQLite
import Testing
import TestSupport
@testable import Stemma

/// An import's checkpoint stored in the matching index on a thread of its own (issue 17, import
/// speed) while the import goes on matching: until the index has taken the write in, its records
/// are the import's pending ones, and a query meets each record once whether the rows have landed
/// in the file or not.
@Suite struct CheckpointWriteTests {
    /// `texts` as an import holds them up to its checkpoint, and their edition ids.
    static func pending(_ texts: [String], in f: Fixture) throws -> (PendingMatches, [String: String]) {
        let batch = PendingMatches()
        var ids: [String: String] = [:]
        for (n, text) in texts.enumerated() {
            let (pending, _) = try f.corpus.prepare(EditionDraft(bytes: Array(text.utf8), name: "t", story: "story-\(n)", source: "VNA",
                                                                 date: "2021-04-28"))
            batch.add(pending.metadata, edition: pending.edition, text: pending.bytes, sketch: TextSketch(pending.bytes))
            ids[text] = pending.edition
        }
        return (batch, ids)
    }

    @Test func aRecordBeingStoredIsACandidateOnceBeforeAndAfterTheIndexTakesTheWriteIn() throws {
        let f = try Fixture()
        var random = SeededRandom(seed: 9)
        let kept = ShingleSampleTests.text(12, &random)
        let keptID = try f.commit(kept, story: "kept").edition
        let index = try f.corpus.matchIndex()
        let from = try #require(try f.corpus.mainCommit()).hex
        // Three records as an import holds them up to its checkpoint.
        let texts = (0..<3).map { _ in ShingleSampleTests.text(12, &random) }
        let (batch, found) = try Self.pending(texts, in: f)
        var ids = found
        ids[kept] = keptID
        try index.beginCheckpoint(batch.items, updated: [], from: from, to: "checkpoint-of-this-test")
        let pending = PendingMatches(firstID: batch.nextID, storing: batch)
        // The rows have landed, seen through a connection of our own; the index was not told.
        let probe = try Database(path: f.path + "/" + MatchIndex.fileName)
        let deadline = Date().addingTimeInterval(30)
        while try probe.query("SELECT COUNT(*) FROM docs").first?.first?.int != 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(try probe.query("SELECT COUNT(*) FROM docs").first?.first?.int == 4)
        func candidates(_ text: String) throws -> [String] {
            try index.candidates(TextSketch(Array(text.utf8)), pending: pending, minimumScore: 0.5).map(\.edition)
        }
        for text in texts + [kept] { #expect(try candidates(text) == [ids[text]!]) }
        // Taken in: the records are the index's, and no longer pending.
        #expect(try index.finishCheckpoint(waiting: true))
        pending.storing = nil
        for text in texts + [kept] { #expect(try candidates(text) == [ids[text]!]) }
        #expect(try probe.query("SELECT value FROM meta WHERE key='main'").first?.first?.string == "checkpoint-of-this-test")
    }

    @Test func aWriteThatFailsOnItsThreadIsMadeAgainAndItsRecordsAreNeverLost() throws {
        let f = try Fixture()
        var random = SeededRandom(seed: 31)
        try f.commit(ShingleSampleTests.text(12, &random), story: "kept")
        let index = try f.corpus.matchIndex()
        let from = try #require(try f.corpus.mainCommit()).hex
        let texts = (0..<3).map { _ in ShingleSampleTests.text(12, &random) }
        let (batch, ids) = try Self.pending(texts, in: f)
        // Another connection holds the write lock past the writer's 10 s wait: the write fails on its thread.
        let other = try Database(path: f.path + "/" + MatchIndex.fileName)
        try other.execute("BEGIN IMMEDIATE")
        try index.beginCheckpoint(batch.items, updated: [], from: from, to: "checkpoint-of-this-test")
        let pending = PendingMatches(firstID: batch.nextID, storing: batch)
        for text in texts { #expect(try index.candidates(TextSketch(Array(text.utf8)), pending: pending, minimumScore: 0.5).map(\.edition) == [ids[text]!]) }
        Thread.sleep(forTimeInterval: 12)
        try other.execute("COMMIT")
        #expect(try index.finishCheckpoint(waiting: true))
        #expect(index.checkpointsRetried == 1)
        #expect(try other.query("SELECT COUNT(*) FROM docs").first?.first?.int == 4)
        #expect(try other.query("SELECT value FROM meta WHERE key='main'").first?.first?.string == "checkpoint-of-this-test")
        // Made again on the index's own connection: each record once, stored and no longer pending.
        for text in texts { #expect(try index.candidates(TextSketch(Array(text.utf8)), pending: pending, minimumScore: 0.5).map(\.edition) == [ids[text]!]) }
        #expect(pending.storing == nil)
    }

    /// The records an import matched ahead of a checkpoint leave its batch (`removeLast`) as if
    /// never added, and go on pending after it: band postings, estimates, entries and texts are
    /// those of a batch that never held them.
    @Test func recordsTakenOffTheEndOfABatchLeaveItAsIfNeverAdded() throws {
        let f = try Fixture()
        var random = SeededRandom(seed: 57)
        var texts = (0..<6).map { _ in ShingleSampleTests.text(12, &random) }
        texts.append(texts[1]) // the same bytes again, as another story's record
        let (batch, ids) = try Self.pending(texts, in: f)
        let (kept, _) = try Self.pending(Array(texts.prefix(4)), in: f)
        let removed = batch.removeLast(3)
        #expect(removed.map(\.metadata.story) == ["story-4", "story-5", "story-6"])
        #expect(batch.nextID == kept.nextID)
        for text in texts {
            let sketch = TextSketch(Array(text.utf8))
            for band in sketch.signature.bands { #expect(batch.postings(band) == kept.postings(band)) }
            #expect(batch.text(of: ids[text]!) == kept.text(of: ids[text]!))
        }
        for id in batch.firstID..<(batch.firstID + 7) {
            #expect(batch.entry(id: id)?.edition == kept.entry(id: id)?.edition)
            #expect(batch.estimate(id: id)?.shingles == kept.estimate(id: id)?.shingles)
        }
        #expect(batch.contains(story: "story-3", source: "VNA", edition: ids[texts[3]]!))
        #expect(!batch.contains(story: "story-4", source: "VNA", edition: ids[texts[4]]!))
        #expect(!batch.contains(story: "story-6", source: "VNA", edition: ids[texts[1]]!))
        // The same bytes as an earlier record: still that record's text.
        #expect(batch.text(of: ids[texts[1]]!) == Array(texts[1].utf8))
    }
}

