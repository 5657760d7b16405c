import Collation

/// One unit (sentence or piece of boilerplate) of a blamed edition: where it first appeared in
/// the edition's derivation ancestry and how it arrived here.
public struct BlameLine: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// The origin's bytes, unchanged on the way.
        case unchanged
        /// Only accidental (house-style) changes on the way; `classes` says which.
        case accidentalOnly = "accidental_only"
        /// Reworded on the way (`similarity` says how much is left of it), moved or not.
        case reworded
        /// Part of a sentence of the origin that was split, or several merged into this one.
        case split, merged
        /// First seen in this edition: the origin is the edition itself.
        case new
    }
    /// Half-open UTF-8 byte range into the edition.
    public var range: Range<Int>
    /// A story sentence, or which piece of boilerplate.
    public var kind: TextUnit.Kind
    public var text: String
    public var status: Status
    /// Index of the origin in the chain the blame was computed over (0 = the oldest ancestor).
    public var origin: Int
    /// The change classes met on the way, in the engine's order (empty for `unchanged` and `new`).
    public var classes: [ChangeClass]
    /// The lowest similarity of a step on the way (1 for `unchanged`); nil for `new`.
    public var similarity: Double?
}

/// Sentence blame over a derivation chain, one collation per link: each unit of the last
/// edition is traced back through the alignments to the oldest edition holding it.
///
/// The rule for a unit that disappears and comes back (WikiWho's reinsertion rule): a unit an
/// edition drops is remembered with its origin, and a unit a later edition adds that folds to the
/// same text (case, diacritics, spelling, typography and joiners folded) takes that origin back
/// rather than being `new`. Work beyond the k collations is O(units) per link, plus, for each
/// added unit, a scan of the dropped units of about its length (folded only when one is found).
public enum SentenceBlame {
    /// `texts`: the chain oldest first (each derived from the one before); `collations[i]`
    /// compares `texts[i]` with `texts[i + 1]` (so there is one fewer). Blames the last text.
    public static func blame(texts: [[UInt8]], collations: [Collation]) -> [BlameLine] {
        precondition(!texts.isEmpty && collations.count == texts.count - 1, "SentenceBlame: one collation per link of the chain")
        var units = collations.first?.unitsA ?? Segmenter.segment(texts[0]).units
        var current = units.map { _ in Trace(origin: 0) }
        var dropped = DroppedUnits()
        for (link, c) in collations.enumerated() {
            current = step(current, c, link: link + 1, dropped: &dropped)
            units = c.unitsB
        }
        let last = texts[texts.count - 1]
        return zip(units, current).map { unit, trace in
            BlameLine(range: unit.range, kind: unit.kind, text: String(decoding: last[unit.range], as: UTF8.self), status: trace.status,
                      origin: trace.origin, classes: trace.classes.classes,
                      similarity: trace.status == .new ? nil : trace.similarity)
        }
    }

    /// What is known of one unit: its origin and what happened to it since.
    struct Trace {
        var origin: Int
        var status: BlameLine.Status = .new
        var classes = ClassSet()
        var similarity = 1.0

        /// This trace carried over one more link, whose relation is `relation`.
        func carried(_ relation: BlameLine.Status, classes more: ClassSet, similarity s: Double) -> Trace {
            var t = self
            if t.status == .new { t.status = .unchanged }
            // The strongest change on the way names the status; split and merged outrank plain rewording.
            if rank(relation) > rank(t.status) || (rank(relation) == rank(t.status) && t.status == .reworded) { t.status = relation }
            t.classes.bits |= more.bits
            t.similarity = min(t.similarity, s)
            return t
        }

        private func rank(_ s: BlameLine.Status) -> Int {
            switch s {
            case .new, .unchanged: return 0
            case .accidentalOnly: return 1
            case .reworded, .split, .merged: return 2
            }
        }
    }

    /// Change classes as bits, in `ChangeClass.allCases` order (a trace per unit per link: no
    /// set to allocate, no string hashing of the class names).
    struct ClassSet {
        var bits: UInt32 = 0
        init() {}
        static let order = ChangeClass.allCases
        init(_ c: Collation, _ changes: [Int]) {
            for k in changes { bits |= 1 << UInt32(Self.order.firstIndex(of: c.changes[k].changeClass)!) }
        }
        init(_ changes: [Change]) {
            for change in changes { bits |= 1 << UInt32(Self.order.firstIndex(of: change.changeClass)!) }
        }
        var classes: [ChangeClass] {
            bits == 0 ? [] : Self.order.enumerated().compactMap { bits & (1 << UInt32($0.offset)) != 0 ? $0.element : nil }
        }
    }

