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
        let inA = Self.uniqueSentences(a), inB = Self.uniqueSentences(b)
        for (hash, i) in inA where i >= 0 {
            guard let j = inB[hash], j >= 0 else { continue }
            let ra = a.units[Int(i)].range, rb = b.units[Int(j)].range
            guard ra.count == rb.count, a.bytes.withUnsafeBytes({ x in b.bytes.withUnsafeBytes { y in
                memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0 } }) else { continue }
            partnerOfA[Int(i)] = j
            partnerOfB[Int(j)] = i
        }
        self.partnerOfA = partnerOfA
        self.partnerOfB = partnerOfB
    }

    /// No pairs: every unit goes through the similarity search.
    public init(none a: SegmentedText, _ b: SegmentedText) {
        partnerOfA = [Int32](repeating: -1, count: a.units.count)
        partnerOfB = [Int32](repeating: -1, count: b.units.count)
    }

    /// Sentence units by the hash of their bytes; -2 for a hash seen more than once.
    private static func uniqueSentences(_ t: SegmentedText) -> [UInt64: Int32] {
        var out: [UInt64: Int32] = [:]
        out.reserveCapacity(t.units.count)
        t.bytes.withUnsafeBytes { bytes in
            for (i, unit) in t.units.enumerated() where unit.kind == .sentence {
                let hash = hashBytes(UnsafeRawBufferPointer(rebasing: bytes[unit.range]))
                out[hash] = out[hash] == nil ? Int32(i) : -2
            }
        }
        return out
    }

    /// Token ranges of `t` outside the units paired here: the only tokens that need keys.
    func tokensToNormalize(_ t: SegmentedText, partners: [Int32]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, unit) in t.units.enumerated() where partners[i] >= 0 {
            if start < unit.tokens.lowerBound { out.append(start..<unit.tokens.lowerBound) }
            start = unit.tokens.upperBound
        }
        if start < t.tokens.count { out.append(start..<t.tokens.count) }
        return out
    }
}
