/// How a unit of A and a unit of B (or a run of them) correspond, as `Collation.alignment`
/// reports it: the public face of the aligner's walk and of the token changes found inside it.
public struct AlignmentEntry: Sendable, Equatable {
    public enum Relation: String, Sendable, CaseIterable {
        /// Same bytes.
        case identical
        /// Every token change inside is accidental (house style).
        case accidentalOnly = "accidental_only"
        /// At least one substantive or boilerplate change inside.
        case reworded
        /// One unit of A became several of B.
        case split
        /// Several units of A became one of B.
        case merged
        /// The pair could not be kept in order: A's unit was taken out and put back elsewhere in B.
        case moved
        /// A unit only B has.
        case added
        /// A unit only A has.
        case deleted
    }

    public var relation: Relation
    /// Indices into `Collation.unitsA` (empty for `added`).
    public var a: Range<Int>
    /// Indices into `Collation.unitsB` (empty for `deleted`).
    public var b: Range<Int>
    /// Indices into `Collation.changes` of the changes inside the entry, in order; for `moved`,
    /// the deletion half then the insertion half (a moved block of several units shares them).
    public var changes: [Int]
    /// In [0, 1]. Pairs and spans: the share of their words the token diff matched (1 when nothing
    /// changed; 0 for a changed piece of boilerplate, which is one change, not a word diff). `moved`: the aligner's word-set similarity (Dice), since a
    /// moved unit's tokens are not diffed. `added` and `deleted`: 0.
    public var similarity: Double

    public init(relation: Relation, a: Range<Int>, b: Range<Int>, changes: [Int], similarity: Double) {
        self.relation = relation; self.a = a; self.b = b; self.changes = changes; self.similarity = similarity
    }
}

extension Collation {
    /// The alignment, in the order of the aligner's walk (A's order; a moved pair is listed where
    /// it lands in B). Every unit of A and of B is in exactly one entry.
    ///
    /// Built on each access from what the analyser recorded per step (O(units)), so a caller that
    /// never asks pays nothing for it: keep the value rather than asking twice.
    public var alignment: [AlignmentEntry] {
        var entries: [AlignmentEntry] = []
        entries.reserveCapacity(steps.count)
        // A move's two halves are separate steps: find each moved unit's deletion first.
        var deletionOfMovedA: [Int: Int] = [:]
        var partnerOfMovedB: [Int: (a: Int, score: Double)] = [:]
        if !movedPairs.isEmpty {
            for p in movedPairs { partnerOfMovedB[p.b] = (p.a, p.score) }
            for (k, step) in steps.enumerated() {
                if case .delete(let i, let move) = step, move != nil { deletionOfMovedA[i] = outcomes[k].changes.lowerBound }
            }
        }
        func words(_ r: Range<Int>, _ counts: [Int]) -> Int { r.reduce(0) { $0 + counts[$1] } }
        func relation(_ changes: Range<Int>) -> AlignmentEntry.Relation {
            if changes.isEmpty { return .identical }
            return self.changes[changes].allSatisfy { $0.kind == .accidental } ? .accidentalOnly : .reworded
        }
        func paired(_ ra: Range<Int>, _ rb: Range<Int>, _ outcome: StepOutcome) -> AlignmentEntry {
            let total = words(ra, wordCountsA) + words(rb, wordCountsB)
            // Nothing changed is 1 whatever was counted (a piece of boilerplate's words are not).
            let similarity = outcome.changes.isEmpty ? 1 : (total == 0 ? 0 : min(1, Double(outcome.matchedWords) / Double(total)))
            let r: AlignmentEntry.Relation = ra.count < rb.count ? .split : (ra.count > rb.count ? .merged : relation(outcome.changes))
            return AlignmentEntry(relation: r, a: ra, b: rb, changes: Array(outcome.changes), similarity: similarity)
        }
        for (k, step) in steps.enumerated() {
            let outcome = outcomes[k]
            switch step {
            case .pair(let i, let j):
                entries.append(paired(i..<(i + 1), j..<(j + 1), outcome))
            case .span(let ra, let rb):
                entries.append(paired(ra, rb, outcome))
            case .delete(let i, let move):
                if move == nil {
                    entries.append(AlignmentEntry(relation: .deleted, a: i..<(i + 1), b: 0..<0, changes: Array(outcome.changes), similarity: 0))
                }
            case .insert(let j, let move):
                if move != nil, let (i, score) = partnerOfMovedB[j] {
                    let halves = [deletionOfMovedA[i], outcome.changes.lowerBound].compactMap { $0 }
                    entries.append(AlignmentEntry(relation: .moved, a: i..<(i + 1), b: j..<(j + 1), changes: halves, similarity: score))
                } else {
                    entries.append(AlignmentEntry(relation: .added, a: 0..<0, b: j..<(j + 1), changes: Array(outcome.changes), similarity: 0))
                }
            }
        }
        return entries
    }
}
