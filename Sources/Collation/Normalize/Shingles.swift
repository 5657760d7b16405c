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
        var stream: [UInt8] = []
        var starts: [Int] = []
        stream.reserveCapacity(text.bytes.count)
        keys.borrow { memo in
            text.bytes.withUnsafeBytes { raw in
                for unit in text.units where unit.kind == .sentence {
                    for t in unit.tokens {
                        let token = text.tokens[t]
                        guard token.kind == .word || token.kind == .number else { continue }
                        let start = stream.count
                        if memo.appendKey(UnsafeRawBufferPointer(rebasing: raw[token.range]), to: &stream) { starts.append(start) }
                    }
                }
            }
        }
        guard !starts.isEmpty else { return [] }
        // Made distinct in an open-addressing table on the hashes' own low bits (they are mixed
        // already): a Set would hash each of them again.
        var size = 16
        while size < 2 * starts.count { size <<= 1 }
        var table = [UInt64](repeating: 0, count: size)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(starts.count)
        var zero = false // 0 marks an empty slot; a window hashing to 0 is noted apart
        func keep(_ h: UInt64) {
            if h == 0 { if !zero { zero = true; hashes.append(0) }; return }
            var i = Int(truncatingIfNeeded: h) & (size - 1)
            while table[i] != 0 {
                if table[i] == h { return }
                i = (i + 1) & (size - 1)
            }
            table[i] = h
            hashes.append(h)
        }
        stream.withUnsafeBufferPointer { s in
            for start in starts {
                let end = start + windowBytes
                // The last words make one window that ends with the text, however short.
                if end > s.count {
                    keep(hash(s, start..<s.count))
                    break
                }
                keep(hash(s, start..<end))
            }
        }
        return hashes
    }

    /// FNV-1a, then a final mix so that nearby windows spread over all 64 bits.
    @inline(__always) static func hash(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in range { h = (h ^ UInt64(s[i])) &* 0x100_0000_01B3 }
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33
        return h
    }
}

/// Token bytes → folded key bytes, remembered: folding (a `String` per non-ASCII word, the spelling
/// table per word) cost more than the rest of shingling, and a corpus's words repeat. Keyed by a
/// 64-bit hash of the token's bytes (two different words of one corpus sharing one is a chance of
/// about 1 in 10^9 at 10^5 words); emptied when it grows past `limit` entries. An open-addressing
/// table over one byte arena, not a `Dictionary` of arrays: no hashing of the hash, no array per
/// key to retain and release.
final class TokenKeyMemo {
    static let limit = 1 << 18
    /// Token hashes (0: an empty slot) and, at the same index, where the key is in `arena`
    /// (offset << 32 | length).
    private var slots = [UInt64](repeating: 0, count: 1 << 12)
    private var spans = [UInt64](repeating: 0, count: 1 << 12)
    private var arena: [UInt8] = []
    private var count = 0

    /// Appends the folded key of the token `bytes` to `out`; false (nothing appended) when the
    /// key is empty.
    func appendKey(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h ^= UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        if h == 0 { h = 1 }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
        while slots[i] != 0 {
            if slots[i] == h { return append(spans[i], to: &out) }
            i = (i + 1) & mask
        }
        let key = Array(Folding.tokenKey(bytes).utf8)
        if count >= Self.limit {
            forget()
        } else if 2 * (count + 1) > slots.count {
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
        out.append(contentsOf: arena[offset..<offset + length])
        return true
    }

    private func insert(_ h: UInt64, _ span: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = h
        spans[i] = span
        count += 1
    }

    private func grow() {
        let (oldSlots, oldSpans) = (slots, spans)
        slots = [UInt64](repeating: 0, count: oldSlots.count * 2)
        spans = [UInt64](repeating: 0, count: oldSlots.count * 2)
        count = 0
        for (h, span) in zip(oldSlots, oldSpans) where h != 0 { insert(h, span) }
    }

    private func forget() {
        for i in slots.indices { slots[i] = 0 }
        arena.removeAll(keepingCapacity: true)
        count = 0
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