    /// Units dropped so far, for the reinsertion rule. Folding a sentence costs more than
    /// aligning it, so a unit is folded only when an added unit of about its length (folding
    /// changes a length by under a third) has to be compared with it, and then only once. A unit
    /// dropped by the same link is never compared: the aligner has already found it unlike
    /// everything that link added.
    struct DroppedUnits {
        var units: [(bytes: ArraySlice<UInt8>, trace: Trace, link: Int, folded: String?)] = []

        mutating func add(_ bytes: ArraySlice<UInt8>, _ trace: Trace, link: Int) { units.append((bytes, trace, link, nil)) }

        /// The oldest trace of a unit dropped before `link` equal to `bytes` once folded, and
        /// whether it is byte for byte equal.
        mutating func reinstated(_ bytes: ArraySlice<UInt8>, link: Int) -> (trace: Trace, same: Bool)? {
            var folded: String? = nil
            var best: (trace: Trace, same: Bool)? = nil
            for k in units.indices where units[k].link < link
                && 3 * units[k].bytes.count >= 2 * bytes.count && 2 * units[k].bytes.count <= 3 * bytes.count {
                if let b = best, b.trace.origin <= units[k].trace.origin { continue }
                if units[k].bytes.elementsEqual(bytes) { best = (units[k].trace, true); continue }
                if folded == nil { folded = SentenceBlame.fold(bytes) }
                if units[k].folded == nil { units[k].folded = SentenceBlame.fold(units[k].bytes) }
                if units[k].folded == folded { best = (units[k].trace, false) }
            }
            return best
        }
    }

    /// A unit's text with every fold layer applied (case, diacritics, spelling, typography, joiners, Unicode).
    static func fold(_ bytes: ArraySlice<UInt8>) -> String { Normalizer.key(String(decoding: bytes, as: UTF8.self), except: []) }

    /// The traces of B's units, from A's (`previous`) and the alignment of A with B.
    static func step(_ previous: [Trace], _ c: Collation, link: Int, dropped: inout DroppedUnits) -> [Trace] {
        var next = [Trace?](repeating: nil, count: c.unitsB.count)
        for e in c.alignment {
            let classes = ClassSet(c, e.changes)
            switch e.relation {
            case .identical, .accidentalOnly, .reworded:
                let relation: BlameLine.Status = e.relation == .identical ? .unchanged : (e.relation == .accidentalOnly ? .accidentalOnly : .reworded)
                // n:n passages pair by position; a unit of B past A's last takes A's last.
                for (k, j) in e.b.enumerated() {
                    let i = e.a.lowerBound + min(k, e.a.count - 1)
                    next[j] = previous[i].carried(relation, classes: classes, similarity: e.similarity)
                }
            case .split:
                for j in e.b { next[j] = previous[e.a.lowerBound].carried(.split, classes: classes, similarity: e.similarity) }
            case .merged:
                let oldest = e.a.min { previous[$0].origin < previous[$1].origin }!
                next[e.b.lowerBound] = previous[oldest].carried(.merged, classes: classes, similarity: e.similarity)
            case .moved:
                // What changed on the way is the move's inner changes that fall in this unit.
                let i = e.a.lowerBound, j = e.b.lowerBound, placed = c.unitsB[j].range
                let same = c.a[c.unitsA[i].range].elementsEqual(c.b[placed])
                let inner = e.changes.flatMap { c.changes[$0].inner }.filter { placed.contains($0.b.lowerBound) || $0.b.lowerBound == placed.upperBound }
                let relation: BlameLine.Status = same ? .unchanged : (!inner.isEmpty && inner.allSatisfy { $0.kind == .accidental } ? .accidentalOnly : .reworded)
                next[j] = previous[i].carried(relation, classes: same ? ClassSet() : ClassSet(inner), similarity: e.similarity)
            case .deleted:
                let i = e.a.lowerBound
                dropped.add(c.a[c.unitsA[i].range], previous[i], link: link)
            case .added:
                let j = e.b.lowerBound
                if let back = dropped.reinstated(c.b[c.unitsB[j].range], link: link) {
                    // Reinstated: it keeps the origin it had before it was dropped (the classes of an
                    // accidental difference are not known: the two units were never diffed).
                    next[j] = back.trace.carried(back.same ? .unchanged : .accidentalOnly, classes: ClassSet(), similarity: 1)
                } else {
                    next[j] = Trace(origin: link)
                }
            }
        }
        return next.map { $0 ?? Trace(origin: link) }
    }
}
