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
    public var kind: Kind
    public var range: Range<Int>

    public init(kind: Kind, range: Range<Int>) { self.kind = kind; self.range = range }

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
