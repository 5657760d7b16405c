import Foundation
import Testing
import TestSupport

/// Issue 14 items 6 and 9: a manifest is read whole or not at all, and a line is bounded.
@Suite struct ImportStreamTests {
    func gzipped(_ h: CLIHarness, lines: Int) throws -> [UInt8] {
        let body = (1...lines).map { #"{"text": "Edition number \#($0).", "story": "s\#($0)", "source": "VNA", "date": "2024-01-01"}"# }
            .joined(separator: "\n") + "\n"
        let plain = h.folder.write("m.jsonl", body)
        _ = try run("/bin/gzip", ["-k", "-f", plain])
        return FileContents.bytes(plain + ".gz")
    }

    @Test func aTruncatedGzipManifestIsAnErrorAndWritesNothing() throws {
        let h = try CLIHarness()
        let whole = try gzipped(h, lines: 300)
        // Cut in the middle of the stream, and cut only the CRC/length trailer.
        for cut in [whole.count / 3, whole.count - 8] {
            h.folder.write("cut.jsonl.gz", Array(whole.prefix(cut)))
            let before = try h.state()
            let r = try h.stemma(["import", "cut.jsonl.gz"])
            #expect(r.status == 1, "cut at \(cut): \(r.out)")
            #expect(r.stderr.contains("cut short") && r.stderr.contains("line(s)"), "\(r.stderr)")
            #expect(try h.state() == before)
            #expect(try h.stemma(["import", "cut.jsonl.gz", "--keep-going"]).status != 0)
            #expect(try h.state() == before)
        }
        try h.ok(["import", "m.jsonl.gz"])
        #expect(try h.stemma(["stories"]).out.split(separator: "\n").count == 300)
    }

    @Test func maxBytesBoundsALineBeforeItIsParsed() throws {
        let h = try CLIHarness()
        let long = #"{"story": "big", "source": "VNA", "date": "2024-01-01", "text": ""# + String(repeating: "x", count: 200_000) + #""}"#
        let good = #"{"story": "small", "source": "VNA", "date": "2024-01-01", "text": "A short one."}"#
        for body in [long + "\n" + good + "\n", good + "\n" + long] { // the long line terminated, and at the end unterminated
            let file = h.folder.write("m.jsonl", body)
            let r = try h.stemma(["import", file, "--max-bytes", "1000", "--keep-going", "--json"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("longer than") && r.stderr.contains("--max-bytes 1000"), "\(r.stderr)")
            #expect(r.out.contains("\"failed\": 1"))
        }
        #expect(try h.log("small").count == 1)
        #expect(try h.stemma(["log", "big"]).status != 0)
    }

    @Test func aLongLineIsReadWhole() throws {
        let h = try CLIHarness()
        let text = String(repeating: "Một câu dài về Việt Nam. ", count: 200_000) // 5.6 MB of text in one line
        try h.manifest("m.jsonl", [["story": "long", "source": "VNA", "date": "2024-01-01", "text": text]])
        try h.ok(["import", "m.jsonl"])
        #expect(try h.ok(["show", "long:VNA"]).stdout == Array(text.utf8))
    }
}

/// Reads a file's bytes (empty when missing).
enum FileContents {
    static func bytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? [] }
}
