/// One token of a text: a word, a number, a punctuation mark or symbol, or a run of white space.
/// `range` is a half-open UTF-8 byte range into the original bytes, so nothing is ever lost:
/// the tokens of a text, concatenated, give back the text byte for byte.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable, Equatable {
        case word, number, punctuation, space

        /// 1 for a word or number, 0 for punctuation or white space: arithmetic, for counting
        /// words without a branch per token.
        @inline(__always) var wordCount: Int { Int(truncatingIfNeeded: (rawValue >> 1) ^ 1) }
    }

    /// Eight bytes a token, the kind in the low two bits of the end offset: a 16 MiB text has
    /// about five million tokens, every stage walks them, and at 24 bytes (an enum and a
    /// `Range<Int>`) the two token lists alone outgrew every cache and cost a page fault per
    /// 170 tokens. Hence `Collator.maxTextBytes` below 1 GiB.
    private let start: UInt32
    private let endAndKind: UInt32

    @inline(__always) public var kind: Kind {
        // All four values of two bits are cases of `Kind`.
        unsafeBitCast(UInt8(truncatingIfNeeded: endAndKind & 3), to: Kind.self)
    }
    @inline(__always) public var range: Range<Int> { Range(uncheckedBounds: (Int(start), Int(endAndKind >> 2))) }

    @inline(__always) public init(kind: Kind, range: Range<Int>) {
        assert(range.lowerBound >= 0 && range.upperBound <= Collator.maxTextBytes, "Token: offsets past Collator.maxTextBytes")
        start = UInt32(truncatingIfNeeded: range.lowerBound)
        endAndKind = UInt32(truncatingIfNeeded: range.upperBound) << 2 | UInt32(kind.rawValue)
    }

    public var description: String { "\(kind)\(range)" }
}

/// The scalar whose UTF-8 encoding starts at `i`, and its length in bytes. Lenient: a byte that
/// does not start a valid sequence is U+FFFD of length one, so any input decodes and offsets still
/// cover every byte.
@inline(__always) func decodeScalar(_ bytes: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let b0 = bytes[i]
    if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
    return decodeMultibyte(bytes, i, end)
}

private func decodeMultibyte(_ bytes: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let b0 = bytes[i]
    var length = 0
    var value: UInt32 = 0
    if b0 & 0xE0 == 0xC0 { length = 2; value = UInt32(b0 & 0x1F) }
    else if b0 & 0xF0 == 0xE0 { length = 3; value = UInt32(b0 & 0x0F) }
    else if b0 & 0xF8 == 0xF0 { length = 4; value = UInt32(b0 & 0x07) }
    guard length > 0 && i + length <= end else { return ("\u{FFFD}", 1) }
    for k in 1..<length {
        let b = bytes[i + k]
        if b & 0xC0 != 0x80 { return ("\u{FFFD}", 1) }
        value = value << 6 | UInt32(b & 0x3F)
    }
    guard let scalar = Unicode.Scalar(value) else { return ("\u{FFFD}", 1) }
    return (scalar, length)
}
