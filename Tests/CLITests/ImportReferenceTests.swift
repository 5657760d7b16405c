import Foundation
import Testing
import TestSupport

/// Issue 14 items 2, 3 and 4: references in a manifest, cycles, and exports that re-import.
@Suite struct ImportReferenceTests {
    @Test func aManifestsDerivedFromTakesEveryEditionReference() throws {
        let h = try CLIHarness()
        let original = CLIHarness.edition(try h.ok(["commit", h.text("a.txt", "The first edition."), "--story", "laos", "--source", "VNA", "--date", "2024-01-01"]))
        let newer = "The second edition."
        let newerID = try git(["hash-object", "--stdin"], input: Array(newer.utf8)).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try h.manifest("m.jsonl", [
            ["text": newer, "story": "laos", "source": "VNA", "date": "2024-01-02"],
            ["text": "From the one before the newest.", "story": "laos", "source": "VNS", "date": "2024-01-03", "derived_from": "laos:VNA~1"],
            ["text": "From the newest.", "story": "laos", "source": "TTXVN", "date": "2024-01-03", "derived_from": "laos:VNA"],
            ["text": "From an abbreviated id of an earlier line.", "story": "laos", "source": "AFP", "date": "2024-01-04",
             "derived_from": String(newerID.prefix(10))],
        ])
        try h.ok(["import", "m.jsonl"])
        let parents = Dictionary(try h.log("laos").map { ($0["source"] as! String, $0["derived_from"] as? String) }, uniquingKeysWith: { a, _ in a })
        #expect(parents["VNS"] == original)
        #expect(parents["TTXVN"] == newerID)
        #expect(parents["AFP"] == newerID)
    }

    @Test func aWrongReferenceToAnEarlierLineSaysWhatItLookedFor() throws {
        let h = try CLIHarness()
        try h.manifest("m.jsonl", [
            ["text": "The wire edition.", "story": "laos", "source": "VNA", "date": "2024-01-01"],
            ["text": "The paper's edition.", "story": "laos", "source": "VNS", "date": "2024-01-02", "derived_from": "laos:VNX"],
        ])
        let r = try h.stemma(["import", "m.jsonl"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("m.jsonl:2") && r.stderr.contains("laos from VNX") && r.stderr.contains("laos:VNA"), "\(r.stderr)")
    }

    @Test func commitRefusesADerivationThatIsTheEditionItselfOrClosesACycle() throws {
        let h = try CLIHarness()
        let a = h.text("a.txt", "Edition A."), b = h.text("b.txt", "Edition B.")
        let idA = CLIHarness.edition(try h.ok(["commit", a, "--story", "s", "--source", "VNA", "--date", "2024-01-01"]))
        let before = try h.state()
        let selfish = try h.stemma(["commit", a, "--story", "s", "--source", "VNA", "--date", "2024-01-01", "--derived-from", idA])
        #expect(selfish.status == 1 && selfish.stderr.contains("itself"), "\(selfish.stderr)")
        #expect(try h.state() == before)
        let idB = CLIHarness.edition(try h.ok(["commit", b, "--story", "s", "--source", "VNS", "--date", "2024-01-02", "--derived-from", idA]))
        let middle = try h.state()
        let cycle = try h.stemma(["commit", a, "--story", "s", "--source", "VNA", "--date", "2024-01-01", "--derived-from", "s:VNS"])
        #expect(cycle.status == 1 && cycle.stderr.contains("cycle") && cycle.stderr.contains(String(idB.prefix(12))), "\(cycle.stderr)")
        #expect(try h.state() == middle)
    }

    @Test func importRefusesACycleThroughEarlierLines() throws {
        let h = try CLIHarness()
        let a = "Edition A.", b = "Edition B."
        let idA = try git(["hash-object", "--stdin"], input: Array(a.utf8)).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try h.manifest("m.jsonl", [
            ["text": a, "story": "s", "source": "VNA", "date": "2024-01-01"],
            ["text": b, "story": "s", "source": "VNS", "date": "2024-01-02", "derived_from": idA],
            ["text": a, "story": "s", "source": "VNA", "date": "2024-01-01", "derived_from": "s:VNS"],
        ])
        let before = try h.state()
        let r = try h.stemma(["import", "m.jsonl"])
        #expect(r.status == 1 && r.stderr.contains("m.jsonl:3") && r.stderr.contains("cycle"), "\(r.stderr)")
        #expect(try h.state() == before)
    }

    /// What `import` must rebuild: every record's story, source, date, title, url, parent, bytes.
    func records(_ h: CLIHarness) throws -> [String] {
        let r = try h.ok(["export"])
        return String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    @Test func exportWritesParentsFirstSoImportRebuildsTheSameRecords() throws {
        let h = try CLIHarness()
        func commit(_ name: String, _ text: String, _ source: String, _ more: [String] = []) throws -> String {
            CLIHarness.edition(try h.ok(["commit", h.text(name, text), "--story", "s", "--source", source, "--date", "2024-01-01"] + more))
        }
        // A child recorded before its parent is: C is re-pointed at Q, recorded after it; P is
        // re-recorded (an update) after the editions derived from it.
        let p = try commit("p.txt", "Edition P.", "VNA")
        _ = try commit("c.txt", "Edition C.", "VNS", ["--derived-from", p])
        let q = try commit("q.txt", "Edition Q.", "TTXVN")
        _ = try commit("c.txt", "Edition C.", "VNS", ["--derived-from", q])
        _ = try commit("d.txt", "Edition D.", "AFP", ["--derived-from", q])
        _ = try commit("q.txt", "Edition Q.", "TTXVN", ["--derived-from", p, "--title", "Q, later"])
        let exported = try records(h)
        let out = try h.ok(["export"]).stdout
        h.folder.write("export.jsonl", out)
        let copy = try CLIHarness(corpus: false)
        try copy.ok(["init", copy.corpus])
        let r = try copy.stemma(["import", h.folder.file("export.jsonl")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try records(copy) == exported)
        // The order is parents first: every derived_from names an edition of an earlier line.
        var seen = Set<String>()
        for line in String(decoding: out, as: UTF8.self).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let parent = object["derived_from"] as? String { #expect(seen.contains(parent)) }
            seen.insert(object["edition"] as! String)
        }
    }
}
