import Foundation

/// Sentences whose bytes occur exactly once in each text: the aligner pairs them before anything
/// else, as patience diff anchors on unique common lines.
///
/// A republished story passes half of its sentences through untouched. Such a pair would win the
/// similarity search anyway (its Dice score is 1, the highest there is), so finding it by its
/// bytes gives the same alignment while its tokens are never normalised and never enter the
/// inverted index. A sentence that occurs twice on either side is left to the similarity search,
/// which weighs its position.
///
/// Work: O(n) expected for n sentences — one hash per sentence whose length the other text has,
/// probes that start anywhere in a table of at least twice the sentences, one `memcmp` per
/// candidate pair; repeated sentences add O(copies) pairs per group (`repeatedPairs`).
public struct ExactPairs: Sendable {
    /// Per unit of A, its partner in B, or -1.
    public let partnerOfA: [Int32]
    /// Per unit of B, its partner in A, or -1.
    public let partnerOfB: [Int32]
    /// Candidate pairs of sentences with equal bytes that occur more than once on some side
    /// (the same boilerplate sentence in every update of a live page): which copy goes with which
    /// is left to the aligner, which keeps the most pairs in order. Every pairing of a group's
    /// copies when there are few; otherwise each copy of A with the copies of B at about the same
    /// rank, counted from the start or from the end (a page that grew at the bottom or the top),
    /// so a group costs O(copies), not O(copies²).
    public let repeatedPairs: [(a: Int32, b: Int32)]

