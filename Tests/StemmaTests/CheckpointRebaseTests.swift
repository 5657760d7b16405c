import Foundation
import Testing
import TestSupport
@testable import Stemma
import Git

/// Issue 18 §2: an import whose checkpoint finds main moved re-applies its commits on top of
/// the other writer's, merging into a record both wrote rather than dropping either's fields.
/// The other writer commits from inside the import (its progress callback), so the race is
/// the same every run.
@Suite struct CheckpointRebaseTests {
    static func line(_ i: Int) -> String {
        #"{"text": "Edition \#(i) of story \#(i % 50): rice exports rose.", "story": "s\#(i % 50)", "source": "VNA", "date": "2024-01-01"}"#
    }

    @Test func anotherWritersCommitsAndFieldsSurviveTheRebase() throws {
        let f = try Fixture()
        let manifest = f.folder.write("m.jsonl", (1...1_500).map(Self.line).joined(separator: "\n") + "\n")
        let other = try Corpus.open(at: f.path)
        func otherCommits(_ text: String, story: String, source: String, date: String, title: String? = nil) throws {
            let (pending, _) = try other.prepare(EditionDraft(bytes: Array(text.utf8), name: "other", story: story, source: source,
                                                              date: date, title: title, derivedFrom: nil))
            _ = try other.commit(pending)
        }
        var raced: Error? = nil
        let importer = Importer(corpus: f.corpus, options: ImportOptions()) { progress in
            // Lines 1…999 are written (in the pack, not on main yet); 1,000… are to come.
            guard progress.phase == "import", progress.read == 1_000, raced == nil else { return }
            do {
                try otherCommits("The other writer's own edition. — AFP", story: "other", source: "AFP", date: "2024-02-02")
                // Line 500's record, which the import wrote already, with another date and a title.
                try otherCommits("Edition 500 of story 0: rice exports rose.", story: "s0", source: "VNA", date: "2024-03-03", title: "Rice")
                // Line 1,200's record exactly as the import will write it.
                try otherCommits("Edition 1200 of story 0: rice exports rose.", story: "s0", source: "VNA", date: "2024-01-01")
            } catch { raced = error }
        }
        let report = try importer.run([ImportSource(path: manifest)])
        #expect(raced == nil, "\(String(describing: raced))")
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.progress.rebases == 1)
        // Line 500 now updates the other writer's record; line 1,200 was already there.
        #expect(report.progress.created == 1_498 && report.progress.updated == 1 && report.progress.skipped == 1, "\(report.progress)")

        let records = try f.corpus.log(story: "s0")
        #expect(records.count == 30)
        // The import's line gave the date; the title only the other writer gave, and it stays.
        let merged = try #require(records.first { $0.record.edition == (try? Repository.blobID(of: Array("Edition 500 of story 0: rice exports rose.".utf8)).hex) })
        #expect(merged.metadata.date == "2024-01-01" && merged.metadata.title == "Rice", "\(merged.metadata)")
        #expect(try f.corpus.log(story: "other").count == 1)
        // The import's commits (one less: line 1,200's record was on main) on top of the other writer's three.
        #expect(try git(["--git-dir", f.path, "rev-list", "--count", "main"]).out == "\(1 + 3 + 1_499)\n")
        let message = try git(["--git-dir", f.path, "log", "-1", "--format=%B", merged.commit]).out
        #expect(message.hasPrefix("Update VNA edition of s0 (2024-01-01): Rice"), "\(message)")
        #expect(try f.fsckClean())
        let verified = try f.corpus.verify()
        #expect(verified.isClean, "\(verified.problems.prefix(5))")
    }

    /// Items without a story match the editions the same import wrote before them, which are
    /// in the matching index but not yet on main. Another writer moving main meanwhile made the
    /// matching index catch up with main, dropping them: the later item started a story of its own.
    @Test func itemsStillMatchTheImportsOwnEditionsAfterAnotherWriterCommits() throws {
        let f = try Fixture()
        let dialogue = """
        date 2020-11-02 Hà Nội (VNA) – Việt Nam and China held the seventh defence strategy dialogue in Hà Nội on Monday, co-chaired by the deputy defence ministers of the two countries.

        The two sides reviewed border cooperation, joint patrols in the Gulf of Tonkin and training of young officers.

        They agreed to hold the next border defence friendship exchange in Lào Cai province next spring.
        """
        func json(_ object: [String: String]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        var lines = [try json(["text": dialogue])]
        lines += (2...1_000).map(Self.line)
        lines.append(try json(["text": dialogue.replacingOccurrences(of: "Monday", with: "Tuesday"), "source": "VNS"]))
        let manifest = f.folder.write("m.jsonl", lines.joined(separator: "\n") + "\n")
        let other = try Corpus.open(at: f.path)
        var raced: Error? = nil
        let importer = Importer(corpus: f.corpus, options: ImportOptions()) { progress in
            guard progress.phase == "import", progress.read == 1_000, raced == nil else { return }
            do {
                let (pending, _) = try other.prepare(EditionDraft(bytes: Array("Unrelated. — AFP".utf8), name: "other", story: "other",
                                                                  source: "AFP", date: "2024-02-02", title: nil, derivedFrom: nil))
                _ = try other.commit(pending)
            } catch { raced = error }
        }
        let report = try importer.run([ImportSource(path: manifest)])
        #expect(raced == nil && report.failures.isEmpty, "\(String(describing: raced)) \(report.failures)")
        var stories: [LoggedEdition] = []
        try f.corpus.index().forEachEdition { if $0.metadata.story.hasPrefix("2020-11-02") || $0.metadata.source == "VNS" { stories.append($0) } }
        let wire = try #require(stories.first { $0.metadata.source == "VNA" && $0.metadata.story.hasPrefix("2020-11-02") })
        let paper = try #require(stories.first { $0.metadata.source == "VNS" })
        #expect(paper.metadata.story == wire.metadata.story, "the re-filed dialogue started \(paper.metadata.story)")
    }
}
