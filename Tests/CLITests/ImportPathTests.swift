import Foundation
import Testing
import TestSupport

/// Issue 14 items 1 and 7: where an import reads its texts from, and what it refuses to read.
@Suite struct ImportPathTests {
    let line: [String: Any] = ["path": "texts/a.txt", "story": "laos", "source": "VNA", "date": "2024-01-01"]

    @Test func manifestPathsResolveAgainstTheManifestsFolderWhateverItsPathLooksLike() throws {
        let h = try CLIHarness()
        h.text("dir/texts/a.txt", "A text about Laos.")
        try h.manifest("dir/manifest.jsonl", [line])
        try FileManager.default.createDirectory(atPath: h.folder.file("sibling"), withIntermediateDirectories: true)
        let first = try h.ok(["import", "manifest.jsonl", "--json"], in: h.folder.file("dir")) // a bare name
        #expect(first.out.contains("\"created\": 1"))
        for (path, dir) in [("./manifest.jsonl", h.folder.file("dir")), ("dir/manifest.jsonl", h.folder.path),
                            ("../dir/manifest.jsonl", h.folder.file("sibling")), (h.folder.file("dir/manifest.jsonl"), "/")] {
            let again = try h.ok(["import", path, "--json"], in: dir)
            #expect(again.out.contains("\"created\": 0") && again.out.contains("\"skipped\": 1"), "\(path): \(again.out)")
        }
        #expect(try h.log("laos").count == 1)
    }

    /// An edition's text given as a source is refused as such, in one line, and nothing of the
    /// import is written (not one "not a JSON object" per line of the text).
    @Test func aTextGivenAsAManifestIsRefusedWithWhatToDo() throws {
        let h = try CLIHarness()
        let text = h.text("wire.txt", "Hanoi (VNA) – First line.\nSecond line.\nThird line.\n")
        h.text("texts/a.txt", "A text about Laos.")
        let manifest = try h.manifest("manifest.jsonl", [line])
        let before = try h.state()
        let r = try h.stemma(["import", manifest, text])
        #expect(r.status == 1)
        #expect(r.stderr == "stemma: \(text) is a text, not a manifest: record it with 'stemma commit \(text)', or import a folder of texts or a JSON Lines manifest\n", "\(r.stderr)")
        #expect(try h.state() == before)
    }

    /// A line's path that names a folder, or nothing, says which.
    @Test func aLinePathThatIsAFolderOrMissingSaysWhich() throws {
        let h = try CLIHarness()
        try FileManager.default.createDirectory(atPath: h.folder.file("texts/sub"), withIntermediateDirectories: true)
        var folder = line; folder["path"] = "texts/sub"
        var missing = line; missing["path"] = "texts/none.txt"
        let r = try h.stemma(["import", try h.manifest("m.jsonl", [folder, missing]), "--keep-going"])
        #expect(r.stderr.contains("m.jsonl:1: texts/sub: is a folder, not a file"), "\(r.stderr)")
        #expect(r.stderr.contains("m.jsonl:2: texts/none.txt: no such file"), "\(r.stderr)")
    }

    /// A field the text does not hold is asked for where an import takes it, the manifest named
    /// by the path it was given as: a key of the line, or of a folder text's sidecar.
    @Test func aMissingFieldIsAskedForWhereTheImportTakesIt() throws {
        let h = try CLIHarness()
        h.text("in/texts/a.txt", "A text with no header.")
        var noDate = line; noDate["date"] = nil
        var noSource = line; noSource["source"] = nil
        try h.manifest("in/m.jsonl", [noDate, noSource])
        let r = try h.stemma(["import", "in/m.jsonl"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("in/m.jsonl:1: no leading 'date YYYY-MM-DD' header to infer the date from; give it as \"date\" in the line"), "\(r.stderr)")
        #expect(r.stderr.contains("in/m.jsonl:2: cannot infer the source from the text; give it as \"source\" in the line"), "\(r.stderr)")
        #expect(!r.stderr.contains("give it with"), "\(r.stderr)")
        let folder = try h.stemma(["import", "in/texts"])
        #expect(folder.status == 1 && folder.stderr.contains("in/texts/a.txt: cannot infer the source from the text; give it as \"source\" in the text's .json sidecar"),
                "\(folder.stderr)")
    }

    @Test func aFolderGivenByARelativeNameIsReadOnce() throws {
        let h = try CLIHarness()
        h.text("fold/laos/a.txt", "A text about Laos.")
        h.text("fold/laos/a.json", #"{"source": "VNA", "date": "2024-01-01"}"#)
        let r = try h.ok(["import", "fold", "--json"])
        #expect(r.out.contains("\"created\": 1"))
        #expect(try h.log("laos").first?["source"] as? String == "VNA")
    }

    @Test func dashReadsAManifestFromStandardInputWithPathsFromTheCurrentFolder() throws {
        let h = try CLIHarness()
        h.text("dir/texts/a.txt", "A text about Laos.")
        let manifest = String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
        let r = try h.ok(["import", "-", "--json"], input: Array(manifest.utf8), in: h.folder.file("dir"))
        #expect(r.out.contains("\"created\": 1"))
        let bad = try h.stemma(["import", "-", "-"], input: [])
        #expect(bad.status != 0)
    }

    @Test func manifestPathsOutsideTheManifestsFolderAreRefusedUnlessAllowed() throws {
        let h = try CLIHarness()
        h.text("secret.txt", "Somebody else's file.")
        for path in ["../secret.txt", "../../../../../../../../etc/passwd", h.folder.file("secret.txt")] {
            try h.manifest("dir/manifest.jsonl", [["path": path, "story": "leak", "source": "VNA", "date": "2024-01-01"]])
            let before = try h.state()
            let r = try h.stemma(["import", "dir/manifest.jsonl"])
            #expect(r.status == 1, "\(path) was imported")
            #expect(r.stderr.contains("outside") && r.stderr.contains("--allow-outside"), "\(r.stderr)")
            #expect(try h.state() == before)
        }
        try h.manifest("dir/manifest.jsonl", [["path": "../secret.txt", "story": "leak", "source": "VNA", "date": "2024-01-01"]])
        try h.ok(["import", "dir/manifest.jsonl", "--allow-outside"])
        #expect(try h.log("leak").count == 1)
    }

    @Test func folderImportsDoNotFollowSymbolicLinksOutOfTheFolder() throws {
        let h = try CLIHarness()
        h.text("secret.txt", "Somebody else's file.")
        try FileManager.default.createDirectory(atPath: h.folder.file("fold/leak"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: h.folder.file("fold/leak/a.txt"), withDestinationPath: "../../secret.txt")
        h.text("fold/leak/a.json", #"{"source": "VNA", "date": "2024-01-01"}"#)
        let before = try h.state()
        let r = try h.stemma(["import", "fold"])
        #expect(r.status == 1 && r.stderr.contains("outside"), "\(r.stderr)")
        #expect(try h.state() == before)
        try h.ok(["import", "fold", "--allow-outside"])
    }
}
