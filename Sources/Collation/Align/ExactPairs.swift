import Foundation

/// Sentences whose bytes occur exactly once in each text: the aligner pairs them before anything
/// else, as patience diff anchors on unique common lines.
///
/// A republished story passes half of its sentences through untouched. Such a pair would win the
/// similarity search anyway (its Dice score is 1, the highest there is), so finding it by its
/// bytes gives the same alignment while its tokens are never normalised and never enter the
/// inverted index. A sentence that occurs twice on either side is left to the similarity search,
/// which weighs its position.
public struct ExactPairs: Sendable {
    /// Per unit of A, its partner in B, or -1.
    public let partnerOfA: [Int32]
    /// Per unit of B, its partner in A, or -1.
    public let partnerOfB: [Int32]

    public init(_ a: SegmentedText, _ b: SegmentedText) {
        var partnerOfA = [Int32](repeating: -1, count: a.units.count)
        var partnerOfB = [Int32](repeating: -1, count: b.units.count)
        // Both texts' sentences sorted by hash: equal hashes are neighbours, so a pair is a run of
        // exactly two, one from each side. Each entry packs the hash's top 40 bits, the side and
        // the unit into one integer, so the sort compares integers; hashes that agree in those
        // bits but differ make a run the bytes then reject (the pair is left to the search).
        var entries = Self.sentenceHashes(a, side: 0)
        entries += Self.sentenceHashes(b, side: 1)
        entries.sort()
        func hashBits(_ e: UInt64) -> UInt64 { e >> 24 }
        var k = 0
        while k < entries.count {
            var end = k + 1
            while end < entries.count && hashBits(entries[end]) == hashBits(entries[k]) { end += 1 }
            if end - k == 2 && (entries[k] >> 23) & 1 == 0 && (entries[k + 1] >> 23) & 1 == 1 {
                let i = Int(entries[k] & 0x7F_FFFF), j = Int(entries[k + 1] & 0x7F_FFFF)
                let ra = a.units[i].range, rb = b.units[j].range
                if ra.count == rb.count, a.bytes.withUnsafeBytes({ x in b.bytes.withUnsafeBytes { y in
                    memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0 } }) {
                    partnerOfA[i] = Int32(j)
                    partnerOfB[j] = Int32(i)
                }
            }
            k = end
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
    }

    /// Per sentence: hash's top 40 bits, side (1 bit), unit index (23 bits; more units than that
    /// would take a 400 MB text, and such units are simply not paired here).
    private static func sentenceHashes(_ t: SegmentedText, side: UInt64) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(2 * t.units.count) // both texts' entries end up in one list
        t.bytes.withUnsafeBytes { bytes in
            for (i, unit) in t.units.enumerated() where unit.kind == .sentence && i < 1 << 23 {
                let hash = hashBytes(UnsafeRawBufferPointer(rebasing: bytes[unit.range]))
                out.append((hash & ~0xFF_FFFF) | side << 23 | UInt64(i))
            }
        }
        return out
    }
}
