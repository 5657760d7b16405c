import Foundation

/// The shingles of a text for finding near-copies: hashes of short windows over its story words
/// (sentences only: headers, datelines, captions and bylines are house furniture, not the story),
/// each word folded by the engine's own comparison key (`Folding.tokenKey`), punctuation left out.
///
/// A window starts at every word and runs `windowBytes` bytes of folded words written together,
/// with nothing between them. Writing them together is the joiners layer applied across words: the
/// window starting at `Việt` in `Việt Nam and…` reads `vietnamand…`, as the one starting at `Vietnam`
/// does, so a compound written apart costs one unmatched window, not every window over it. A
/// window of 24 bytes spans four or five words: long enough that unrelated texts rarely share one,
/// short enough that a reworded sentence keeps most of its neighbours' windows.
public enum Shingles {
    public static let windowBytes = 24

    /// The distinct shingle hashes of `bytes` (64-bit, unordered).
    public static func of(_ bytes: [UInt8]) -> [UInt64] {
        of(Segmenter.segment(bytes))
    }

    public static func of(_ text: SegmentedText) -> [UInt64] {
        // The folded words written together.
        var stream: [UInt8] = []
        var starts: [Int] = []
        stream.reserveCapacity(text.bytes.count)
        keys.borrow { memo in memo.appendKeys(of: text, to: &stream, starts: &starts) }
        guard !starts.isEmpty else { return [] }
        let length = stream.count
        var distinct = DistinctHashes(capacity: starts.count)
        stream.withUnsafeBytes { s in
            // Full windows four at a time: FNV-1a is a chain of dependent multiplications, one a
            // byte, and four chains side by side keep the multiplier busy (a third of shingling).
            let full = starts.firstIndex { $0 + windowBytes > length } ?? starts.count
            var i = 0
            while i + 4 <= full {
                let h = hash4(s.baseAddress!, starts[i], starts[i + 1], starts[i + 2], starts[i + 3])
                distinct.keep(h.0); distinct.keep(h.1); distinct.keep(h.2); distinct.keep(h.3)
                i += 4
            }
            for start in starts[i..<full] { distinct.keep(hash(UnsafeRawBufferPointer(rebasing: s[start..<start + windowBytes]))) }
            // The last words make one window that ends with the text, however short.
            if full < starts.count { distinct.keep(hash(UnsafeRawBufferPointer(rebasing: s[starts[full]..<length]))) }
        }
        return distinct.hashes
    }

    /// FNV-1a, then a final mix so that nearby windows spread over all 64 bits. (A hash reading 8
    /// bytes at a time was no faster once the rest was, and changing the hashes changes which
    /// borderline candidates the signatures surface: the hard set's results moved both ways.)
    @inline(__always) static func hash(_ window: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in window { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return mix(h)
    }

    /// `hash` of the four full windows starting at byte offsets `a`, `b`, `c` and `d` of `s`.
    @inline(__always) static func hash4(_ s: UnsafeRawPointer, _ a: Int, _ b: Int, _ c: Int, _ d: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        let basis: UInt64 = 0xCBF2_9CE4_8422_2325, prime: UInt64 = 0x100_0000_01B3
        var (ha, hb, hc, hd) = (basis, basis, basis, basis)
        for j in 0..<windowBytes {
            ha = (ha ^ UInt64(s.load(fromByteOffset: a + j, as: UInt8.self))) &* prime
            hb = (hb ^ UInt64(s.load(fromByteOffset: b + j, as: UInt8.self))) &* prime
            hc = (hc ^ UInt64(s.load(fromByteOffset: c + j, as: UInt8.self))) &* prime
            hd = (hd ^ UInt64(s.load(fromByteOffset: d + j, as: UInt8.self))) &* prime
        }
        return (mix(ha), mix(hb), mix(hc), mix(hd))
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33
        return h
    }
}

/// Hashes made distinct in an open-addressing table on their own low bits (they are mixed
/// already): a Set would hash each of them again. A struct, not a closure over local variables:
/// those were boxed, every access checked.
private struct DistinctHashes {
    private var slots: [UInt64]
    private(set) var hashes: [UInt64] = []
    private var zero = false // 0 marks an empty slot; a hash 0 is noted apart

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        hashes.reserveCapacity(capacity)
    }

    @inline(__always) mutating func keep(_ h: UInt64) {
        if h == 0 { if !zero { zero = true; hashes.append(0) }; return }
        let mask = slots.count - 1
        let new: Bool = slots.withUnsafeMutableBufferPointer { slots in
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 {
                if slots[i] == h { return false }
                i = (i + 1) & mask
            }
            slots[i] = h
            return true
        }
        if new { hashes.append(h) }
    }
}

/// Token bytes → folded key bytes, remembered: folding (a `String` per non-ASCII word, the spelling
/// table per word) cost more than the rest of shingling, and a corpus's words repeat. Keyed by a
/// 64-bit hash of the token's bytes (two different words of one corpus sharing one is a chance of
/// about 1 in 10^9 at 10^5 words); emptied when it grows past `limit` entries. An open-addressing
/// table over one byte arena, not a `Dictionary` of arrays: no hashing of the hash, no array per
/// key to retain and release; a slot holds the hash and where its key is side by side, one cache
/// line for both.
final class TokenKeyMemo {
    static let limit = 1 << 18
    private var table = Table()

