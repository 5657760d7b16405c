import Collation
import Foundation
import Testing
import TestSupport

/// `--format unified` is a real unified diff: `patch` turns A into B with it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/patch"), "needs /usr/bin/patch"))
struct UnifiedPatchTests {
    let options = RenderOptions(a: WitnessLabel(title: "a.txt"), b: WitnessLabel(title: "b.txt"))

    func applies(_ a: String, _ b: String) throws -> Bool {
        let folder = TemporaryFolder()
        let target = folder.write("a.txt", a)
        let patchFile = folder.write("change.patch", Renderers.render(Collator.collate(a, b), as: .unified, options: options))
        let result = try run("/usr/bin/patch", ["-s", "--no-backup-if-mismatch", target, patchFile])
        return result.status == 0 && FileManager.default.contents(atPath: target) == Data(b.utf8)
    }

    @Test func patchTurnsAIntoB() throws {
        var pairs: [(String, String)] = RealShapedPages.pairs(count: 3).map { ($0.a, $0.b) }
        pairs += [("one\ntwo\nthree\n", "one\n2\nthree\n"),          // one line changed
                  ("no final newline", "no final newline, edited"),   // neither ends in a line feed
                  ("a\nb\n", "a\nb"), ("a\nb", "a\nb\n"),            // the final line feed added or dropped
                  ("", "new text\n"), ("old text\n", ""),              // from or to nothing
                  ("crlf\r\nlines\r\n", "crlf\r\nlines, edited\r\n"),
                  ((1...40).map { "line \($0)\n" }.joined(), (1...40).map { $0 == 5 || $0 == 30 ? "edited \($0)\n" : "line \($0)\n" }.joined())]
        if SharedSamples.available {
            pairs.append((String(decoding: SharedSamples.bytes(SharedSamples.wirePath), as: UTF8.self),
                          String(decoding: SharedSamples.bytes(SharedSamples.newspaperPath), as: UTF8.self)))
        }
        for (a, b) in pairs { #expect(try applies(a, b), "\(a.prefix(40)) → \(b.prefix(40))") }
    }

    @Test func hunksHaveLineNumbersContextAndKindCounts() {
        let a = (1...40).map { "Line \($0) is about cooperation.\n" }.joined()
        let b = a.replacingOccurrences(of: "Line 20 is about cooperation.", with: "Line 20 is about co-operation.")
            .replacingOccurrences(of: "Line 35 is", with: "Line 35 was")
        let out = Renderers.render(Collator.collate(a, b), as: .unified, options: options)
        let headers = out.split(separator: "\n").filter { $0.hasPrefix("@@") }
        #expect(headers == ["@@ -17,7 +17,7 @@ 1 accidental", "@@ -32,7 +32,7 @@ 1 substantive"])
        #expect(out.contains(" Line 19 is about cooperation.\n-Line 20 is about cooperation.\n+Line 20 is about co-operation.\n Line 21"))
        #expect(Renderers.render(Collator.collate(a, a), as: .unified, options: options).isEmpty)
    }
}
