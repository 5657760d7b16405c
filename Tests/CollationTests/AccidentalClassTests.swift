import Testing
@testable import Collation

/// Every accidental class has a worked example here, and the engine labels it so: the walk-through
/// of docs/DESIGN.md "Adding an accidental class". A class added to `ChangeClass` without a fold,
/// a probe and a row below fails `everyAccidentalClassHasAnExample`.
@Suite struct AccidentalClassTests {
    static let examples: [ChangeClass: (a: String, b: String)] = [
        .diacritics: ("Trong", "Trọng"),
        .spelling: ("organization", "organisation"),
        .hyphenation: ("cooperation", "co-operation"),
        .case: ("Party", "party"),
        .punctuation: ("its", "it's"),
        .typography: ("\"quoted\"", "\u{201C}quoted\u{201D}"),
        .whitespace: ("\n\n\n\n", "\n\n"),
        .unicode: ("Tr\u{1ECD}ng", "Tro\u{0323}ng"),
    ]

    @Test func everyAccidentalClassHasAnExample() {
        #expect(Set(ChangeClass.allCases.filter { $0.kind == .accidental }) == Set(Self.examples.keys))
    }

    @Test func theClassifierNamesEachExample() {
        for (cls, pair) in Self.examples where cls != .whitespace {
            #expect(Classifier.accidental(pair.a, pair.b) == cls, "\(pair.a) → \(pair.b)")
        }
        #expect(Classifier.separator("\n\n\n\n", "\n\n") == .whitespace)
    }

    @Test func theEngineLabelsEachExampleInASentence() {
        for (cls, pair) in Self.examples {
            let a = cls == .whitespace ? "The talks began.\(pair.a)They ended." : "The talks with \(pair.a) began."
            let b = cls == .whitespace ? "The talks began.\(pair.b)They ended." : "The talks with \(pair.b) began."
            let c = Collator.collate(a, b)
            #expect(!c.changes.isEmpty && c.changes.allSatisfy { $0.changeClass == cls }, "\(pair.a) → \(pair.b): \(c.changes.map { (c.aText($0), c.bText($0), $0.changeClass) })")
        }
    }
}
