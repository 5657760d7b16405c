import Collation
import Foundation
import Testing
import TestSupport

/// Moves only where order cannot be kept: over pages shaped like real live pages (updates
/// prepended with repeated advice, appended boilerplate, real moved blocks, swapped paragraphs,
/// repeated boilerplate with edits), the engine reports no more moved sentences than 1.3 times a
/// bound computed without it, and none where that bound is 0.
@Suite struct MoveBoundTests {
    @Test func movesStayNearTheLowerBound() {
        var reported = 0, bound = 0
        var spurious: [String] = []
        for pair in RealShapedPages.pairs(count: 40) {
            let c = Collator.collate(pair.a, pair.b)
            let lower = MoveBound.lowerBound(pair.a, pair.b)
            reported += c.summary.sentencesMoved
            bound += lower
            if lower == 0 && c.summary.sentencesMoved > 0 { spurious.append("\(pair.shape.rawValue): \(c.summary.sentencesMoved) moved") }
        }
        #expect(spurious.isEmpty, "moves where none are needed: \(spurious.prefix(5))")
        #expect(bound > 0) // the set holds real moves
        #expect(Double(reported) <= 1.3 * Double(bound), "reported \(reported) moved sentences, bound \(bound)")
    }

    @Test func aPageThatGrowsAtTheTopIsOneInsertion() {
        let advice = "Please ensure you are up to date with the latest advice."
        let updates = (1...8).map { "Update \($0): the ministry reported \($0 * 17) new cases. \(advice)" }
        let a = updates.dropLast().reversed().joined(separator: "\n\n") + "\n"
        let b = updates.reversed().joined(separator: "\n\n") + "\n"
        let c = Collator.collate(a, b)
        #expect(c.summary.sentencesMoved == 0)
        #expect(c.changes.allSatisfy { $0.a.isEmpty }, "\(c.changes.map { (c.aText($0), c.bText($0)) })")
        #expect(c.changes.map { c.bText($0) }.joined() == updates.last! + "\n\n")
    }

    @Test func theBoundCountsWhatCannotKeepItsOrder() {
        #expect(MoveBound.lowerBound("One. Two. Three.", "One. Two. Three.") == 0)
        #expect(MoveBound.lowerBound("One. Two. Three.", "Three. One. Two.") == 1)
        #expect(MoveBound.lowerBound("Việt Nam won.\n\nIt rained.", "it rained\n\nViet Nam won.") == 1)
        #expect(MoveBound.lowerBound("A one. A two.", "A three.") == 0)
    }
}
