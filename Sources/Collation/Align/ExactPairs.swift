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
        // Each sentence's hash in a small open-addressing table: a pair is a hash seen exactly
        // once on each side (hashes that agree in their top 40 bits but differ make a pair the
        // bytes then reject, left to the search).
        // Equal sentences have equal lengths: only sentences whose length the other side has too
        // are hashed (by a bit per length modulo 4096; a false match only costs a hash).
        let lengthsA = Self.sentenceLengths(a), lengthsB = Self.sentenceLengths(b)
        let entries = Self.sentenceHashes(a, side: 0, lengthsOfOther: lengthsB) + Self.sentenceHashes(b, side: 1, lengthsOfOther: lengthsA)
        var size = 16
        while size < 2 * entries.count { size *= 2 }
        let mask = size - 1
        // Per slot: the hash bits (0 = empty, so stored with the top bit set), then per side the
        // last unit seen and how many.
        var slotHash = [UInt64](repeating: 0, count: size)
        var unit = [(Int32, Int32)](repeating: (-1, -1), count: size)
        var seen = [(UInt8, UInt8)](repeating: (0, 0), count: size)
        for e in entries {
            let bits = e >> 24 | 1 << 63
            var i = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 50) & mask
            while slotHash[i] != 0 && slotHash[i] != bits { i = (i + 1) & mask }
            slotHash[i] = bits
            let u = Int32(e & 0x7F_FFFF)
            if (e >> 23) & 1 == 0 { unit[i].0 = u; seen[i].0 = min(seen[i].0, 1) + 1 } else { unit[i].1 = u; seen[i].1 = min(seen[i].1, 1) + 1 }
        }
        for k in 0..<size where seen[k] == (1, 1) {
            let i = Int(unit[k].0), j = Int(unit[k].1)
            let ra = a.units[i].range, rb = b.units[j].range
            if ra.count == rb.count, a.bytes.withUnsafeBytes({ x in b.bytes.withUnsafeBytes { y in
                memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0 } }) {
                partnerOfA[i] = Int32(j)
                partnerOfB[j] = Int32(i)
            }
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
    }

    /// A bit per sentence length (modulo 4096).
    private static func sentenceLengths(_ t: SegmentedText) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 64)
        for unit in t.units where unit.kind == .sentence {
            let bit = unit.range.count & 4095
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        return bits
    }

    /// Per sentence whose length `lengthsOfOther` holds: hash's top 40 bits, side (1 bit), unit index (23 bits; more units than that
    /// would take a 400 MB text, and such units are simply not paired here).
    private static func sentenceHashes(_ t: SegmentedText, side: UInt64, lengthsOfOther: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(t.units.count)
        t.bytes.withUnsafeBytes { bytes in
            for (i, unit) in t.units.enumerated() where unit.kind == .sentence && i < 1 << 23 {
                let bit = unit.range.count & 4095
                guard lengthsOfOther[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
                let hash = hashBytes(UnsafeRawBufferPointer(rebasing: bytes[unit.range]))
                out.append((hash & ~0xFF_FFFF) | side << 23 | UInt64(i))
            }
        }
        return out
    }
}
