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
/// a counting sort of the hashes into buckets of about `bucketTarget`, probes in a table of at
/// least twice a bucket's entries, one `memcmp` per candidate pair in text order; repeated
/// sentences add O(copies) pairs per group (`repeatedPairs`).
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
        var lengths = [UInt64](repeating: 0, count: 128)
        Self.noteLengths(a, into: &lengths, at: 0)
        Self.noteLengths(b, into: &lengths, at: 64)
        var hashed: [Entry] = []
        hashed.reserveCapacity(a.units.count + b.units.count)
        Self.forEachHashedSentence(a, lengthsOfOther: lengths, at: 64) { hashed.append(Entry(hash: $1, unit: Int32($0), side: 0)) }
        Self.forEachHashedSentence(b, lengthsOfOther: lengths, at: 0) { hashed.append(Entry(hash: $1, unit: Int32($0), side: 1)) }
        // A pair is a hash seen exactly once on each side (hashes that agree in their top 40 bits
        // but differ make a pair the bytes then reject, left to the search). The hashes go into
        // one small open-addressing table per bucket: one table for all of a long text's
        // sentences would not fit any cache, and each sentence would wait on memory.
        let buckets = Self.partition(hashed)
        var copies: [(a: [Int32], b: [Int32])] = []
        var slots = [Slot](repeating: Slot(), count: 16)
        for bucket in buckets.ranges where !bucket.isEmpty {
            var size = 16
            while size < 2 * bucket.count { size *= 2 }
            if slots.count < size { slots = [Slot](repeating: Slot(), count: size) }
            slots.withUnsafeMutableBufferPointer { all in
                let table = UnsafeMutableBufferPointer(rebasing: all[0..<size])
                table.update(repeating: Slot())
                for e in buckets.entries[bucket] {
                    let i = Self.find(e.hash, in: table)
                    table[i].hash = e.hash
                    if e.side == 0 { table[i].unitA = e.unit; table[i].seenA = min(table[i].seenA, 1) + 1 }
                    else { table[i].unitB = e.unit; table[i].seenB = min(table[i].seenB, 1) + 1 }
                }
                // Entries are A's then B's, each in text order: a group's copies come out in order.
                for e in buckets.entries[bucket] {
                    let i = Self.find(e.hash, in: table)
                    let slot = table[i]
                    if slot.seenA == 1 && slot.seenB == 1 {
                        if e.side == 0 { partnerOfA[Int(slot.unitA)] = slot.unitB; partnerOfB[Int(slot.unitB)] = slot.unitA }
                    } else if slot.isRepeatedOnBothSides {
                        if slot.group < 0 { table[i].group = Int32(copies.count); copies.append(([], [])) }
                        let g = Int(table[i].group)
                        if e.side == 0 { copies[g].a.append(e.unit) } else { copies[g].b.append(e.unit) }
                    }
                }
            }
        }
        // Equal hashes, then equal bytes: compared in A's text order, so that both texts are
        // read front to back rather than at random.
        a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in
                for i in partnerOfA.indices where partnerOfA[i] >= 0 {
                    let j = Int(partnerOfA[i])
                    let ra = a.units[i].range, rb = b.units[j].range
                    if ra.count != rb.count || memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) != 0 {
                        partnerOfA[i] = -1; partnerOfB[j] = -1
                    }
                }
            }
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
        self.repeatedPairs = copies.isEmpty ? [] : Self.pairCopies(a, b, copies)
    }

    /// Groups of copies at most this large (copies in A × copies in B) pair every copy with every other.
    static let allPairsLimit = 256
    /// Otherwise a copy pairs with the copies this many ranks either side of its own rank.
    static let rankWindow = 2
    /// Entries per bucket: a bucket's table (24 bytes a slot, two to four slots an entry) then
    /// stays within a core's L2 cache.
    static let bucketTarget = 2_048

    /// The candidate pairs of the repeated sentences (see `repeatedPairs`), from each group's
    /// copies in A and in B (units whose hashes agree, in text order).
    private static func pairCopies(_ a: SegmentedText, _ b: SegmentedText, _ copies: [(a: [Int32], b: [Int32])]) -> [(a: Int32, b: Int32)] {
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

    /// A hashed sentence: its hash (see `forEachHashedSentence`), unit and text (0 for A, 1 for B).
    private struct Entry {
        var hash: UInt64
        var unit: Int32
        var side: UInt8
    }

    /// `entries` by bucket (the top bits of their mixed hash), keeping their order within each
    /// bucket: a counting sort, two passes over the entries.
    private static func partition(_ entries: [Entry]) -> (entries: [Entry], ranges: [Range<Int>]) {
        var bits = 0
        while (entries.count >> bits) > bucketTarget { bits += 1 }
        guard bits > 0 else { return (entries, [entries.indices]) }
        @inline(__always) func bucket(_ e: Entry) -> Int { Int(truncatingIfNeeded: (e.hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits)) }
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for e in entries { starts[bucket(e) + 1] += 1 }
        for k in 0..<(1 << bits) { starts[k + 1] += starts[k] }
        var fill = starts
        let sorted = [Entry](unsafeUninitializedCapacity: entries.count) { storage, written in
            let out = CheckedOutput(storage)
            for e in entries {
                let k = bucket(e)
                out.put(e, at: fill[k])
                fill[k] += 1
            }
            written = entries.count // the counts say every place was filled once
        }
        return (sorted, (0..<(1 << bits)).map { starts[$0]..<starts[$0 + 1] })
    }

    /// One hash in a bucket's table: its top 40 bits (with the top bit set, so 0 means empty),
    /// per side the last unit seen with it and how many (counted up to 2), and the group of
    /// copies it stands for, if repeated.
    private struct Slot {
        var hash: UInt64 = 0
        var unitA: Int32 = -1, unitB: Int32 = -1
        var group: Int32 = -1
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
