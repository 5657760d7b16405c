import Foundation
import Testing
import TestSupport

/// An import matching items without a story in bulk (issue 17, import speed): its own records
/// wait in memory until a checkpoint puts them in the matching index at once. What it decides
/// must be what matching one item at a time decides: later items find earlier ones before and
/// after a checkpoint, the index holds each record once and the dates an import changed.
@Suite struct ImportMatchBulkTests {
    /// A news-like text of `sentences` sentences whose words depend on `seed` alone: texts of two
    /// seeds share no run of words long enough to be a shingle.
    static func story(_ seed: UInt64, sentences: Int = 10) -> String {
        let words = ["ministry", "province", "export", "rice", "coffee", "harbour", "council", "budget", "river", "bridge",
                     "teacher", "school", "farmer", "market", "price", "festival", "railway", "station", "hospital", "doctor",
                     "village", "road", "power", "plant", "forest", "coast", "storm", "flood", "factory", "worker",
                     "delegation", "meeting", "agreement", "trade", "investment", "project", "museum", "library", "court", "police"]
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(words.count))
        }
        return (0..<sentences).map { _ in
            let sentence = (0..<12).map { _ in words[next()] }.joined(separator: " ")
            return sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
        }.joined(separator: " ") + "\n"
    }

    /// `text` as a desk edits it: a word changed in a few sentences.
    static func edited(_ text: String) -> String {
        var sentences = text.components(separatedBy: ". ")
        for i in stride(from: 1, to: sentences.count, by: 3) { sentences[i] = "Officials said " + sentences[i].lowercased() }
        return sentences.joined(separator: ". ")
    }

    func records(_ h: CLIHarness) throws -> [[String: Any]] {
        let found = try h.ok(["find", "--json", "--limit", "0"])
        return try JSONSerialization.jsonObject(with: Data(found.stdout)) as? [[String: Any]] ?? []
    }

    func id(_ text: String) throws -> String {
        try git(["hash-object", "--stdin"], input: Array(text.utf8)).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func twoLinesOfOneTextWithoutAStoryAreOneRecord() throws {
        let h = try CLIHarness()
        let a = Self.story(1), b = Self.story(2)
        let manifest = try h.manifest("m.jsonl", [
            ["text": a, "source": "VNA", "date": "2024-05-01"],
            ["text": b, "source": "VNA", "date": "2024-05-01"],
            ["text": a, "source": "VNA", "date": "2024-05-01", "title": "The same text again"],
        ])
        let r = try h.ok(["import", manifest, "--quiet"])
        #expect(r.out.contains("2 added") && r.out.contains("1 merged"), "\(r.out)")
        let found = try records(h)
        #expect(found.count == 2)
        let record = found.first { $0["edition"] as? String == (try? id(a)) }
        // Written once, at the last line about it, with what that line adds.
        #expect(record?["title"] as? String == "The same text again")
    }

    /// A line with a story, then the same text and source without one: matching gives the second
    /// the first's story, so it is an update of a record still in the unfinished pack.
    @Test func aLineWithoutAStoryUpdatesTheRecordAnEarlierLineWrote() throws {
        let h = try CLIHarness()
        let a = Self.story(3)
        let manifest = try h.manifest("m.jsonl", [
            ["text": a, "story": "s1", "source": "VNA", "date": "2024-05-01"],
            ["text": a, "source": "VNA", "date": "2024-05-01", "title": "Given later"],
        ])
        let r = try h.ok(["import", manifest, "--quiet"])
        #expect(r.out.contains("1 added") && r.out.contains("1 updated"), "\(r.out)")
        let found = try records(h)
        #expect(found.count == 1 && found.first?["story"] as? String == "s1" && found.first?["title"] as? String == "Given later", "\(found)")
    }

    /// Two sources' editions of one story on one day, imported without stories and then again:
    /// the second run writes nothing. (It gave the wire the paper as its parent, an update that
    /// closed a cycle, since the paper derives from the wire.) Committing the wire again without a
    /// story writes nothing either.
    @Test func anImportWithoutStoriesRunAgainWritesNothing() throws {
        let h = try CLIHarness()
        let wire = Self.story(20), paper = Self.edited(wire)
        let manifest = try h.manifest("m.jsonl", [
            ["text": wire, "source": "VNA", "date": "2024-05-01"],
            ["text": paper, "source": "VNS", "date": "2024-05-01"],
        ])
        let first = try h.ok(["import", manifest, "--quiet"])
        #expect(first.out.contains("2 added"), "\(first.out)")
        let paperRecord = try records(h).first { $0["source"] as? String == "VNS" }
        #expect(paperRecord?["derived_from"] as? String == (try id(wire)))
        let before = try h.state()
        let again = try h.ok(["import", manifest, "--quiet"])
        #expect(again.out.contains("0 added, 0 updated"), "\(again.out)")
        #expect(again.stderr.contains("2 joined the story they matched (2 of them recorded there already)"), "\(again.stderr)")
        let commit = try h.ok(["commit", h.text("wire.txt", wire), "--source", "VNA", "--date", "2024-05-01"])
        #expect(commit.status == 0)
        #expect(try h.state() == before)
        #expect(try h.stemma(["verify"]).status == 0)
    }

    /// The paper listed before the wire on the same day: the wire joins the paper's story but is
    /// not derived from it, since the paper credits the wire (its byline and photo credit name
    /// VNA) and the wire credits no paper. Listed the usual way round, the paper derives from the wire.
    @Test func aWireListedAfterTheSameDaysPaperThatCreditsItIsNotItsChild() throws {
        let wire = Self.story(30), paper = "VNA/VNS Photo Minh Đức\n\n" + Self.edited(wire) + "— VNS\n"
        for paperFirst in [true, false] {
            let h = try CLIHarness()
            let lines: [[String: Any]] = [["text": paper, "source": "VNS", "date": "2024-05-01"], ["text": wire, "source": "VNA", "date": "2024-05-01"]]
            let r = try h.ok(["import", try h.manifest("m.jsonl", paperFirst ? lines : lines.reversed())])
            let found = try records(h)
            let wireRecord = found.first { $0["source"] as? String == "VNA" }, paperRecord = found.first { $0["source"] as? String == "VNS" }
            #expect(wireRecord?["story"] as? String == paperRecord?["story"] as? String, "\(found)")
            #expect(wireRecord?["derived_from"] == nil || wireRecord?["derived_from"] is NSNull, "\(found)")
            if paperFirst {
                #expect(r.stderr.contains("1 not derived from an edition of the same day that credits their source"), "\(r.stderr)")
            } else {
                #expect(paperRecord?["derived_from"] as? String == (try id(wire)), "\(found)")
            }
        }
    }

    @Test func laterItemsJoinEarlierOnesOnBothSidesOfACheckpoint() throws {
        let h = try CLIHarness()
        let wire = Self.story(10), other = Self.story(11)
        let paper = Self.edited(wire), update = Self.edited(paper)
        #expect(paper != wire && update != paper)
        let manifest = try h.manifest("m.jsonl", [
            ["text": wire, "source": "VNA", "date": "2024-05-01"],
            ["text": other, "source": "VNA", "date": "2024-05-01"],
            ["text": paper, "source": "VNS", "date": "2024-05-02"],
            ["text": update, "source": "VNS", "date": "2024-05-03"],
        ])
        // A checkpoint after every two records: the paper finds the wire in the matching index,
        // the update finds the paper among the records written since.
        let r = try h.ok(["import", manifest, "--checkpoint", "2", "--quiet"])
        #expect(r.stderr.contains("4 item(s) without a story: 2 joined the story they matched, 2 started a new one"), "\(r.stderr)")
        let found = try records(h)
        func story(_ text: String) throws -> String? { found.first { $0["edition"] as? String == (try? id(text)) }?["story"] as? String }
        let wireStory = try story(wire), otherStory = try story(other)
        let paperStory = try story(paper), updateStory = try story(update)
        #expect(wireStory != nil && wireStory != otherStory)
        #expect(paperStory == wireStory)
        #expect(updateStory == wireStory)
        // The matching index holds each record once.
        let m = try h.ok(["match", h.text("q.txt", update), "--json", "-n", "10"])
        let listed = (try JSONSerialization.jsonObject(with: Data(m.stdout)) as? [[String: Any]] ?? []).compactMap { $0["edition"] as? String }
        let expected = [try id(paper), try id(update), try id(wire)].sorted()
        #expect(listed.sorted() == expected, "\(listed)")
    }

    @Test func anImportThatChangesARecordsDateLeavesTheMatchingIndexWithTheNewDate() throws {
        let h = try CLIHarness()
        let wire = Self.story(20)
        try h.ok(["commit", h.text("wire.txt", wire), "--story", "harbour-2024", "--source", "VNA", "--date", "2024-05-01"])
        try h.ok(["match", "wire.txt"]) // the matching index is in use from here on
        let manifest = try h.manifest("m.jsonl", [
            ["text": wire, "story": "harbour-2024", "source": "VNA", "date": "2024-05-04"], // an update: a new date
            ["text": Self.edited(wire), "source": "VNS", "date": "2024-05-05"], // matched, so the index is used
        ])
        try h.ok(["import", manifest, "--quiet"])
        let m = try h.ok(["match", h.text("q.txt", Self.edited(wire)), "--json"])
        let listed = try JSONSerialization.jsonObject(with: Data(m.stdout)) as? [[String: Any]] ?? []
        let entry = listed.first { $0["edition"] as? String == (try? id(wire)) }
        #expect(entry?["date"] as? String == "2024-05-04", "\(listed)")
        #expect(listed.count == 2)
    }

    /// Matching runs ahead of the writer, so every checkpoint ends among items matched already.
    /// With a checkpoint every three records, and lines that write nothing new (a record already
    /// there, two lines of one text), the matching index the import leaves holds what a rebuild
    /// from git holds: each new record once, none that was not written.
    @Test func theMatchingIndexAnImportLeavesIsTheOneARebuildMakes() throws {
        let h = try CLIHarness()
        let wires = (30..<38).map { Self.story(UInt64($0)) }
        try h.ok(["commit", h.text("old.txt", wires[0]), "--story", "old-story", "--source", "VNA", "--date", "2024-05-01"])
        try h.ok(["match", "old.txt"]) // the matching index is in use from here on
        var lines: [[String: Any]] = [["text": wires[0], "story": "old-story", "source": "VNA", "date": "2024-05-01"]] // there already
        for (n, wire) in wires.enumerated().dropFirst() {
            lines.append(["text": wire, "source": "VNA", "date": "2024-05-0\(n % 5 + 1)"])
            lines.append(["text": Self.edited(wire), "source": "VNS", "date": "2024-05-0\(n % 5 + 2)"])
            if n % 3 == 0 { lines.append(["text": wire, "source": "VNA", "date": "2024-05-0\(n % 5 + 1)", "title": "Again"]) }
        }
        let r = try h.ok(["import", try h.manifest("m.jsonl", lines), "--checkpoint", "3", "--quiet"])
        #expect(r.out.contains("\(2 * (wires.count - 1)) added"), "\(r.out)")
        let found = try records(h)
        #expect(found.count == 2 * wires.count - 1)
        func matches() throws -> [String] {
            var all: [String] = []
            for (n, wire) in wires.enumerated() {
                let m = try h.ok(["match", h.text("q\(n).txt", wire), "--json", "-n", "50"])
                let listed = try JSONSerialization.jsonObject(with: Data(m.stdout)) as? [[String: Any]] ?? []
                all += listed.map { "\(n) \($0["edition"] ?? "") \($0["story"] ?? "") \($0["source"] ?? "") \($0["date"] ?? "")" }
            }
            return all
        }
        let live = try matches()
        // Each edition's wire and paper, and nothing else: no record twice, none missing.
        #expect(live.count == 2 * wires.count - 1, "\(live)")
        try FileManager.default.removeItem(atPath: h.corpus + "/stemma-match.sqlite")
        let rebuilt = try matches()
        #expect(rebuilt == live, "rebuilt \(rebuilt), live \(live)")
    }
}