    public init(_ a: SegmentedText, _ b: SegmentedText) {
        var partnerOfA = [Int32](repeating: -1, count: a.units.count)
        var partnerOfB = [Int32](repeating: -1, count: b.units.count)
        // Equal sentences have equal lengths: only sentences whose length the other text has too
        // are hashed (a bit per length modulo 4096 and text; a false match only costs a hash).
        // Each hash goes into a small open-addressing table: a pair is a hash seen exactly once
        // on each side (hashes that agree in their top 40 bits but differ make a pair the bytes
        // then reject, left to the search).
        var lengths = [UInt64](repeating: 0, count: 128)
        Self.noteLengths(a, into: &lengths, at: 0)
        Self.noteLengths(b, into: &lengths, at: 64)
        var size = 16
        while size < 2 * (a.units.count + b.units.count) { size *= 2 }
        var slots = [Slot](repeating: Slot(), count: size)
        var repeated: [(a: Int32, b: Int32)] = []
        slots.withUnsafeMutableBufferPointer { slots in
            Self.enter(a, side: 0, lengthsOfOther: lengths, at: 64, into: slots)
            Self.enter(b, side: 1, lengthsOfOther: lengths, at: 0, into: slots)
            for slot in slots where slot.seenA == 1 && slot.seenB == 1 {
                let i = Int(slot.unitA), j = Int(slot.unitB)
                let ra = a.units[i].range, rb = b.units[j].range
                if ra.count == rb.count, a.bytes.withUnsafeBytes({ x in b.bytes.withUnsafeBytes { y in
                    memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0 } }) {
                    partnerOfA[i] = Int32(j)
                    partnerOfB[j] = Int32(i)
                }
            }
            if slots.contains(where: \.isRepeatedOnBothSides) {
                repeated = Self.pairCopies(a, b, lengths: lengths, slots: slots)
            }
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
        self.repeatedPairs = repeated
    }

    /// Groups of copies at most this large (copies in A × copies in B) pair every copy with every other.
    static let allPairsLimit = 256
    /// Otherwise a copy pairs with the copies this many ranks either side of its own rank.
    static let rankWindow = 2

    /// The candidate pairs of the repeated sentences (see `repeatedPairs`). Runs only when some
    /// hash was seen on both sides and more than once on one: a second pass finds each copy's slot.
    private static func pairCopies(_ a: SegmentedText, _ b: SegmentedText, lengths: [UInt64],
                                   slots: UnsafeMutableBufferPointer<Slot>) -> [(a: Int32, b: Int32)] {
        var groupOfSlot = [Int32](repeating: -1, count: slots.count)
        var copies: [(a: [Int32], b: [Int32])] = []
        for (s, slot) in slots.enumerated() where slot.isRepeatedOnBothSides {
            groupOfSlot[s] = Int32(copies.count)
            copies.append(([], []))
        }
        for (side, t) in [a, b].enumerated() {
            forEachHashedSentence(t, lengthsOfOther: lengths, at: side == 0 ? 64 : 0) { u, hash in
                let s = find(hash, in: slots)
                let g = Int(groupOfSlot[s])
                guard g >= 0 else { return }
                if side == 0 { copies[g].a.append(Int32(u)) } else { copies[g].b.append(Int32(u)) }
            }
        }
        var pairs: [(a: Int32, b: Int32)] = []
        for group in copies {
            // Equal hashes are not equal bytes: copies that differ from the group's first are left out.
            guard let first = group.a.first else { continue }
            let model = a.bytes[a.units[Int(first)].range]
            let inA = group.a.filter { a.bytes[a.units[Int($0)].range].elementsEqual(model) }
            let inB = group.b.filter { b.bytes[b.units[Int($0)].range].elementsEqual(model) }
            guard !inA.isEmpty, !inB.isEmpty else { continue }
            if inA.count * inB.count <= allPairsLimit {
                for i in inA { for j in inB { pairs.append((i, j)) } }
                continue
            }
            let shift = inB.count - inA.count
            for (rank, i) in inA.enumerated() {
                var ranks = Array((rank - rankWindow)...(rank + rankWindow))
                if shift != 0 { ranks += (rank + shift - rankWindow)...(rank + shift + rankWindow) }
                for r in SentenceAligner.sortedDistinct(ranks) where r >= 0 && r < inB.count { pairs.append((i, inB[r])) }
            }
        }
        return pairs
    }

    /// One hash in the table: its top 40 bits (with the top bit set, so 0 means empty), and per
    /// side the last unit seen with it and how many (counted up to 2).
    private struct Slot {
        var hash: UInt64 = 0
        var unitA: Int32 = -1, unitB: Int32 = -1
        var seenA: UInt8 = 0, seenB: UInt8 = 0

        var isRepeatedOnBothSides: Bool { seenA > 0 && seenB > 0 && seenA + seenB > 2 }
    }

    /// A bit per sentence length (modulo 4096), in `bits[at ..< at + 64]`.
    private static func noteLengths(_ t: SegmentedText, into bits: inout [UInt64], at: Int) {
        for unit in t.units where unit.kind == .sentence {
            let bit = unit.range.count & 4095
            bits[at + bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// Enters the hash of each sentence of `t` whose length the other text has.
    private static func enter(_ t: SegmentedText, side: Int, lengthsOfOther lengths: [UInt64], at: Int, into slots: UnsafeMutableBufferPointer<Slot>) {
        forEachHashedSentence(t, lengthsOfOther: lengths, at: at) { u, hash in
            let i = find(hash, in: slots)
            slots[i].hash = hash
            if side == 0 { slots[i].unitA = Int32(u); slots[i].seenA = min(slots[i].seenA, 1) + 1 }
            else { slots[i].unitB = Int32(u); slots[i].seenB = min(slots[i].seenB, 1) + 1 }
        }
    }

    /// Calls `body` with each sentence of `t` whose length the other text has, and its hash (top
    /// 40 bits, top bit set so that 0 means an empty slot).
    private static func forEachHashedSentence(_ t: SegmentedText, lengthsOfOther lengths: [UInt64], at: Int,
                                              _ body: (Int, UInt64) -> Void) {
        t.bytes.withUnsafeBytes { bytes in
            for (u, unit) in t.units.enumerated() where unit.kind == .sentence {
                let bit = unit.range.count & 4095
                guard lengths[at + bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
                body(u, hashBytes(UnsafeRawBufferPointer(rebasing: bytes[unit.range])) >> 24 | 1 << 63)
            }
        }
    }

    /// The slot holding `hash`, or the empty slot where it goes (the table is never full).
    private static func find(_ hash: UInt64, in slots: UnsafeMutableBufferPointer<Slot>) -> Int {
        let mask = slots.count - 1
        // The start slot takes 32 bits of the mixed hash: with fewer, a table of more slots than
        // that many bits can address starts every probe in its first part, and probes go quadratic.
        var i = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while slots[i].hash != 0 && slots[i].hash != hash { i = (i + 1) & mask }
        return i
    }
}
