/// Stage 3's output at the unit level: a monotone walk over both texts' units.
public struct UnitAlignment: Sendable {
    public enum Step: Sendable, Equatable {
        /// Unit `a` of A corresponds to unit `b` of B; their tokens are diffed.
        case pair(a: Int, b: Int)
        /// A run of units on each side with no 1:1 correspondence but enough words in common to be
        /// one edited passage (a sentence split, merged or heavily reworded): diffed as one span.
        case span(a: Range<Int>, b: Range<Int>)
        /// A unit only A has (a deletion, or the old place of a moved unit when `move` is set).
        case delete(a: Int, move: Int?)
        /// A unit only B has (an addition, or the new place of a moved unit).
        case insert(b: Int, move: Int?)

        /// An addition or deletion that is not half of a move.
        public var isPlainAdditionOrDeletion: Bool {
            switch self {
            case .insert(_, nil), .delete(_, nil): return true
            default: return false
            }
        }
    }
    public var steps: [Step]
    /// Number of move groups (a run of consecutive units that moved together is one group).
    public var moveCount: Int
    /// The units that moved, paired (unit of A, unit of B) with the score that paired them (the
    /// Dice coefficient of their key sets): a move's two steps name its group, not its partner.
    /// Empty when nothing moved, which is the usual case and costs nothing.
    public var movedPairs: [(a: Int, b: Int, score: Double)] = []
}

/// Stage 3a: aligns units (sentences and boilerplate) by similarity of their normalised words,
/// so reordered, reworded, added and deleted sentences are found before any token is compared.
///
/// Work is bounded: candidate pairs come from an inverted index over the less common keys (a key
/// in more than `postingLimit` units is skipped as a candidate source), each unit keeps at most
/// `candidateLimit` candidates, and the longest-increasing-subsequence step is O(k log k).
/// Total work is therefore near-linear in the number of units.
public enum SentenceAligner {
    public static let threshold = 0.5
    /// How alike two units out of order must be to be called a move rather than a deletion and
    /// an addition: a move is a strong claim, and sentences of common words are often half alike.
    public static let moveThreshold = 0.75
    /// How alike the only free sentence on each side between two anchors must be to be diffed as
    /// one edited sentence rather than a deletion and an addition.
    public static let loneThreshold = 0.3
    static let postingLimit = 24
    static let candidateLimit = 8

    public static func align(_ a: NormalizedText, _ b: NormalizedText) -> UnitAlignment {
        align(a, b, exact: ExactPairs(a.segmented, b.segmented))
    }

    /// As `align(_:_:)`, with the exactly paired sentences already found (their tokens need no keys).
    public static func align(_ a: NormalizedText, _ b: NormalizedText, exact: ExactPairs) -> UnitAlignment {
        var scratch = Scratch()
        return align(a, b, exact: exact, scratch: &scratch)
    }

