import Testing
import TestSupport
@testable import Collation

/// Acceptance on the real VNA → VNS pair in ../shared/samples (skipped where it is absent).
@Suite(.enabled(if: SharedSamples.available, "needs ../shared/samples"))
struct SamplePairTests {
    let collation = Collator.collate(SharedSamples.bytes(SharedSamples.wirePath), SharedSamples.bytes(SharedSamples.newspaperPath))

    func changes(where a: String? = nil, b: String? = nil) -> [Change] {
        collation.changes.filter { c in
            (a == nil || collation.aText(c) == a!) && (b == nil || collation.bText(c) == b!)
        }
    }

    @Test func houseStyleIsAccidental() {
        for (old, new) in [("Vietnam", "Việt Nam"), ("Trong", "Trọng"), ("cooperation", "co-operation"), ("cooperative", "co-operative")] {
            let found = changes(where: old, b: new)
            #expect(!found.isEmpty, "\(old) → \(new) not reported as one change")
            #expect(found.allSatisfy { $0.kind == .accidental }, "\(old) → \(new): \(found.map(\.changeClass))")
        }
        // Every `Vietnam` of the wire, alone or in a compound, is one accidental (the counts come from the texts).
        let wire = String(decoding: collation.a, as: UTF8.self)
        let expected = wire.components(separatedBy: "Vietnam").count - 1 - (wire.components(separatedBy: "Vietnamese").count - 1)
        #expect(changes(where: "Vietnam", b: "Việt Nam").count == expected)
        // `Vietnam-China` → `Việt Nam-China` is `Vietnam` → `Việt Nam`: no change includes unchanged text.
        #expect(changes(where: "Vietnam-China", b: "Việt Nam-China").isEmpty)
    }

    @Test func rewordingIsSubstantive() {
        for (old, new) in [("congratulated", "noted"), ("during", "throughout")] {
            let found = changes(where: old, b: new)
            #expect(found.count == 1 && found[0].kind == .substantive, "\(old) → \(new)")
        }
        let recent = collation.changes.filter { collation.aText($0).contains("over the past time") }
        #expect(recent.count == 1)
        #expect(recent.first.map { collation.bText($0).contains("In recent times") && $0.kind == .substantive } == true)
    }

    @Test func sentenceAdditionsAndDeletions() {
        func trimmed(_ s: String) -> Substring { s.drop { $0.isWhitespace } }
        let deleted = collation.changes.filter { trimmed(collation.aText($0)).hasPrefix("High-level exchanges") }
        #expect(deleted.count == 1 && deleted[0].changeClass == .sentenceDeleted && deleted[0].b.isEmpty)
        let added = collation.changes.filter { trimmed(collation.bText($0)).hasPrefix("Wei met with President") }
        #expect(added.count == 1 && added[0].changeClass == .sentenceAdded && added[0].a.isEmpty)
        // The paragraph break before the added sentences is part of them, not a white-space change.
        #expect(!collation.changes.contains { $0.changeClass == .whitespace && $0.a.isEmpty })
    }

    @Test func boilerplateIsLabelled() {
        let classes = Set(collation.changes.filter { $0.kind == .boilerplate }.map(\.changeClass))
        #expect(classes == [.dateHeader, .caption, .byline])
        #expect(changes(where: "date 2021-04-27 ").first?.changeClass == .dateHeader
                || changes(where: "date 2021-04-27").first?.changeClass == .dateHeader)
        #expect(collation.changes.contains { $0.changeClass == .caption && collation.bText($0).contains("VNA/VNS Photo") })
        #expect(collation.changes.contains { $0.changeClass == .byline && collation.bText($0).hasSuffix("— VNS") })
    }

    @Test func paragraphSeparatorsAreOnlyWhitespace() {
        // Every blank-line difference is one accidental whitespace change, and nothing else mentions it.
        let separators = collation.changes.filter { collation.aText($0) == "\n\n\n\n" }
        #expect(separators.count >= 8)
        #expect(separators.allSatisfy { $0.changeClass == .whitespace && collation.bText($0) == "\n\n" })
        let others = collation.changes.filter { $0.changeClass != .whitespace && $0.changeClass != .sentenceDeleted }
        #expect(others.allSatisfy { !collation.aText($0).contains("\n\n\n") })
    }

    @Test func reconstructsTheNewspaperEdition() {
        #expect(reconstruct(collation) == collation.b)
    }
}

/// Replays the changes on A: the law every collation obeys.
func reconstruct(_ c: Collation) -> [UInt8] {
    var out: [UInt8] = []
    var position = 0
    for change in c.changes {
        precondition(change.a.lowerBound >= position, "changes overlap or are unsorted")
        out += c.a[position..<change.a.lowerBound]
        out += c.b[change.b]
        position = change.a.upperBound
    }
    out += c.a[position...]
    return out
}
