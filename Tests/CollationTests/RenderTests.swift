import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Collation

@Suite struct RenderTests {
    let collation = Collator.collate(Array(DemoCorpusTexts.wire.utf8), Array(DemoCorpusTexts.paper.utf8))
    let options = RenderOptions(a: WitnessLabel(path: "a.txt", title: "a.txt"), b: WitnessLabel(path: "b.txt", title: "b & <b>"))

    @Test func jsonFollowsTheContract() throws {
        let text = Renderers.render(collation, as: .json, options: options)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let a = try #require(object["a"] as? [String: Any])
        #expect(a["path"] as? String == "a.txt" && a["id"] is NSNull && (a["bytes"] as? Int) == collation.a.count)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["similarity"] is Double || summary["similarity"] is Int)
        #expect((summary["kinds"] as? [String: Int])?.keys.sorted() == ["accidental", "boilerplate", "substantive"])
        #expect((summary["sentences"] as? [String: Int])?.keys.sorted() == ["accidental_only", "added", "deleted", "merged", "moved", "reworded", "split", "unchanged"])
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == collation.changes.count)
        var rebuilt = [UInt8](), position = 0
        for c in changes {
            let range = try #require(c["a"] as? [Int])
            rebuilt += collation.a[position..<range[0]]
            rebuilt += Array((c["b_text"] as? String ?? "").utf8)
            position = range[1]
            #expect(["accidental", "substantive", "boilerplate"].contains(c["kind"] as? String ?? ""))
        }
        rebuilt += collation.a[position...]
        #expect(rebuilt == collation.b)
    }

    @Test func htmlIsOneWellFormedSelfContainedPage() throws {
        let html = Renderers.render(collation, as: .html, options: options)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html.contains("b &amp; &lt;b&gt;"))
        // Well-formed: after the doctype and void <meta>, it parses as XML.
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
        let parser = XMLParser(data: Data(body.utf8))
        #expect(parser.parse(), "HTML is not well-formed: \(String(describing: parser.parserError))")
        #expect(html.contains("id=\"move-1-a\"") && html.contains("href=\"#move-1-b\""))
    }

    @Test func terminalHonoursColourAndSubstantiveOnly() {
        var plain = options
        plain.colour = false
        let text = Renderers.render(collation, as: .terminal, options: plain)
        #expect(!text.contains("\u{1B}["))
        #expect(text.contains("{~cooperation~>co-operation~}"))
        var coloured = options
        coloured.colour = true
        #expect(Renderers.render(collation, as: .terminal, options: coloured).contains("\u{1B}[31m"))
        plain.substantiveOnly = true
        let substantive = Renderers.render(collation, as: .terminal, options: plain)
        #expect(!substantive.contains("{~") && substantive.contains("co-operation"))
    }

    @Test func statsAndUnified() {
        let stats = Renderers.render(collation, as: .stats, options: options)
        #expect(stats.contains("accidental\thyphenation\t"))
        #expect(stats.contains("boilerplate\tcaption\t1"))
        let hunks = Renderers.render(collation, as: .hunks, options: options)
        #expect(hunks.hasPrefix("--- a/a.txt\n+++ b/b & <b>\n@@ "))
        #expect(hunks.contains("accidental/spelling"))
    }
}