    /// As `align(_:_:exact:)`, with work lists kept by the caller between comparisons.
    static func align(_ a: NormalizedText, _ b: NormalizedText, exact: ExactPairs, scratch: inout Scratch) -> UnitAlignment {
        let unitsA = a.units
        // Key numbers are dense within a comparison.
        let keyCount = max(a.keyBound, b.keyBound, 1)
        let aKeys = UnitKeys(a, keyCount: keyCount, skipping: exact.partnerOfA, seen: &scratch.seen, seenBase: &scratch.seenBase)
        let bKeys = UnitKeys(b, keyCount: keyCount, skipping: exact.partnerOfB, seen: &scratch.seen, seenBase: &scratch.seenBase)

        scratch.sets.prepare(keyCount: keyCount)
        var candidates = candidatePairs(a, b, aKeys, bKeys, keyCount: keyCount, exact: exact, scratch: &scratch)

        // First the pairs that keep their order: of all the ways to pick candidate pairs that
        // increase on both sides, the one pairing the most units (then the most similar words).
        // A repeated sentence thereby pairs with the copy that keeps the order, not with the
        // nearest or first-found one. Only then are the rest paired, best score first: those
        // cannot be placed in order, and are moves.
        var partnerOfA = [Int?](repeating: nil, count: a.units.count)
        var partnerOfB = [Int?](repeating: nil, count: b.units.count)
        var kept = [Bool](repeating: false, count: unitsA.count)
        candidates.sort { $0.a != $1.a ? $0.a < $1.a : $0.b > $1.b } // one pair per unit of A at most
        let weights = candidates.map { c in
            ChainWeight(units: 1, words: c.score * Double(a.units[c.a].tokens.count + b.units[c.b].tokens.count))
        }
        for k in heaviestIncreasing(candidates.map(\.b), weights: weights) {
            let c = candidates[k]
            partnerOfA[c.a] = c.b; partnerOfB[c.b] = c.a; kept[c.a] = true
        }
        let na = Double(max(a.units.count, 1)), nb = Double(max(b.units.count, 1))
        var rest = candidates.filter { $0.score >= moveThreshold && partnerOfA[$0.a] == nil && partnerOfB[$0.b] == nil } // usually none
        rest.sort {
            if $0.score != $1.score { return $0.score > $1.score }
            return abs(Double($0.a) / na - Double($0.b) / nb) < abs(Double($1.a) / na - Double($1.b) / nb)
        }
        for c in rest where partnerOfA[c.a] == nil && partnerOfB[c.b] == nil {
            partnerOfA[c.a] = c.b
            partnerOfB[c.b] = c.a
        }
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(partnerOfA.count)
        for (i, j) in partnerOfA.enumerated() { if let j { pairs.append((i, j)) } }

        // Moved pairs: consecutive on both sides form one move group.
        var moveOfA = [Int?](repeating: nil, count: a.units.count)
        var moveOfB = [Int?](repeating: nil, count: b.units.count)
        var moveCount = 0
        var previous: (Int, Int)? = nil
        var movedPairs: [(a: Int, b: Int, score: Double)] = []
        for (i, j) in pairs where !kept[i] {
            movedPairs.append((i, j, 0))
            if let (pi, pj) = previous, pi == i - 1, pj == j - 1, let group = moveOfA[pi] {
                moveOfA[i] = group; moveOfB[j] = group
            } else {
                moveCount += 1
                moveOfA[i] = moveCount; moveOfB[j] = moveCount
            }
            previous = (i, j)
        }
        if !movedPairs.isEmpty {
            // The winning candidate of each moved unit holds its score (only looked up when something moved).
            var scoreOfA = [Int: Double](minimumCapacity: movedPairs.count)
            for c in rest where partnerOfA[c.a] == c.b && !kept[c.a] && scoreOfA[c.a] == nil { scoreOfA[c.a] = c.score }
            for k in movedPairs.indices { movedPairs[k].score = scoreOfA[movedPairs[k].a] ?? 1 }
        }

        // Anchors grow over free neighbours that make them more alike: a split or merged sentence.
        var anchors: [(a: Range<Int>, b: Range<Int>)] = []
        anchors.reserveCapacity(pairs.count + 1)
        for (i, j) in pairs where kept[i] { anchors.append((a: i..<(i + 1), b: j..<(j + 1))) }
        for k in anchors.indices {
            let floorA = k > 0 ? anchors[k - 1].a.upperBound : 0, floorB = k > 0 ? anchors[k - 1].b.upperBound : 0
            let ceilA = k + 1 < anchors.count ? anchors[k + 1].a.lowerBound : a.units.count
            let ceilB = k + 1 < anchors.count ? anchors[k + 1].b.lowerBound : b.units.count
            func free(_ t: NormalizedText, _ i: Int, _ partner: [Int?], _ lo: Int, _ hi: Int) -> Bool {
                i >= lo && i < hi && partner[i] == nil && t.units[i].kind == .sentence
            }
            guard a.units[anchors[k].a.lowerBound].kind == .sentence else { continue }
            // The anchor's own score is computed only once a neighbour is free to join it: in a
            // story edited sentence by sentence, none is.
            var current: Double? = nil
            for (onA, step) in growthSteps {
                let range = onA ? anchors[k].a : anchors[k].b
                let candidate = step > 0 ? range.upperBound : range.lowerBound - 1
                let ok = onA ? free(a, candidate, partnerOfA, floorA, ceilA) : free(b, candidate, partnerOfB, floorB, ceilB)
                guard ok else { continue }
                let grown = step > 0 ? range.lowerBound..<(candidate + 1) : candidate..<range.upperBound
                let ka = onA ? grown : anchors[k].a, kb = onA ? anchors[k].b : grown
                let base = current ?? scratch.sets.dice(aKeys, anchors[k].a, bKeys, anchors[k].b)
                current = base
                let score = scratch.sets.dice(aKeys, ka, bKeys, kb)
                if score >= base + 0.15 {
                    if onA { anchors[k].a = ka } else { anchors[k].b = kb }
                    current = score
                }
            }
        }

        // Walk the anchors in order; what lies between two anchors is deleted, inserted or moved.
        var steps: [UnitAlignment.Step] = []
        steps.reserveCapacity(a.units.count + b.units.count)
        var ia = 0, ib = 0
        anchors.append((a: a.units.count..<a.units.count, b: b.units.count..<b.units.count)) // the end, as an empty anchor
        for anchor in anchors {
            gap(a, b, ia..<anchor.a.lowerBound, ib..<anchor.b.lowerBound, aKeys, bKeys, &scratch.sets, moveOfA, moveOfB, into: &steps)
            if anchor.a.count == 1 && anchor.b.count == 1 {
                steps.append(.pair(a: anchor.a.lowerBound, b: anchor.b.lowerBound))
            } else if !anchor.a.isEmpty {
                steps.append(.span(a: anchor.a, b: anchor.b))
            }
            ia = anchor.a.upperBound; ib = anchor.b.upperBound
        }
        return UnitAlignment(steps: steps, moveCount: moveCount, movedPairs: movedPairs)
    }

