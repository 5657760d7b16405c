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
        text.bytes.withUnsafeBytes { raw in
            for unit in text.units where unit.kind == .sentence {
                for t in unit.tokens {
                    let token = text.tokens[t]
                    guard token.kind == .word || token.kind == .number else { continue }
                    let key = Folding.tokenKey(UnsafeRawBufferPointer(rebasing: raw[token.range]))
                    guard !key.isEmpty else { continue }
                    starts.append(stream.count)
                    stream.append(contentsOf: key.utf8)
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
