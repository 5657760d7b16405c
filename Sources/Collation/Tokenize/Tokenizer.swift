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
        asciiClasses.withUnsafeBufferPointer { classes in
            let end = range.upperBound
            var i = range.lowerBound
            while i < end {
                let start = i
                let (c, length) = decodeScalar(bytes, i, end)
                i += length
                let startClass = c.value < 0x80 ? classes[Int(c.value)] : nil
                if startClass.map({ $0 & spaceClass != 0 }) ?? isSpace(c) {
                    while i < end {
                        if classes[Int(bytes[i])] & spaceClass != 0 { i += 1; continue }
                        guard bytes[i] >= 0x80 else { break }
                        let (x, l) = decodeScalar(bytes, i, end)
                        guard isSpace(x) else { break }
                        i += l
                    }
                    tokens.append(Token(kind: .space, range: start..<i))
                } else if startClass.map({ $0 & alphanumericClass != 0 }) ?? isWordScalar(c) {
                    var sawLetter = !isDigit(c) && !isExtending(c)
                    var previous = c
                    while i < end {
                        let cls = classes[Int(bytes[i])]
                        if cls & alphanumericClass != 0 {
                            if cls & letterClass != 0 { sawLetter = true }
                            i += 1
                            continue
                        }
                        if i > start { let before = bytes[i - 1]; if before < 0x80 { previous = Unicode.Scalar(before) } }
                        let (x, l) = decodeScalar(bytes, i, end)
                        if x.value >= 0x80, isWordScalar(x) || isExtending(x) {
                            if !isExtending(x) { sawLetter = true }
                            previous = x
                            i += l
                            continue
                        }
                        // A joiner between two word scalars: both join the word (the second is not
                        // looked at further, so `1-a` stays a number).
                        guard cls & joinerClass != 0 || x.value >= 0x80, i + l < end else { break }
                        let (after, m) = decodeScalar(bytes, i + l, end)
                        guard isWordScalar(after), isInnerJoiner(x, before: previous, after: after) else { break }
                        previous = after
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
    @inline(__always) static func isInnerJoiner(_ c: Unicode.Scalar, before: Unicode.Scalar, after: Unicode.Scalar) -> Bool {
        switch c {
        case "-", "\u{2010}", "\u{2011}", "'", "\u{2019}": return true
        case ".", ",": return isDigit(before) && isDigit(after)
        default: return false
        }
    }
}

private let spaceClass: UInt8 = 1, letterClass: UInt8 = 2, digitClass: UInt8 = 4, joinerClass: UInt8 = 8
private let alphanumericClass = letterClass | digitClass

/// Classes of the ASCII bytes (bytes from 0x80 have none: they are decoded).
private let asciiClasses: [UInt8] = (0..<256).map { b -> UInt8 in
    guard b < 0x80 else { return 0 }
    let c = Unicode.Scalar(UInt8(b))
    if Tokenizer.isSpace(c) { return spaceClass }
    if Tokenizer.isDigit(c) { return digitClass }
    if Tokenizer.isWordScalar(c) { return letterClass }
    return c == "-" || c == "'" || c == "." || c == "," ? joinerClass : 0
}
