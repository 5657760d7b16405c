/// Stage 1a: splits bytes into tokens.
///
/// Words keep their inner hyphens, apostrophes and combining marks (`co-operation`, `don't`,
/// an NFD `Trọng` are one token each), numbers keep inner `.`/`,` (`2.5`, `1,000`); every other
/// non-space scalar is a token of its own, with any combining or joining scalars that follow it.
/// O(n) in the number of scalars.
public enum Tokenizer {
    public static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var breaks = BreakCandidates()
        return tokenize(bytes, breaks: &breaks)
    }

    /// The tokens, and in `breaks` the few that may end a sentence or a paragraph.
    static func tokenize(_ text: [UInt8], breaks: inout BreakCandidates) -> [Token] {
        text.withUnsafeBufferPointer { buffer in tokenize(buffer, breaks: &breaks) }
    }

    private static func tokenize(_ buffer: UnsafeBufferPointer<UInt8>, breaks: inout BreakCandidates) -> [Token] {
        guard let bytes = buffer.baseAddress, !buffer.isEmpty else { return [] }
        breaks.reserve(forBytes: buffer.count)
        // Every token holds at least one byte, so the byte count bounds the token count and
        // tokens are written straight into storage of that size (no capacity check per token).
        return [Token](unsafeUninitializedCapacity: buffer.count) { storage, written in
            written = scalarClasses.withUnsafeBufferPointer { table in
                scan(bytes, buffer.count, classes: table.baseAddress!, into: storage.baseAddress!, breaks: &breaks)
            }
        }
    }

    /// Writes the tokens of `bytes[0..<end]` from `tokens` on and returns how many. Its own
    /// function, with plain arguments, so that the loop's state lives in registers (inside the
    /// closures above it was captured by reference and went through memory on every token).
    ///
    /// News text is mostly ASCII: a byte's class comes from a table and only bytes outside ASCII
    /// are decoded, which keeps the per-byte loops short and their branches predictable. Scalars
    /// below U+2100 (Latin with its diacritics, combining marks, Greek, Cyrillic, typographic
    /// punctuation) take their class from the same table, not from Unicode's.
    private static func scan(_ bytes: UnsafePointer<UInt8>, _ end: Int, classes: UnsafePointer<UInt8>,
                             into tokens: UnsafeMutablePointer<Token>, breaks: inout BreakCandidates) -> Int {
        // Counts and offsets stay below `end`, so their sums use wrapping arithmetic (no overflow test).
        var n = 0
        var i = 0
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
                startClass = scalarClass(c, classes)
            }
            if startClass & spaceClass != 0 {
                while i < end {
                    let b = bytes[i]
                    if b < 0x80 { if classes[Int(b)] & spaceClass != 0 { i += 1; continue }; break }
                    let (x, l) = decodeScalar(bytes, i, end)
                    guard scalarClass(x, classes) & spaceClass != 0 else { break }
                    i += l
                }
                if i - start >= 2 { breaks.longSpaces.append(Int32(n)) }
                (tokens + n).initialize(to: Token(kind: .space, range: Range(uncheckedBounds: (start, i)))); n &+= 1
            } else if startClass & (alphanumericClass | extendingWordClass) != 0 {
                var start = start
                var sawLetter = startClass & letterClass != 0
                while i < end {
                    if i &+ 8 <= end {
                        // Eight bytes at a time while they are ASCII letters and digits.
                        let run = asciiAlphanumericRun(UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                        sawLetter = sawLetter || run.letter
                        i &+= run.length
                        if run.length == 8 { continue }
                        // The usual end of a word: one plain space, then a letter or digit (both
                        // seen in the same eight bytes). The word and the space are written here
                        // and the next word goes on in this loop, not round the outer one.
                        if run.spaceThenAlphanumeric {
                            (tokens + n).initialize(to: Token(kind: sawLetter ? .word : .number, range: Range(uncheckedBounds: (start, i)))); n &+= 1
                            (tokens + n).initialize(to: Token(kind: .space, range: Range(uncheckedBounds: (i, i + 1)))); n &+= 1
                            i += 1
                            start = i
                            sawLetter = false
                            continue
                        }
                    }
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
                    let xClass = b >= 0x80 ? scalarClass(x, classes) : 0
                    if xClass & (letterClass | extendingWordClass | extendingClass) != 0 {
                        if xClass & letterClass != 0 { sawLetter = true }
                        i += l
                        continue
                    }
                    // A joiner between two word scalars: both join the word (the second is not
                    // looked at further, so `1-a` stays a number). The scalar before a joiner
                    // is a digit only if it is an ASCII one.
                    guard i + l < end else { break }
                    let (after, m) = decodeScalar(bytes, i + l, end)
                    let before = bytes[i - 1]
                    guard scalarClass(after, classes) & (alphanumericClass | extendingWordClass) != 0, isInnerJoiner(x, beforeIsDigit: before >= 48 && before <= 57, after: after) else { break }
                    i += l + m
                }
                (tokens + n).initialize(to: Token(kind: sawLetter ? .word : .number, range: Range(uncheckedBounds: (start, i)))); n &+= 1
            } else {
                while i < end, bytes[i] >= 0x80 {
                    let (x, l) = decodeScalar(bytes, i, end)
                    guard scalarClass(x, classes) & extendingClass != 0 else { break }
                    i += l
                }
                // `.`, `!`, `?` and, among others starting with byte E2, `…`.
                if b0 == 0x2E || b0 == 0x21 || b0 == 0x3F || b0 == 0xE2 { breaks.stops.append(Int32(n)) }
                (tokens + n).initialize(to: Token(kind: .punctuation, range: Range(uncheckedBounds: (start, i)))); n &+= 1
            }
        }
        return n
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

