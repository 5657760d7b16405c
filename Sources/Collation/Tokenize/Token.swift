/// One token of a text: a word, a number, a punctuation mark or symbol, or a run of white space.
/// `range` is a half-open UTF-8 byte range into the original bytes, so nothing is ever lost:
/// the tokens of a text, concatenated, give back the text byte for byte.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case word, number, punctuation, space }
    public var kind: Kind
    public var range: Range<Int>

    public init(kind: Kind, range: Range<Int>) { self.kind = kind; self.range = range }

    public var description: String { "\(kind)\(range)" }
}

/// A decoded Unicode scalar and where its bytes start: the tokenizer's input.
struct ScalarAt {
    let scalar: Unicode.Scalar
    let offset: Int
}

/// Decodes UTF-8 leniently: an invalid byte becomes U+FFFD of length one, so any input tokenizes
/// and offsets still cover every byte.
func decodeScalars(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [ScalarAt] {
    var out: [ScalarAt] = []
    out.reserveCapacity(range.count)
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
        let b0 = bytes[i]
        if b0 < 0x80 { out.append(ScalarAt(scalar: Unicode.Scalar(b0), offset: i)); i += 1; continue }
        var length = 0
        var value: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { length = 2; value = UInt32(b0 & 0x1F) }
        else if b0 & 0xF0 == 0xE0 { length = 3; value = UInt32(b0 & 0x0F) }
        else if b0 & 0xF8 == 0xF0 { length = 4; value = UInt32(b0 & 0x07) }
        var ok = length > 0 && i + length <= end
        if ok {
            for k in 1..<length {
                let b = bytes[i + k]
                if b & 0xC0 != 0x80 { ok = false; break }
                value = value << 6 | UInt32(b & 0x3F)
            }
        }
        if ok, let scalar = Unicode.Scalar(value) {
            out.append(ScalarAt(scalar: scalar, offset: i)); i += length
        } else {
            out.append(ScalarAt(scalar: "\u{FFFD}", offset: i)); i += 1
        }
    }
    return out
}
