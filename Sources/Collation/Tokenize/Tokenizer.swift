/// Stage 1a: splits bytes into tokens.
///
/// Words keep their inner hyphens, apostrophes and combining marks (`co-operation`, `don't`,
/// an NFD `Trọng` are one token each), numbers keep inner `.`/`,` (`2.5`, `1,000`); every other
/// non-space scalar is a token of its own, with any combining or joining scalars that follow it.
/// O(n) in the number of scalars.
public enum Tokenizer {
    public static func tokenize(_ bytes: [UInt8]) -> [Token] {
        bytes.withUnsafeBufferPointer { tokenize($0, 0..<$0.count) }
    }

    static func tokenize(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(range.count / 2)
        guard let bytes = buffer.baseAddress else { return tokens }
        // News text is mostly ASCII: a byte's class comes from a table and only bytes outside
        // ASCII are decoded, which keeps the per-byte loops short and their branches predictable.
        asciiClasses.withUnsafeBufferPointer { table in
            let classes = table.baseAddress!
            let end = range.upperBound
            var i = range.lowerBound
            while i < end {
                let start = i
                let b0 = bytes[i]
                let startClass: UInt8
                if b0 < 0x80 {
                    startClass = classes[Int(b0)]
                    i += 1
                } else {
                    let (c, length) = decodeScalar(bytes, i, end)
                    i += length
                    startClass = isSpace(c) ? spaceClass : (isWordScalar(c) ? (isExtending(c) ? extendingWordClass : letterClass) : 0)
                }
                if startClass & spaceClass != 0 {
                    while i < end {
                        let b = bytes[i]
                        if b < 0x80 { if classes[Int(b)] & spaceClass != 0 { i += 1; continue }; break }
                        let (x, l) = decodeScalar(bytes, i, end)
                        guard isSpace(x) else { break }
                        i += l
                    }
                    tokens.append(Token(kind: .space, range: start..<i))
                } else if startClass & (alphanumericClass | extendingWordClass) != 0 {
                    var sawLetter = startClass & letterClass != 0
                    while i < end {
                        let b = bytes[i]
                        var cls: UInt8 = 0
                        if b < 0x80 {
                            cls = classes[Int(b)]
                            if cls & alphanumericClass != 0 {
                                sawLetter = sawLetter || cls & letterClass != 0
                                i += 1
                                continue
                            }
                            // Only a joiner can carry the word on.
                            guard cls & joinerClass != 0 else { break }
                        }
                        let (x, l) = decodeScalar(bytes, i, end)
                        if b >= 0x80, isWordScalar(x) || isExtending(x) {
                            if !isExtending(x) { sawLetter = true }
                            i += l
                            continue
                        }
                        // A joiner between two word scalars: both join the word (the second is not
                        // looked at further, so `1-a` stays a number). The scalar before a joiner
                        // is a digit only if it is an ASCII one.
                        guard i + l < end else { break }
                        let (after, m) = decodeScalar(bytes, i + l, end)
                        let before = bytes[i - 1]
                        guard isWordScalar(after), isInnerJoiner(x, beforeIsDigit: before >= 48 && before <= 57, after: after) else { break }
                        i += l + m
                    }
                    tokens.append(Token(kind: sawLetter ? .word : .number, range: start..<i))
                } else {
                    while i < end, bytes[i] >= 0x80 {
                        let (x, l) = decodeScalar(bytes, i, end)
                        guard isExtending(x) else { break }
                        i += l
                    }
                    tokens.append(Token(kind: .punctuation, range: start..<i))
                }
            }
        }
        return tokens
    }

    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c == " " || c == "\n" || c == "\t" || c == "\r" || c.value == 0x0B || c.value == 0x0C }
        return c.properties.isWhitespace
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    @inline(__always) static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) }
        if c == "\u{FEFF}" || c == "\u{FFFD}" { return false }
        return c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// Combining marks, joiners and variation selectors belong to the scalar before them.
    @inline(__always) static func isExtending(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x300 { return false }
        return c.properties.isGraphemeExtend || v == 0x200D || (0xFE00...0xFE0F).contains(v)
    }

    /// Hyphens and apostrophes join letters; `.` and `,` join digits.
    @inline(__always) static func isInnerJoiner(_ c: Unicode.Scalar, beforeIsDigit: Bool, after: Unicode.Scalar) -> Bool {
        switch c {
        case "-", "\u{2010}", "\u{2011}", "'", "\u{2019}": return true
        case ".", ",": return beforeIsDigit && isDigit(after)
        default: return false
        }
    }
}

private let spaceClass: UInt8 = 1, letterClass: UInt8 = 2, digitClass: UInt8 = 4, joinerClass: UInt8 = 8
private let alphanumericClass = letterClass | digitClass
/// A word that starts with a combining mark (it carries no letter of its own).
private let extendingWordClass: UInt8 = 16

/// Classes of the ASCII bytes (bytes from 0x80 have none: they are decoded).
private let asciiClasses: [UInt8] = (0..<256).map { b -> UInt8 in
    guard b < 0x80 else { return 0 }
    let c = Unicode.Scalar(UInt8(b))
    if Tokenizer.isSpace(c) { return spaceClass }
    if Tokenizer.isDigit(c) { return digitClass }
    if Tokenizer.isWordScalar(c) { return letterClass }
    return c == "-" || c == "'" || c == "." || c == "," ? joinerClass : 0
}
