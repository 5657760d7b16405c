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

    /// The same tokens as `tokenize`, found one at a time without the 64-byte blocks: the
    /// reference the block path is tested and timed against.
    public static func tokenizeOneAtATime(_ text: [UInt8]) -> [Token] {
        var breaks = BreakCandidates()
        return tokenizeOneAtATime(text, breaks: &breaks)
    }

    /// The tokens, and in `breaks` the few that may end a sentence or a paragraph.
    static func tokenize(_ text: [UInt8], breaks: inout BreakCandidates) -> [Token] {
        tokenize(text, breaks: &breaks, inBlocks: true)
    }

    static func tokenizeOneAtATime(_ text: [UInt8], breaks: inout BreakCandidates) -> [Token] {
        tokenize(text, breaks: &breaks, inBlocks: false)
    }

    private static func tokenize(_ text: [UInt8], breaks: inout BreakCandidates, inBlocks: Bool) -> [Token] {
        text.withUnsafeBufferPointer { buffer in
            guard let bytes = buffer.baseAddress, !buffer.isEmpty else { return [] }
            breaks.reserve(forBytes: buffer.count)
            // Every token holds at least one byte, so the byte count bounds the token count and
            // tokens are written straight into storage of that size (no capacity check per token).
            return [Token](unsafeUninitializedCapacity: buffer.count) { storage, written in
                written = scalarClasses.withUnsafeBufferPointer { table in
                    let classes = table.baseAddress!, tokens = CheckedOutput(storage)
                    return inBlocks ? scanBlocks(bytes, buffer.count, classes: classes, into: tokens, breaks: &breaks)
                                    : scan(bytes, from: 0, to: buffer.count, stoppingAt: buffer.count, classes: classes, into: tokens, count: 0, breaks: &breaks).n
                }
            }
        }
    }

    /// Writes the tokens of `bytes[0..<end]` from `tokens` on and returns how many: 64 bytes at a
    /// time while the text is ASCII, `scan` for the rest.
    ///
    /// A block's bytes are classified at once, with vector compares, into bit masks (bit k for
    /// byte k): letters and digits, white space, bytes outside ASCII. Token boundaries are where
    /// the class changes, and around each punctuation byte; a hyphen or apostrophe between letters
    /// or digits, or `.`/`,` between digits, joins the word as `scan` joins it. News text is mostly
    /// ASCII words and single spaces, so a token costs a few bit operations rather than a pass of
    /// its own over its bytes. Only boundaries that no byte beyond the block or outside ASCII can
    /// move are taken (a mark outside ASCII may extend the token before it, a letter outside ASCII
    /// may continue a word or follow a joiner); from the last of them `scan` takes over until it
    /// is past the first byte outside ASCII.
    private static func scanBlocks(_ bytes: UnsafePointer<UInt8>, _ end: Int, classes: UnsafePointer<UInt8>,
                                   into tokens: CheckedOutput<Token>, breaks: inout BreakCandidates) -> Int {
        var i = 0, n = 0
        while i &+ 64 <= end {
            let block = bytes + i
            let c = BlockClasses(UnsafeRawPointer(block))
            let alphanumeric = c.alphanumeric, space = c.space, high = c.high
            // A joiner needs a letter or digit on both sides; which of those candidates join is
            // decided byte by byte (they are few: `co-operation`, `don't`, `2.5`, `U.S.`).
            var word = alphanumeric
            var afterJoiner: UInt64 = 0
            var candidates = ~(alphanumeric | space | high) & (alphanumeric << 1) & (alphanumeric >> 1)
            while candidates != 0 {
                let q = candidates.trailingZeroBitCount
                candidates &= candidates &- 1
                let cls = classes[Int(block[q])]
                let joins = cls & joinerClass != 0 || (cls & numberJoinerClass != 0 && block[q &- 1] &- 0x30 < 10 && block[q &+ 1] &- 0x30 < 10)
                if joins { word |= 1 << UInt64(q); afterJoiner |= 1 << UInt64(q &+ 1) }
            }
            let punctuation = ~(word | space | high)
            // Boundaries 1 ... v - 2 are certain, v being the first byte outside ASCII (or 64):
            // the classes of bytes q - 1 and q depend on byte q + 1 at most.
            let v = high.trailingZeroBitCount
            let certain: UInt64 = v >= 2 ? (UInt64(1) << UInt64(v &- 1)) &- 2 : 0
            var boundaries = ((word ^ (word << 1)) | (space ^ (space << 1)) | punctuation | (punctuation << 1)) & certain
            var from = 0
            while boundaries != 0 {
                let q = boundaries.trailingZeroBitCount
                boundaries &= boundaries &- 1
                let kind: Token.Kind
                if (word >> UInt64(from)) & 1 != 0 {
                    // A letter or digit first (bit 6 tells them apart); a letter just after a
                    // joiner does not count (so `1-a` stays a number, as in `scan`).
                    var letter = block[from] & 0x40 != 0
                    if !letter {
                        for t in (from &+ 1)..<q where block[t] & 0x40 != 0 && (afterJoiner >> UInt64(t)) & 1 == 0 { letter = true; break }
                    }
                    tokens.put(Token(kind: letter ? .word : .number, range: Range(uncheckedBounds: (i &+ from, i &+ q))), at: n); n &+= 1
                    // The usual next token: one space, ending at the next boundary. Written here,
                    // without a turn of the loop of its own.
                    if (space >> UInt64(q)) & 1 != 0 && (boundaries >> UInt64(q &+ 1)) & 1 != 0 {
                        tokens.put(Token(kind: .space, range: Range(uncheckedBounds: (i &+ q, i &+ q &+ 1))), at: n); n &+= 1
                        boundaries &= boundaries &- 1
                        from = q &+ 1
                    } else {
                        from = q
                    }
                    continue
                } else if (space >> UInt64(from)) & 1 != 0 {
                    kind = .space
                    if q &- from >= 2 { breaks.longSpaces.append(Int32(n)) }
                } else {
                    kind = .punctuation
                    if classes[Int(block[from])] & stopClass != 0 { breaks.stops.append(Int32(n)) }
                }
                tokens.put(Token(kind: kind, range: Range(uncheckedBounds: (i &+ from, i &+ q))), at: n); n &+= 1
                from = q
            }
            let blockStart = i
            i &+= from
            if v < 64 {
                (i, n) = scan(bytes, from: i, to: end, stoppingAt: blockStart &+ v &+ 1, classes: classes, into: tokens, count: n, breaks: &breaks)
            } else if from == 0 {
                // One token fills the block (a long run of spaces, a very long word).
                (i, n) = scan(bytes, from: i, to: end, stoppingAt: i &+ 1, classes: classes, into: tokens, count: n, breaks: &breaks)
            }
        }
        return scan(bytes, from: i, to: end, stoppingAt: end, classes: classes, into: tokens, count: n, breaks: &breaks).n
    }

    /// Writes the tokens of `bytes[from..<end]` from `tokens + count` on, one after another until
    /// one ends at or past `limit`, and returns where it stopped and the new count. Its own
    /// function, with plain arguments, so that the loop's state lives in registers (inside the
    /// closures above it was captured by reference and went through memory on every token).
    ///
    /// News text is mostly ASCII: a byte's class comes from a table and only bytes outside ASCII
    /// are decoded, which keeps the per-byte loops short and their branches predictable. Scalars
    /// below U+2100 (Latin with its diacritics, combining marks, Greek, Cyrillic, typographic
    /// punctuation) take their class from the same table, not from Unicode's.
    private static func scan(_ bytes: UnsafePointer<UInt8>, from: Int, to end: Int, stoppingAt limit: Int, classes: UnsafePointer<UInt8>,
                             into tokens: CheckedOutput<Token>, count: Int, breaks: inout BreakCandidates) -> (i: Int, n: Int) {
        // Counts and offsets stay below `end`, so their sums use wrapping arithmetic (no overflow test).
        var n = count
        var i = from
        nextToken: while i < limit {
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
                tokens.put(Token(kind: .space, range: Range(uncheckedBounds: (start, i))), at: n); n &+= 1
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
                            tokens.put(Token(kind: sawLetter ? .word : .number, range: Range(uncheckedBounds: (start, i))), at: n); n &+= 1
                            tokens.put(Token(kind: .space, range: Range(uncheckedBounds: (i, i + 1))), at: n); n &+= 1
                            i += 1
                            if i >= limit { continue nextToken }
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
                        guard cls & (joinerClass | numberJoinerClass) != 0 else { break }
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
                    let joiner = b < 0x80 ? cls : xClass
                    guard scalarClass(after, classes) & (alphanumericClass | extendingWordClass) != 0,
                          joiner & joinerClass != 0 || (joiner & numberJoinerClass != 0 && before >= 48 && before <= 57 && isDigit(after)) else { break }
                    i += l + m
                }
                tokens.put(Token(kind: sawLetter ? .word : .number, range: Range(uncheckedBounds: (start, i))), at: n); n &+= 1
            } else {
                while i < end, bytes[i] >= 0x80 {
                    let (x, l) = decodeScalar(bytes, i, end)
                    guard scalarClass(x, classes) & extendingClass != 0 else { break }
                    i += l
                }
                if startClass & stopClass != 0 { breaks.stops.append(Int32(n)) }
                tokens.put(Token(kind: .punctuation, range: Range(uncheckedBounds: (start, i))), at: n); n &+= 1
            }
        }
        return (i, n)
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

