import Collation
import Foundation
import Testing

/// A moved sentence that was also edited shows what changed inside it.
@Suite struct MoveInnerTests {
    static let a = "Hanoi met Lima.\n\nThe talks ended.\n\nSantos thanked Vietnam for its cooperation.\n\nBoth sides agreed to meet again next year.\n"
    static let b = "Santos thanked Việt Nam for its co-operation.\n\nHanoi met Lima.\n\nThe talks ended.\n\nBoth sides agreed to meet again next year.\n"

    func bytes(_ s: String, _ r: Range<Int>) -> String { String(decoding: Array(s.utf8)[r], as: UTF8.self) }

    @Test func aMovedEditedSentenceIsOneMoveWithItsAccidentalsInside() throws {
        let c = Collator.collate(Self.a, Self.b)
        let halves = c.changes.filter { $0.move != nil }
        #expect(halves.count == 2 && Set(halves.compactMap(\.move)).count == 1)
        #expect(halves.allSatisfy { $0.changeClass == .sentenceMoved && $0.kind == .substantive })
        let insertion = try #require(halves.first { $0.a.isEmpty })
        let deletion = try #require(halves.first { $0.b.isEmpty })
        #expect(deletion.inner.isEmpty)
        // Inner ranges point into A's old place and B's new place.
        let inner = insertion.inner.map { (cls: $0.changeClass, old: bytes(Self.a, $0.a), new: bytes(Self.b, $0.b)) }
        #expect(inner.count == 2, "\(inner)")
        #expect(inner.contains { $0.cls == .diacritics && $0.old == "Vietnam" && $0.new == "Việt Nam" })
        #expect(inner.contains { $0.cls == .hyphenation && $0.old == "cooperation" && $0.new == "co-operation" })
        #expect(insertion.inner.allSatisfy { deletion.a.contains($0.a.lowerBound) && insertion.b.contains($0.b.lowerBound) })
        // Nothing else changed: no stray additions or deletions.
        #expect(c.changes.filter { $0.move == nil && $0.kind == .substantive }.isEmpty)
        // The summary counts the move once and its accidentals by class.
        #expect(c.summary.classes[.sentenceMoved] == 1 && c.summary.kinds[.substantive] == 1)
        #expect(c.summary.classes[.diacritics] == 1 && c.summary.classes[.hyphenation] == 1 && c.summary.kinds[.accidental] == 2)
        #expect(c.summary.sentencesMoved == 1)
        // The reconstruction law still holds for the top-level list.
        var rebuilt: [UInt8] = [], position = 0
        for change in c.changes { rebuilt += c.a[position..<change.a.lowerBound] + c.b[change.b]; position = change.a.upperBound }
        rebuilt += c.a[position...]
        #expect(rebuilt == c.b)
    }

    @Test func everyViewShowsTheInnerChanges() {
        let c = Collator.collate(Self.a, Self.b)
        let options = RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"))
        let terminal = Renderers.render(c, as: .terminal, options: options)
        #expect(terminal.contains("{+Santos thanked {~Vietnam~>Việt Nam~} for its {~cooperation~>co-operation~}."))
        let html = Renderers.render(c, as: .html, options: options)
        #expect(html.contains("<span class=\"accidental\" title=\"accidental: diacritics\"><ins>Việt Nam</ins></span>"))
        let stats = Renderers.render(c, as: .stats, options: options)
        #expect(stats.contains("substantive\tsentence-moved\t1") && stats.contains("accidental\tdiacritics\t1"))
        let json = Renderers.render(c, as: .json, options: options)
        #expect(json.contains("\"inner\""))
        var hidden = options
        hidden.substantiveOnly = true
        #expect(!Renderers.render(c, as: .terminal, options: hidden).contains("{~"))
        #expect(!Renderers.render(c, as: .json, options: hidden).contains("\"inner\""))
        #expect(!Renderers.render(c, as: .stats, options: hidden).contains("accidental\t"))
    }
}
