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
                        let key = memo.key(UnsafeRawBufferPointer(rebasing: raw[token.range]))
                        guard !key.isEmpty else { continue }
                        starts.append(stream.count)
                        stream.append(contentsOf: key)
                    }
                }
            }
        }
        guard !starts.isEmpty else { return [] }
        var hashes = Set<UInt64>(minimumCapacity: starts.count)
        stream.withUnsafeBufferPointer { s in
            for start in starts {
                let end = start + windowBytes
                // The last words make one window that ends with the text, however short.
                if end > s.count {
                    hashes.insert(hash(s, start..<s.count))
                    break
                }
                hashes.insert(hash(s, start..<end))
            }
        }
        return Array(hashes)
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
/// about 1 in 10^9 at 10^5 words); emptied when it grows past `limit` entries.
final class TokenKeyMemo {
    static let limit = 1 << 18
    private var keys: [UInt64: [UInt8]] = [:]

    func key(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h ^= UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        if let known = keys[h] { return known }
        if keys.count >= Self.limit { keys.removeAll(keepingCapacity: true) }
        let key = Array(Folding.tokenKey(bytes).utf8)
        keys[h] = key
        return key
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
