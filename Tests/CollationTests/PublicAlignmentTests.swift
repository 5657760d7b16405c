import Collation
import Foundation
import JSON
import Testing
import TestSupport

/// `Collation.unitsA/unitsB/alignment`: the public view of how the units correspond.
@Suite struct PublicAlignmentTests {
    static let paragraphs = AlignmentTests.paragraphs
    static func text(_ ps: [String]) -> String { ps.joined(separator: "\n\n") + "\n" }

    /// Every unit of A and of B is in exactly one entry, and every change an entry names is real.
    static func checkCoverage(_ c: Collation, _ context: String = "") {
        var seenA = [Int](repeating: 0, count: c.unitsA.count), seenB = [Int](repeating: 0, count: c.unitsB.count)
        for e in c.alignment {
            for i in e.a { seenA[i] += 1 }
            for j in e.b { seenB[j] += 1 }
            #expect(e.changes.allSatisfy { c.changes.indices.contains($0) }, "\(context)")
            #expect(e.similarity >= 0 && e.similarity <= 1)
        }
        #expect(seenA.allSatisfy { $0 == 1 } && seenB.allSatisfy { $0 == 1 }, "\(context): \(seenA) \(seenB)")
    }

    @Test func unitsAreTheSentencesWithTheirBytes() {
        let a = "First sentence here. Second one follows.\n\nA new paragraph."
        let c = Collator.collate(a, a)
        #expect(c.unitsA.map { String(decoding: Array(a.utf8)[$0.range], as: UTF8.self) }
                == ["First sentence here.", "Second one follows.", "A new paragraph."])
        #expect(c.unitsA.map(\.paragraph) == [0, 0, 1])
        #expect(c.alignment.map(\.relation) == [.identical, .identical, .identical])
        #expect(c.alignment.allSatisfy { $0.similarity == 1 && $0.changes.isEmpty })
    }

    @Test func eachRelationIsReportedWithItsChanges() {
        let a = Self.text(Self.paragraphs)
        var p = Self.paragraphs
        p[0] = "The ministry announced a new plan for coastal provinces on monday." // case only
        p[2] = "Funding will come from the national budget and foreign partners over seven years." // reworded
        p.insert("A spokesman declined to comment further on the matter today.", at: 4) // added
        p.remove(at: 3) // deleted
        let c = Collator.collate(a, Self.text(p))
        Self.checkCoverage(c)
        let byA = Dictionary(c.alignment.compactMap { e in e.a.first.map { ($0, e) } }, uniquingKeysWith: { x, _ in x })
        #expect(byA[0]?.relation == .accidentalOnly)
        #expect(byA[0]?.changes.map { c.changes[$0].changeClass } == [.case])
        #expect(byA[1]?.relation == .identical && byA[1]?.similarity == 1)
        #expect(byA[2]?.relation == .reworded)
        #expect((byA[2]?.similarity ?? 1) < 1 && (byA[2]?.similarity ?? 0) > 0.3)
        #expect(byA[2]?.changes.contains { c.changes[$0].kind == .substantive } == true)
        #expect(byA[3]?.relation == .deleted && byA[3]?.b.isEmpty == true)
        #expect(byA[3]?.changes.map { c.changes[$0].changeClass } == [.sentenceDeleted])
        #expect(byA[4]?.relation == .identical)
        let added = c.alignment.filter { $0.relation == .added }
        #expect(added.count == 1 && added.first.map { c.unitsB[$0.b.lowerBound].range }.map { String(decoding: c.b[$0], as: UTF8.self) }
                == "A spokesman declined to comment further on the matter today.")
        #expect(added.first?.changes.map { c.changes[$0].changeClass } == [.sentenceAdded])
    }

    @Test func aMovedUnitIsOnePairNamingBothHalves() {
        var moved = Self.paragraphs
        moved.append(moved.remove(at: 1))
        let c = Collator.collate(Self.text(Self.paragraphs), Self.text(moved))
        Self.checkCoverage(c)
        let moves = c.alignment.filter { $0.relation == .moved }
        #expect(moves.count == 1)
        let m = try! #require(moves.first)
        #expect(m.a == 1..<2 && m.b == 4..<5 && m.similarity == 1)
        #expect(m.changes.count == 2 && Set(m.changes.map { c.changes[$0].move }).count == 1)
        #expect(m.changes.map { c.changes[$0].b.isEmpty } == [true, false]) // deletion half, then insertion half
    }

    @Test func aSplitSentenceIsOneEntry() {
        let a = "The talks began on Monday and ended on Friday with an agreement on rice exports.\n"
        let b = "The talks began on Monday. They ended on Friday with an agreement on rice exports.\n"
        let c = Collator.collate(a, b)
        Self.checkCoverage(c)
        #expect(c.alignment.map(\.relation) == [.split])
        #expect(c.alignment.first?.a == 0..<1 && c.alignment.first?.b == 0..<2)
        #expect(c.alignment.first?.changes.contains { c.changes[$0].changeClass == .sentenceSplit } == true)
    }

    @Test func mergedSentencesAreOneEntry() {
        let a = "The talks began on Monday. They ended on Friday with an agreement on rice exports.\n"
        let b = "The talks began on Monday and ended on Friday with an agreement on rice exports.\n"
        let c = Collator.collate(a, b)
        Self.checkCoverage(c)
        #expect(c.alignment.map(\.relation) == [.merged])
        #expect(c.alignment.first?.a == 0..<2 && c.alignment.first?.b == 0..<1)
    }

    @Test(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
    func theSamplePairIsCoveredAndItsCountsAgreeWithTheSummary() {
        let c = Collator.collate(SharedSamples.bytes(SharedSamples.wirePath), SharedSamples.bytes(SharedSamples.newspaperPath))
        Self.checkCoverage(c, "sample")
        let sentencesB = Set(c.unitsB.indices.filter { c.unitsB[$0].kind == .sentence })
        let added = c.alignment.filter { $0.relation == .added && sentencesB.contains($0.b.lowerBound) }.count
        #expect(added == c.summary.sentencesAdded)
        // Every change is named by some entry, or lies in the white space between units.
        let named = Set(c.alignment.flatMap(\.changes))
        for (k, change) in c.changes.enumerated() where !named.contains(k) {
            #expect(change.changeClass == .whitespace || c.aText(change).allSatisfy(\.isWhitespace) && c.bText(change).allSatisfy(\.isWhitespace),
                    "unnamed \(change.changeClass) \(c.aText(change)) → \(c.bText(change))")
        }
    }

    @Test func theJSONCarriesUnitsAndAlignmentWithIndicesIntoItsOwnChangeList() throws {
        var p = Self.paragraphs
        p[0] = "The ministry announced a new plan for coastal provinces on monday."
        p[2] = "Funding will come from the national budget and foreign partners over seven years."
        let c = Collator.collate(Self.text(Self.paragraphs), Self.text(p))
        for substantiveOnly in [false, true] {
            let options = RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"), substantiveOnly: substantiveOnly)
            let text = Renderers.render(c, as: .json, options: options)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let units = try #require(object["units"] as? [String: [[String: Any]]])
            #expect(units["a"]?.count == c.unitsA.count && units["b"]?.count == c.unitsB.count)
            #expect(units["a"]?.first?["kind"] as? String == "sentence")
            #expect(units["a"]?.first?["range"] as? [Int] == [c.unitsA[0].range.lowerBound, c.unitsA[0].range.upperBound])
            let changes = try #require(object["changes"] as? [[String: Any]])
            let alignment = try #require(object["alignment"] as? [[String: Any]])
            #expect(alignment.count == c.alignment.count)
            #expect(alignment.first?["relation"] as? String == "accidental_only")
            let first = (alignment.first?["changes"] as? [Int]) ?? []
            // With accidentals hidden, the accidental-only entry names none of the printed changes.
            #expect(substantiveOnly ? first.isEmpty : first.map { changes[$0]["class"] as? String } == ["case"])
            let reworded = try #require(alignment.first { $0["relation"] as? String == "reworded" })
            #expect(((reworded["changes"] as? [Int]) ?? []).allSatisfy { changes.indices.contains($0) && changes[$0]["kind"] as? String == "substantive" } )
        }
    }
}
