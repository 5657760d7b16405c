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
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
    }

    /// One hash in the table: its top 40 bits (with the top bit set, so 0 means empty), and per
    /// side the last unit seen with it and how many (counted up to 2).
    private struct Slot {
        var hash: UInt64 = 0
        var unitA: Int32 = -1, unitB: Int32 = -1
        var seenA: UInt8 = 0, seenB: UInt8 = 0
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
        let mask = slots.count - 1
        t.bytes.withUnsafeBytes { bytes in
            for (u, unit) in t.units.enumerated() where unit.kind == .sentence {
                let bit = unit.range.count & 4095
                guard lengths[at + bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
                let hash = hashBytes(UnsafeRawBufferPointer(rebasing: bytes[unit.range])) >> 24 | 1 << 63
                var i = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 50) & mask
                while slots[i].hash != 0 && slots[i].hash != hash { i = (i + 1) & mask }
                slots[i].hash = hash
                if side == 0 { slots[i].unitA = Int32(u); slots[i].seenA = min(slots[i].seenA, 1) + 1 }
                else { slots[i].unitB = Int32(u); slots[i].seenB = min(slots[i].seenB, 1) + 1 }
            }
        }
    }
}
