import Foundation
import Testing
import TestSupport
@testable import Stemma
import Git

@Suite struct ImportExportTests {
    /// A small manifest of our own texts: three stories, wire and newspaper editions.
    static func writeManifest(in folder: TemporaryFolder, name: String = "manifest.jsonl", bad: Bool = false) -> String {
        var lines: [String] = []
        for s in 0..<3 {
            let wire = folder.write("texts/s\(s)-wire.txt", "Hanoi (VNA) \u{2013} Story \(s) begins here. It has a second sentence about cooperation.\n")
            _ = wire
            lines.append(#"{"path": "texts/s\#(s)-wire.txt", "story": "story-\#(s)", "date": "2022-01-0\#(s + 1)", "edition": 1, "bytes": 10}"#)
            lines.append(#"{"text": "HÀ NỘI — Story \#(s) begins here. It has a second sentence about co-operation. — VNS", "story": "story-\#(s)", "date": "2022-01-0\#(s + 1)", "derived_from": "story-\#(s):VNA", "title": "Story \#(s)"}"#)
        }
        if bad {
            lines.insert(#"{"text": "No conventions.", "story": "bad story", "date": "2022-01-01", "source": "VNA"}"#, at: 2)
            lines.insert("not json at all", at: 4)
        }
        return folder.write(name, lines.joined(separator: "\n") + "\n")
    }

    @Test func importsAManifestWithDerivations() throws {
        let f = try Fixture()
        let manifest = Self.writeManifest(in: f.folder)
        let report = try Importer(corpus: f.corpus, options: ImportOptions()).run([ImportSource(path: manifest)])
        #expect(!report.refused && report.failures.isEmpty)
        #expect(report.progress.created == 6)
        let log = try f.corpus.log(story: "story-1")
        #expect(log.map(\.metadata.source).sorted() == ["VNA", "VNS"])
        let paper = try #require(log.first { $0.metadata.source == "VNS" })
        #expect(paper.metadata.derivedFrom == log.first { $0.metadata.source == "VNA" }?.edition)
        #expect(paper.metadata.title == "Story 1")
        #expect(try f.fsckClean())
        #expect(try git(["--git-dir", f.path, "rev-list", "--count", "main"]).out == "7\n")
        // Objects went into packs, not loose files.
        #expect(try git(["--git-dir", f.path, "count-objects", "-v"]).out.contains("packs: 1"))
    }

    @Test func gzipManifestsAndFolders() throws {
        let f = try Fixture()
        let manifest = Self.writeManifest(in: f.folder)
        #expect(try run("/bin/gzip", ["-k", manifest]).status == 0)
        let report = try Importer(corpus: f.corpus, options: ImportOptions()).run([ImportSource(path: manifest + ".gz")])
        #expect(report.progress.created == 6)

        let g = try Fixture()
        g.folder.write("dir/flood-relief/wire.txt", "Hanoi (VNA) \u{2013} Flood relief arrives.\n")
        g.folder.write("dir/flood-relief/paper.txt", "Flood relief arrives in Huế. — VNS")
        g.folder.write("dir/flood-relief/paper.json", #"{"date": "2023-10-02", "title": "Relief"}"#)
        g.folder.write("dir/flood-relief/wire.json", #"{"date": "2023-10-01"}"#)
        let dirReport = try Importer(corpus: g.corpus, options: ImportOptions()).run([ImportSource(path: g.folder.file("dir"))])
        #expect(dirReport.failures.isEmpty, "\(dirReport.failures)")
        let log = try g.corpus.log(story: "flood-relief")
        #expect(log.map(\.metadata.source) == ["VNS", "VNA"])
        #expect(log[0].metadata.title == "Relief")
    }

    @Test func allOrNothingUnlessKeepGoing() throws {
        let f = try Fixture()
        let manifest = Self.writeManifest(in: f.folder, bad: true)
        let before = try f.snapshot()
        let refused = try Importer(corpus: f.corpus, options: ImportOptions()).run([ImportSource(path: manifest)])
        #expect(refused.refused && refused.failures.count == 2)
        // Each named by the manifest's path as given, and its line.
        #expect(refused.failures.contains { $0.hasPrefix(manifest + ":3:") && $0.contains("story") })
        #expect(refused.failures.contains { $0.hasPrefix(manifest + ":5:") && $0.contains("JSON") })
        #expect(try f.snapshot() == before)

        var options = ImportOptions()
        options.keepGoing = true
        let partial = try Importer(corpus: f.corpus, options: options).run([ImportSource(path: manifest)])
        #expect(!partial.refused && partial.progress.created == 6 && partial.failures.count == 2)
    }

    @Test func resumesAfterAnInterruptionBetweenCheckpoints() throws {
        let f = try Fixture()
        var lines: [String] = []
        for i in 0..<25 { lines.append(#"{"text": "Edition \#(i) text. — VNS", "story": "s\#(i % 4)", "date": "2022-02-01"}"#) }
        let manifest = f.folder.write("m.jsonl", lines.joined(separator: "\n"))
        var options = ImportOptions()
        options.checkpointEvery = 10
        options.interruptAfter = 17
        #expect(throws: ImportInterrupted.self) { _ = try Importer(corpus: f.corpus, options: options).run([ImportSource(path: manifest)]) }
        // The first checkpoint (10 editions) landed; the 7 after it did not.
        #expect(try f.corpus.stories().reduce(0) { $0 + $1.editions } == 10)
        #expect(try f.fsckClean())
        options.interruptAfter = nil
        let resumed = try Importer(corpus: f.corpus, options: options).run([ImportSource(path: manifest)])
        #expect(resumed.progress.skipped == 10 && resumed.progress.created == 15, "\(resumed.progress)")
        #expect(try Corpus.open(at: f.path).stories().reduce(0) { $0 + $1.editions } == 25)
        #expect(try f.fsckClean())
    }

    @Test func exportThenImportReproducesTheCorpus() throws {
        let f = try Fixture()
        let manifest = Self.writeManifest(in: f.folder)
        _ = try Importer(corpus: f.corpus, options: ImportOptions()).run([ImportSource(path: manifest)])
        try f.commit([0xEF, 0xBB, 0xBF] + Array("BOM and\r\nCRLF, no final newline".utf8), story: "awkward", title: "Odd \"quotes\"")
        for name in ["out.jsonl", "out.jsonl.gz"] {
            let out = f.folder.file(name)
            #expect(try Exporter(corpus: f.corpus).export(to: out) == 7)
            let g = try Fixture()
            let report = try Importer(corpus: g.corpus, options: ImportOptions()).run([ImportSource(path: out)])
            #expect(report.failures.isEmpty, "\(report.failures)")
            for story in ["story-0", "story-1", "story-2", "awkward"] {
                let original = try f.corpus.log(story: story).map { ($0.edition, $0.metadata) }
                let copy = try g.corpus.log(story: story).map { ($0.edition, $0.metadata) }
                #expect(original.map(\.0) == copy.map(\.0) && original.map(\.1) == copy.map(\.1), "\(story) via \(name)")
            }
            let awkward = try g.corpus.resolve("awkward:VNA")
            #expect(try g.corpus.text(of: awkward.edition) == [0xEF, 0xBB, 0xBF] + Array("BOM and\r\nCRLF, no final newline".utf8))
        }
    }
}