/// Token indices the segmenter looks at, noted by the tokenizer so that the segmenter never
/// walks every token: punctuation that may end a sentence, and white space runs of two or more
/// bytes (which may hold a blank line).
struct BreakCandidates {
    var stops: [Int32] = []
    var longSpaces: [Int32] = []

    /// Room for a typical text of `bytes` bytes (news has a full stop every hundred bytes or so),
    /// so that the lists seldom grow while the tokenizer fills them.
    mutating func reserve(forBytes bytes: Int) {
        stops.reserveCapacity(bytes / 32 + 8)
        longSpaces.reserveCapacity(bytes / 64 + 8)
    }
}

private let spaceClass: UInt8 = 1, letterClass: UInt8 = 2, digitClass: UInt8 = 4, joinerClass: UInt8 = 8
private let alphanumericClass = letterClass | digitClass
/// A word that starts with a combining mark (it carries no letter of its own).
private let extendingWordClass: UInt8 = 16

/// A scalar that belongs to the one before it (a combining mark, joiner or variation selector).
private let extendingClass: UInt8 = 32

/// Classes of the scalars below `classTableSize`: ASCII as the byte loops need it, the rest as
/// the tokenizer's rules see them (a non-ASCII word scalar counts as a letter).
private let classTableSize = 0x2100
private let scalarClasses: [UInt8] = (0..<classTableSize).map { v -> UInt8 in
    let c = Unicode.Scalar(UInt32(v)) ?? "\u{FFFD}"
    guard v >= 0x80 else {
        if Tokenizer.isSpace(c) { return spaceClass }
        if Tokenizer.isDigit(c) { return digitClass }
        if Tokenizer.isWordScalar(c) { return letterClass }
        return c == "-" || c == "'" || c == "." || c == "," ? joinerClass : 0
    }
    return slowScalarClass(c)
}

private func slowScalarClass(_ c: Unicode.Scalar) -> UInt8 {
    if Tokenizer.isSpace(c) { return spaceClass }
    let extending = Tokenizer.isExtending(c)
    if Tokenizer.isWordScalar(c) { return extending ? extendingWordClass | extendingClass : letterClass }
    return extending ? extendingClass : 0
}

/// How many of the eight bytes in `word` (first byte lowest) are ASCII letters or digits before
/// the first that is not, whether a letter is among them, and whether that first other byte is
/// a plain space followed by a letter or digit: SWAR, each byte tested in place, no branches.
@inline(__always) private func asciiAlphanumericRun(_ word: UInt64) -> (length: Int, letter: Bool, spaceThenAlphanumeric: Bool) {
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    let ascii = ~word & highs
    let x = word & ~highs // every byte below 0x80, so the sums below never carry into the next byte
    // A byte is in lo...hi when x + (0x80 - lo) sets its high bit and x + (0x7F - hi) does not.
    func within(_ x: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 { (x &+ ones &* (0x80 - lo)) & ~(x &+ ones &* (0x7F - hi)) }
    let letters = within(x | ones &* 0x20, 0x61, 0x7A)
    let alphanumeric = (letters | within(x, 0x30, 0x39)) & ascii
    // The high bit of the first byte that is not a letter or digit (0 when all eight are).
    let stops = ~alphanumeric & highs
    let first = stops & (0 &- stops)
    // Every bit below that byte: the run itself (all ones when the run fills the word).
    let run = first &- 1
    let spaces = ~((x ^ ones &* 0x20) &+ ones &* 0x7F) & ascii
    // That byte a space, the next one a letter or digit (byte k + 1's high bit moved down to k's).
    let spaceThen = first & spaces & (alphanumeric >> 8) != 0
    return (stops.trailingZeroBitCount / 8, letters & highs & run != 0, spaceThen)
}

@inline(__always) private func scalarClass(_ c: Unicode.Scalar, _ table: UnsafePointer<UInt8>) -> UInt8 {
    c.value < classTableSize ? table[Int(c.value)] : slowScalarClass(c)
}
