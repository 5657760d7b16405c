import Collation

/// A MinHash signature of a text's shingles, and its LSH bands.
///
/// Each of `count` hash functions keeps the least value it gives any shingle; two texts agree at a
/// position with probability equal to the Jaccard similarity of their shingle sets, so the share
/// of equal positions estimates it. The bands make candidates: the first `bandCount` positions are
/// bands of one value each, and two texts are candidates when any band is equal in both: a pair
/// sharing a fraction s of its shingles is one with probability 1 − (1−s)^20 — 0.88 at s = 0.1,
/// 0.96 at 0.15, 0.999 at 0.3. So low a threshold is for abridged copies: the first third of a
/// wire story shares only ~15 % of the whole story's shingles (Jaccard), however much of it is the
/// wire's. Bands of two values (r = 2) would add almost nothing there (12 of them: 0.24 at
/// s = 0.15) for 12 more index rows per edition. Alignment confirms; see `MatchPolicy`.
public struct MinHash: Sendable, Equatable {
    public static let count = 40
    /// Bands of one value each, the first positions of the signature; the rest serve the estimate only.
    public static let bandCount = 20

    public let values: [UInt32]
    /// What `similarity` compares, held apart from `values`.
    let halves: LowHalves

    public init(values: [UInt32]) {
        precondition(values.count == Self.count, "a signature has \(Self.count) values")
        self.values = values
        halves = LowHalves(values)
    }

    /// A signature as far as `similarity` goes (a stored one, say), from its halves.
    init(halves: LowHalves) {
        self.halves = halves
        values = halves.values
    }

    /// The low 16 bits of each value, all `similarity` compares, four to a 64-bit word and held
    /// inline: compared a word at a time, and copied (into a cache, out of it) without an array to
    /// retain and release.
    struct LowHalves: Sendable {
        private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

        init(_ values: [UInt32]) {
            withUnsafeMutableBytes(of: &words) { bytes in
                for i in 0..<MinHash.count { bytes.storeBytes(of: UInt16(truncatingIfNeeded: values[i]), toByteOffset: 2 * i, as: UInt16.self) }
            }
        }

        var values: [UInt32] {
            withUnsafeBytes(of: words) { bytes in (0..<MinHash.count).map { UInt32(bytes.load(fromByteOffset: 2 * $0, as: UInt16.self)) } }
        }

        /// The share of positions whose low halves agree.
        func similarity(_ other: LowHalves) -> Double {
            // In x = a ^ b, a 16-bit lane is not zero where the values differ: adding 0x7FFF to
            // its low 15 bits carries into its top bit then.
            let unequal = withUnsafeBytes(of: words) { a in
                withUnsafeBytes(of: other.words) { b in
                    var n = 0
                    for w in 0..<(MinHash.count / 4) {
                        let x = a.load(fromByteOffset: 8 * w, as: UInt64.self) ^ b.load(fromByteOffset: 8 * w, as: UInt64.self)
                        n &+= ((((x & 0x7FFF_7FFF_7FFF_7FFF) &+ 0x7FFF_7FFF_7FFF_7FFF) | x) & 0x8000_8000_8000_8000).nonzeroBitCount
                    }
                    return n
                }
            }
            return Double(MinHash.count - unequal) / Double(MinHash.count)
        }
    }

    public static func == (a: MinHash, b: MinHash) -> Bool { a.values == b.values }

    /// The signature of `shingles` (hashes from `Shingles.of`).
    public init(shingles: [UInt64]) {
        var mins = [UInt32](repeating: .max, count: Self.count)
        // One hash function at a time over all the shingles: its minimum stays in a register (the
        // multiplier, one a shingle and function, is then the limit).
        mins.withUnsafeMutableBufferPointer { m in
            shingles.withUnsafeBufferPointer { xs in
                for i in 0..<Self.count {
                    let (a, o) = (Self.multipliers[i], Self.offsets[i])
                    var least = UInt64(UInt32.max)
                    // Multiply-add-shift: odd multipliers, the high 32 bits as the hash.
                    for x in xs { least = min(least, (x &* a &+ o) >> 32) }
                    m[i] = UInt32(truncatingIfNeeded: least)
                }
            }
        }
        values = mins
        halves = LowHalves(mins)
    }

    public var isEmpty: Bool { values.allSatisfy { $0 == .max } }

    /// The estimated Jaccard similarity of the two shingle sets: the share of positions whose low
    /// 16 bits agree (all a stored signature keeps; two different minima agree there by chance
    /// once in 65,536, too rarely to move an estimate).
    public func similarity(_ other: MinHash) -> Double {
        halves.similarity(other.halves)
    }

    /// One 32-bit key per band, the band's number mixed in so equal values in two bands differ.
    public var bands: [Int64] {
        (0..<Self.bandCount).map { band in
            var h = (0x9E37_79B9_7F4A_7C15 &* UInt64(band + 1)) ^ UInt64(values[band])
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            return Int64(h >> 32)
        }
    }

    /// As stored: the low 16 bits of each value, little-endian (80 bytes). Enough for
    /// `similarity`; the bands are worked out from the text's own signature, never from this.
    public var compact: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.count * 2)
        for v in values { out.append(UInt8(truncatingIfNeeded: v)); out.append(UInt8(truncatingIfNeeded: v >> 8)) }
        return out
    }

    /// A stored signature (`compact`): good for `similarity` only.
    public init?(compact bytes: [UInt8]) {
        guard bytes.count == Self.count * 2 else { return nil }
        values = (0..<Self.count).map { UInt32(bytes[2 * $0]) | UInt32(bytes[2 * $0 + 1]) << 8 }
        halves = LowHalves(values)
    }

    /// Fixed, so signatures stay comparable across processes and versions (the index's schema
    /// version changes if they ever do).
    static let multipliers: [UInt64] = {
        var random = SplitMix(state: 0x5354_454D_4D41) // "STEMMA"
        return (0..<count).map { _ in random.next() | 1 }
    }()

    static let offsets: [UInt64] = {
        var random = SplitMix(state: 0x4D41_5443_48) // "MATCH"
        return (0..<count).map { _ in random.next() }
    }()
}

/// SplitMix64: a fixed sequence of well-mixed 64-bit values from a seed.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What matching keeps of a text: its signature and how many distinct shingles it has.
struct TextSketch: Sendable {
    let signature: MinHash
    let shingles: Int

    init(shingles: [UInt64]) {
        signature = MinHash(shingles: shingles)
        self.shingles = shingles.count
    }

    init(_ text: [UInt8]) { self.init(shingles: Shingles.of(text)) }

    /// The share of this text's shingles that `other` has too, estimated from the signatures: a
    /// Jaccard similarity J of sets of sizes q and d means they share J(q + d)/(1 + J).
    func containment(in other: MatchEntry, similarity: Double) -> Double {
        containment(inTextOf: other.shingles, similarity: similarity)
    }

    /// As `containment(in:similarity:)`, for a text of `other` distinct shingles.
    func containment(inTextOf other: Int, similarity: Double) -> Double {
        guard shingles > 0 else { return 0 }
        return min(1, similarity * Double(shingles + other) / ((1 + similarity) * Double(shingles)))
    }
}