    /// Units between two anchors. Unmatched units on both sides that share enough words are one
    /// edited passage (`span`); otherwise they are deletions and insertions.
    private static func gap(_ a: NormalizedText, _ b: NormalizedText, _ ra: Range<Int>, _ rb: Range<Int>,
                            _ aKeys: UnitKeys, _ bKeys: UnitKeys, _ sets: inout KeySets, _ moveOfA: [Int?], _ moveOfB: [Int?],
                            into steps: inout [UnitAlignment.Step]) {
        let freeA = ra.filter { moveOfA[$0] == nil && a.units[$0].kind == .sentence }
        let freeB = rb.filter { moveOfB[$0] == nil && b.units[$0].kind == .sentence }
        if let fa = freeA.first, let la = freeA.last, let fb = freeB.first, let lb = freeB.last,
           freeA.count == la - fa + 1, freeB.count == lb - fb + 1,
           a.units[fa...la].reduce(0, { $0 + $1.tokens.count }) + b.units[fb...lb].reduce(0, { $0 + $1.tokens.count }) < 4_000 {
            // One sentence left on each side between the same anchors is most likely one sentence
            // edited, so it takes less in common (a short `Vietnam signed.` → `Việt Nam signed.`
            // shares one key of three: the join is found only by the token diff).
            let needed = freeA.count == 1 && freeB.count == 1 ? loneThreshold : threshold
            if sets.dice(aKeys, fa..<(la + 1), bKeys, fb..<(lb + 1)) >= needed {
                for i in ra where i < fa { steps.append(.delete(a: i, move: moveOfA[i])) }
                for j in rb where j < fb { steps.append(.insert(b: j, move: moveOfB[j])) }
                steps.append(.span(a: fa..<(la + 1), b: fb..<(lb + 1)))
                for i in ra where i > la { steps.append(.delete(a: i, move: moveOfA[i])) }
                for j in rb where j > lb { steps.append(.insert(b: j, move: moveOfB[j])) }
                return
            }
        }
        for i in ra { steps.append(.delete(a: i, move: moveOfA[i])) }
        for j in rb { steps.append(.insert(b: j, move: moveOfB[j])) }
    }

    /// The order in which an anchor tries its neighbours: B's next and previous, then A's.
    private static let growthSteps = [(false, 1), (false, -1), (true, 1), (true, -1)]

    /// Sorted, without repeats (no hashing: sorting a few dozen integers is cheaper).
    static func sortedDistinct<T: Comparable>(_ keys: [T]) -> [T] {
        var sorted = keys.sorted()
        var out = 0
        for i in sorted.indices where i == 0 || sorted[i] != sorted[out - 1] { sorted[out] = sorted[i]; out += 1 }
        sorted.removeLast(sorted.count - out)
        return sorted
    }

    /// What a chain of pairs is worth: first the units it pairs, then how many words it matches
    /// (their similarity times their length). Compared in that order, so no number of similar
    /// words outweighs one more unit kept in order.
    struct ChainWeight: Comparable {
        var units: Int
        var words: Double
        static let zero = ChainWeight(units: 0, words: 0)
        static func + (x: ChainWeight, y: ChainWeight) -> ChainWeight { ChainWeight(units: x.units + y.units, words: x.words + y.words) }
        static func < (x: ChainWeight, y: ChainWeight) -> Bool { x.units != y.units ? x.units < y.units : x.words < y.words }
    }

    /// Indices of a maximum-weight strictly increasing subsequence of `values`. O(k log k) with a
    /// Fenwick tree over the ranks of the values.
    static func heaviestIncreasing(_ values: [Int], weights: [ChainWeight]) -> [Int] {
        guard !values.isEmpty else { return [] }
        // Nothing moved and one candidate each (the usual case): the whole list is increasing, and the heaviest too.
        if values.indices.dropFirst().allSatisfy({ values[$0 - 1] < values[$0] }) { return Array(values.indices) }
        // Ranks by binary search in the sorted distinct values (no hashing for a few dozen).
        let distinct = sortedDistinct(values)
        func rank(_ v: Int) -> Int {
            var lo = 0, hi = distinct.count
            while lo < hi { let mid = (lo + hi) / 2; if distinct[mid] < v { lo = mid + 1 } else { hi = mid } }
            return lo + 1
        }
        let size = distinct.count
        var tree = [(weight: ChainWeight, index: Int)](repeating: (.zero, -1), count: size + 1)
        var best = [ChainWeight](repeating: .zero, count: values.count)
        var parent = [Int](repeating: -1, count: values.count)
        for (i, v) in values.enumerated() {
            let rankOfV = rank(v)
            var r = rankOfV - 1
            var top: (weight: ChainWeight, index: Int) = (.zero, -1)
            while r > 0 { if top.weight < tree[r].weight { top = tree[r] }; r -= r & -r }
            best[i] = top.weight + weights[i]
            parent[i] = top.index
            r = rankOfV
            while r <= size { if tree[r].weight < best[i] { tree[r] = (best[i], i) }; r += r & -r }
        }
        var i = best.indices.max { best[$0] < best[$1] }!
        var out: [Int] = []
        out.reserveCapacity(values.count)
        while i >= 0 { out.append(i); i = parent[i] }
        out.reverse()
        return out
    }
}