private let spaceClass: UInt8 = 1, letterClass: UInt8 = 2, digitClass: UInt8 = 4
/// `TokenRules.wordJoiners` and `numberJoiners`; `sentenceStops`.
private let joinerClass: UInt8 = 8, numberJoinerClass: UInt8 = 128, stopClass: UInt8 = 64
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
        return punctuationClass(c)
    }
    return slowScalarClass(c)
}

/// The rule classes of a scalar that is neither space nor part of a word (from `TokenRules`).
private func punctuationClass(_ c: Unicode.Scalar) -> UInt8 {
    (TokenRules.wordJoiners.contains(c) ? joinerClass : 0) | (TokenRules.numberJoiners.contains(c) ? numberJoinerClass : 0)
        | (TokenRules.sentenceStops.contains(c) ? stopClass : 0)
}

private func slowScalarClass(_ c: Unicode.Scalar) -> UInt8 {
    if Tokenizer.isSpace(c) { return spaceClass }
    let extending = Tokenizer.isExtending(c)
    if Tokenizer.isWordScalar(c) { return extending ? extendingWordClass | extendingClass : letterClass }
    return extending ? extendingClass : punctuationClass(c)
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

/// The classes of 64 bytes as bit masks (bit k for byte k): ASCII letters and digits, ASCII
/// white space, bytes outside ASCII. Compared sixteen bytes at a time in vector registers; each
/// comparison's bytes (all ones or all zeros) are gathered into sixteen bits by keeping bit k of
/// byte k and adding the eight bytes of each half with one multiplication (no two overlap).
struct BlockClasses {
    var alphanumeric: UInt64 = 0
    var space: UInt64 = 0
    var high: UInt64 = 0

    @_transparent init(_ block: UnsafeRawPointer) {
        // Four loads and four calls written out: inside a loop the comparisons were not compiled
        // to vector instructions.
        let v0 = block.loadUnaligned(fromByteOffset: 0, as: SIMD16<UInt8>.self)
        let v1 = block.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
        let v2 = block.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self)
        let v3 = block.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
        let c0 = Self.classes(v0), c1 = Self.classes(v1), c2 = Self.classes(v2), c3 = Self.classes(v3)
        alphanumeric = c0.alphanumeric | c1.alphanumeric << 16 | c2.alphanumeric << 32 | c3.alphanumeric << 48
        space = c0.space | c1.space << 16 | c2.space << 32 | c3.space << 48
        // Most blocks are all ASCII: one test on the four vectors ORed together.
        if Self.bits(Self.isHigh(v0 | v1 | v2 | v3)) != 0 {
            high = Self.bits(Self.isHigh(v0)) | Self.bits(Self.isHigh(v1)) << 16 | Self.bits(Self.isHigh(v2)) << 32 | Self.bits(Self.isHigh(v3)) << 48
        }
    }

    @_transparent static func isHigh(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        v .>= SIMD16<UInt8>(repeating: 0x80)
    }

    @_transparent static func classes(_ v: SIMD16<UInt8>) -> (alphanumeric: UInt64, space: UInt64) {
        let letter = (v | SIMD16<UInt8>(repeating: 0x20)) &- SIMD16<UInt8>(repeating: 0x61) .< SIMD16<UInt8>(repeating: 26)
        let digit = v &- SIMD16<UInt8>(repeating: 0x30) .< SIMD16<UInt8>(repeating: 10)
        // Tab, line feed, vertical tab, form feed, carriage return; space.
        let control = v &- SIMD16<UInt8>(repeating: 0x09) .< SIMD16<UInt8>(repeating: 5)
        let blank = v .== SIMD16<UInt8>(repeating: 0x20)
        return (bits(letter .| digit), bits(control .| blank))
    }

    /// Bit k set when byte k of the mask is. Of each half, bit k of byte k is kept and the
    /// product by 0x0101…0100 moves bits 1 ... 7 to bits 65 ... 71 (bit 0 is taken as it is).
    /// The full-width product puts them in its high half: a plain 64-bit product was vectorised
    /// by the compiler, which then emulated the multiplication in vector registers at several
    /// times the cost.
    @_transparent static func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
        let bytes = SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: mask)
        let halves = unsafeBitCast(bytes, to: SIMD2<UInt64>.self)
        let one: UInt64 = 0x8040_2010_0804_0201, sum: UInt64 = 0x0101_0101_0101_0100
        let low = halves[0] & one, high = halves[1] & one
        return (low.multipliedFullWidth(by: sum).high & 0xFF | low & 1) | (high.multipliedFullWidth(by: sum).high & 0xFF | high & 1) << 8
    }
}

@inline(__always) private func scalarClass(_ c: Unicode.Scalar, _ table: UnsafePointer<UInt8>) -> UInt8 {
    c.value < classTableSize ? table[Int(c.value)] : slowScalarClass(c)
}
