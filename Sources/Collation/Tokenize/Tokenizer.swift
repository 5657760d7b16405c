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

    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Token] {
        tokenize(scalars: decodeScalars(bytes, range), end: range.upperBound)
    }

    static func tokenize(scalars s: [ScalarAt], end: Int) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(s.count / 4)
        var i = 0
        let n = s.count
        func offset(_ k: Int) -> Int { k < n ? s[k].offset : end }
        while i < n {
            let c = s[i].scalar
            let start = i
            if isSpace(c) {
                while i < n, isSpace(s[i].scalar) { i += 1 }
                tokens.append(Token(kind: .space, range: s[start].offset..<offset(i)))
            } else if isWordScalar(c) {
                var sawLetter = false
                while i < n {
                    let x = s[i].scalar
                    if isWordScalar(x) || isExtending(x) {
                        if !isDigit(x) && !isExtending(x) { sawLetter = true }
                        i += 1
                    } else if i + 1 < n, isWordScalar(s[i + 1].scalar), isInnerJoiner(x, before: s[i - 1].scalar, after: s[i + 1].scalar) {
                        i += 2
                    } else {
                        break
                    }
                }
                tokens.append(Token(kind: sawLetter ? .word : .number, range: s[start].offset..<offset(i)))
            } else {
                i += 1
                while i < n, isExtending(s[i].scalar) { i += 1 }
                tokens.append(Token(kind: .punctuation, range: s[start].offset..<offset(i)))
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