    /// Appends the folded key of each word and number of `text`'s sentences to `stream`, and
    /// where each non-empty key starts to `starts`.
    func appendKeys(of text: SegmentedText, to stream: inout [UInt8], starts: inout [Int]) {
        // Worked on as a local, moved out and back: no copy, and none of the exclusivity checks
        // and reference counting each access to a class's stored array costs (they were half the time).
        var memo = table
        table = Table(empty: ())
        defer { table = memo }
        text.bytes.withUnsafeBytes { raw in
            text.tokens.withUnsafeBufferPointer { tokens in
                for unit in text.units where unit.kind == .sentence {
                    for t in unit.tokens {
                        let token = tokens[t]
                        guard token.kind == .word || token.kind == .number else { continue }
                        let start = stream.count
                        let h = TokenKeyMemo.hash(raw, token.range)
                        if memo.appendKey(UnsafeRawBufferPointer(rebasing: raw[token.range]), hash: h, to: &stream) { starts.append(start) }
                    }
                }
            }
        }
    }

    /// The memo's key for the token at `range` of `text`: its bytes read 8 at a time (one load
    /// and one multiplication for most words, where FNV-1a took one a byte), mixed with the length.
    /// A last word shorter than 8 is read as 8 bytes and masked where the text has room after it.
    @inline(__always) static func hash(_ text: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var h = UInt64(range.count) &* 0x9E37_79B9_7F4A_7C15
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            h = (h ^ text.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        let rest = range.upperBound - i
        if rest > 0 {
            var last: UInt64 = 0
            if i + 8 <= text.count {
                last = text.loadUnaligned(fromByteOffset: i, as: UInt64.self) & (UInt64.max >> (64 - 8 * UInt64(rest)))
            } else {
                for j in 0..<rest { last |= UInt64(text[i + j]) << (8 * UInt64(j)) }
            }
            h = (h ^ last) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29; h = h &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 32
        return h == 0 ? 1 : h
    }

    private struct Table {
        /// Per slot, two words: the token hash (0: an empty slot) and where its key is in `arena`
        /// (offset << 32 | length).
        var slots: [UInt64]
        var arena: [UInt8] = []
        var count = 0

        init() { slots = [UInt64](repeating: 0, count: 2 << 12) }
        /// A placeholder while the memo's table is worked on as a local: no room allocated.
        init(empty: ()) { slots = [] }

        /// Appends the folded key of the token `bytes` (`h`: its `TokenKeyMemo.hash`) to `out`;
        /// false (nothing appended) when the key is empty.
        mutating func appendKey(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, to out: inout [UInt8]) -> Bool {
            let found: UInt64? = slots.withUnsafeBufferPointer { table in
                let mask = table.count / 2 - 1
                var i = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
                while table[2 * i] != 0 {
                    if table[2 * i] == h { return table[2 * i + 1] }
                    i = (i + 1) & mask
                }
                return nil
            }
            if let span = found { return append(span, to: &out) }
            let key = Array(Folding.tokenKey(bytes).utf8)
            if count >= TokenKeyMemo.limit {
                forget()
            } else if 2 * (count + 1) > slots.count / 2 {
                grow()
            }
            let span = UInt64(arena.count) << 32 | UInt64(key.count)
            arena.append(contentsOf: key)
            insert(h, span)
            return append(span, to: &out)
        }

        private func append(_ span: UInt64, to out: inout [UInt8]) -> Bool {
            let length = Int(span & 0xFFFF_FFFF)
            guard length > 0 else { return false }
            let offset = Int(span >> 32)
            arena.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[offset..<offset + length])) }
            return true
        }

        private mutating func insert(_ h: UInt64, _ span: UInt64) {
            let mask = slots.count / 2 - 1
            var i = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
            while slots[2 * i] != 0 { i = (i + 1) & mask }
            slots[2 * i] = h
            slots[2 * i + 1] = span
            count += 1
        }

        private mutating func grow() {
            let old = slots
            slots = [UInt64](repeating: 0, count: old.count * 2)
            count = 0
            for i in stride(from: 0, to: old.count, by: 2) where old[i] != 0 { insert(old[i], old[i + 1]) }
        }

        private mutating func forget() {
            for i in slots.indices { slots[i] = 0 }
            arena.removeAll(keepingCapacity: true)
            count = 0
        }
    }
}

/// One memo per thread at a time, as the collator's lexicons are lent.
private let keys = MemoPool()

private final class MemoPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [TokenKeyMemo] = []

    func borrow<R>(_ body: (TokenKeyMemo) -> R) -> R {
        lock.lock()
        let memo = idle.popLast() ?? TokenKeyMemo()
        lock.unlock()
        defer { lock.lock(); idle.append(memo); lock.unlock() }
        return body(memo)
    }
}
