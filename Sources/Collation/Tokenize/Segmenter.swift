import Foundation

/// Boilerplate the house conventions add around a story: not the story's words.
public enum BoilerplateClass: String, Sendable, CaseIterable {
    case dateHeader = "date-header", caption, byline, dateline
}

/// A unit the aligner works with: a sentence, or a piece of boilerplate. `range` starts and ends
/// on non-space tokens; the white space between units is the separator.
public struct TextUnit: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case sentence, boilerplate(BoilerplateClass) }
    public var kind: Kind
    public var range: Range<Int>
    /// Token indices of the unit (into the text's token array).
    public var tokens: Range<Int>
    /// Which paragraph (0-based) the unit is in.
    public var paragraph: Int
}

/// A text cut into tokens, paragraphs and units: the output of stage 1.
public struct SegmentedText: Sendable {
    public let bytes: [UInt8]
    public let tokens: [Token]
    public let units: [TextUnit]

    public func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
}

/// Boilerplate found in a text, as `Segmenter.boilerplate(in:)` reports it.
public struct BoilerplateMark: Sendable, Equatable {
    public let kind: BoilerplateClass
    /// UTF-8 byte range in the text.
    public let range: Range<Int>
    /// The source mark as written: `VNA` of `(VNA) –`, `Reuters` of `(Reuters) -`, `VNS` of `— VNS`.
    public let mark: String?
    /// The known house that mark (or the date header's word) belongs to.
    public let house: HouseConventions?
    /// A date header's date, `YYYY-MM-DD`.
    public let date: String?
}

/// Stage 1b: paragraphs → sentences, with the houses' boilerplate (date header, photo caption,
/// dateline, byline: `HouseConventions`) cut out as units of their own. O(n) in tokens.
public enum Segmenter {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "lt", "gen", "col", "maj", "capt", "sgt", "adm", "cmdr",
        "st", "jr", "sr", "no", "nos", "vs", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "co", "corp", "inc", "ltd", "dept", "assoc", "approx", "pres", "gens", "brig", "ave", "mt", "ft",
        "a.m", "p.m", "cf", "viz", "ca",
    ]

    /// `abbreviations`, each packed as `TokenView.asciiLowercased` packs a token (a table used as
    /// a set: probed once per full stop after a word).
    static let packedAbbreviations: PairTable = {
        var table = PairTable()
        for word in abbreviations {
            // Packed into 64 bits: a longer abbreviation would never be found, so it is refused here.
            precondition(word.utf8.count <= 8 && word.utf8.allSatisfy { $0 < 0x80 }, "abbreviation '\(word)' is not ASCII of at most 8 bytes")
            table.insert(word.utf8.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }, 0)
        }
        return table
    }()

    public static func segment(_ bytes: [UInt8]) -> SegmentedText {
        var breaks = BreakCandidates()
        let tokens = Tokenizer.tokenize(bytes, breaks: &breaks)
        return SegmentedText(bytes: bytes, tokens: tokens, units: units(bytes, tokens, breaks))
    }

    /// The boilerplate the diff engine sets apart in `bytes`, in text order: what Stemma's inference
    /// reads too, so a date header (say) is one to both or to neither.
    public static func boilerplate(in bytes: [UInt8]) -> [BoilerplateMark] {
        var breaks = BreakCandidates()
        let tokens = Tokenizer.tokenize(bytes, breaks: &breaks)
        let view = TokenView(bytes: bytes, tokens: tokens, stops: breaks.stops)
        return detectBoilerplate(view, paragraphs: paragraphs(view, breaks)).map { found in
            let mark = found.mark.map(view.text)
            var house: HouseConventions? = nil
            var date: String? = nil
            switch found.kind {
            case .dateHeader:
                house = HouseConventions.house(dateHeaderWord: view.text(found.range.lowerBound))
                date = view.text(found.range.upperBound - 1)
            case .dateline: house = mark.flatMap { HouseConventions.house(datelineMark: $0) }
            case .byline: house = mark.flatMap { HouseConventions.house(bylineMark: $0) }
            case .caption: break
            }
            return BoilerplateMark(kind: found.kind, range: view.byteRange(found.range), mark: mark, house: house, date: date)
        }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// A piece of boilerplate: its tokens, and the token of its source mark if it has one.
    struct Detected {
        var range: Range<Int>
        var kind: BoilerplateClass
        var mark: Int?
    }

    /// Paragraphs: token ranges between space tokens holding two or more line feeds, trimmed
    /// (a paragraph of white space only drops out).
    static func paragraphs(_ view: TokenView, _ breaks: BreakCandidates) -> [Range<Int>] {
        var paragraphs: [Range<Int>] = []
        paragraphs.reserveCapacity(breaks.longSpaces.count + 1)
        var start = 0
        for i in breaks.longSpaces.lazy.map(Int.init) where view.lineFeeds(i) >= 2 {
            if start < i { paragraphs.append(start..<i) }
            start = i + 1
        }
        if start < view.tokens.count { paragraphs.append(start..<view.tokens.count) }
        var kept = 0
        for p in paragraphs.indices { if let t = view.trimmed(paragraphs[p]) { paragraphs[kept] = t; kept += 1 } }
        paragraphs.removeLast(paragraphs.count - kept)
        return paragraphs
    }

    /// The date header and caption at the start, the dateline of the first paragraph of the body,
    /// the byline at the end.
    static func detectBoilerplate(_ view: TokenView, paragraphs: [Range<Int>]) -> [Detected] {
        var boilerplate: [Detected] = []
        var bodyStart = 0 // first paragraph that may hold a dateline
        if let first = paragraphs.first, let header = view.dateHeader(in: first) {
            boilerplate.append(Detected(range: header, kind: .dateHeader))
        }
        if paragraphs.count > 1, view.isCaption(paragraphs[0]), boilerplate.isEmpty {
            boilerplate.append(Detected(range: paragraphs[0], kind: .caption))
            bodyStart = 1
        }
        if bodyStart < paragraphs.count {
            var p = paragraphs[bodyStart]
            if let header = boilerplate.first(where: { $0.kind == .dateHeader })?.range, header.overlaps(p) {
                p = (header.upperBound..<p.upperBound)
                p = view.trimmed(p) ?? p
            }
            if let dateline = view.dateline(at: p) { boilerplate.append(Detected(range: dateline.range, kind: .dateline, mark: dateline.mark)) }
        }
        if let last = paragraphs.last, let byline = view.byline(in: last), !boilerplate.contains(where: { $0.range.overlaps(byline) }) {
            boilerplate.append(Detected(range: byline, kind: .byline, mark: byline.upperBound - 1))
        }
        return boilerplate
    }

    static func units(_ bytes: [UInt8], _ tokens: [Token], _ breaks: BreakCandidates) -> [TextUnit] {
        let view = TokenView(bytes: bytes, tokens: tokens, stops: breaks.stops)
        let paragraphs = paragraphs(view, breaks)
        let boilerplate = detectBoilerplate(view, paragraphs: paragraphs).map { ($0.range, $0.kind) }

        var units: [TextUnit] = []
        units.reserveCapacity(breaks.stops.count + paragraphs.count + 1)
        var sentences: [Range<Int>] = []
        sentences.reserveCapacity(32)
        var stopCursor = 0
        func appendSentences(of piece: Range<Int>, paragraph: Int) {
            sentences.removeAll(keepingCapacity: true)
            view.appendSentences(in: piece, to: &sentences, cursor: &stopCursor)
            for sentence in sentences {
                units.append(TextUnit(kind: .sentence, range: view.byteRange(sentence), tokens: sentence, paragraph: paragraph))
            }
        }
        for (pIndex, paragraph) in paragraphs.enumerated() {
            // Most paragraphs hold no boilerplate: their sentences go straight in.
            guard boilerplate.contains(where: { $0.0.overlaps(paragraph) }) else {
                appendSentences(of: paragraph, paragraph: pIndex)
                continue
            }
            // Boilerplate first, then sentences in what is left of the paragraph.
            var pieces: [Range<Int>] = [paragraph]
            for (range, cls) in boilerplate where range.overlaps(paragraph) {
                units.append(TextUnit(kind: .boilerplate(cls), range: view.byteRange(range), tokens: range, paragraph: pIndex))
                pieces = pieces.flatMap { piece -> [Range<Int>] in
                    guard piece.overlaps(range) else { return [piece] }
                    return [piece.lowerBound..<range.lowerBound, range.upperBound..<piece.upperBound].compactMap(view.trimmed)
                }
            }
            for piece in pieces { appendSentences(of: piece, paragraph: pIndex) }
        }
        // Boilerplate inside a paragraph comes out ahead of its sentences; most texts have none
        // out of place, and a sort would allocate its buffer anyway.
        if !units.indices.dropFirst().allSatisfy({ units[$0 - 1].range.lowerBound < units[$0].range.lowerBound }) {
            units.sort { $0.range.lowerBound < $1.range.lowerBound }
        }
        return units
    }
}

/// Token-level look-ups over one text's bytes, for the segmenter's rules.
struct TokenView {
    let bytes: [UInt8]
    let tokens: [Token]
    /// Every token that may end a sentence (and maybe others), in order: `BreakCandidates.stops`.
    let stops: [Int32]

    func lineFeeds(_ i: Int) -> Int {
        var count = 0
        for k in tokens[i].range where bytes[k] == 10 { count += 1 }
        return count
    }

    /// Token `i` is the single ASCII byte `byte`.
    func isByte(_ i: Int, _ byte: UInt8) -> Bool {
        let r = tokens[i].range
        return r.count == 1 && bytes[r.lowerBound] == byte
    }

    func text(_ i: Int) -> String { String(decoding: bytes[tokens[i].range], as: UTF8.self) }

    func `is`(_ i: Int, _ text: StaticString) -> Bool {
        let r = tokens[i].range
        guard r.count == text.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + r.lowerBound, text.utf8Start, r.count) == 0 }
    }

    func isDash(_ i: Int) -> Bool { tokens[i].kind == .punctuation && (self.is(i, "\u{2014}") || self.is(i, "\u{2013}") || self.is(i, "-")) }

    func isUpperCode(_ i: Int) -> Bool {
        let r = tokens[i].range
        return tokens[i].kind == .word && (2...32).contains(r.count) && bytes[r].allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }
    }

    func startsUpper(_ i: Int) -> Bool {
        let r = tokens[i].range
        guard !r.isEmpty else { return false }
        let b = bytes[r.lowerBound]
        if b < 0x80 { return (b >= 65 && b <= 90) || (b >= 48 && b <= 57) }
        let first = bytes.withUnsafeBufferPointer { decodeScalar($0.baseAddress!, r.lowerBound, r.upperBound).scalar }
        return first.properties.isUppercase
    }

    func byteRange(_ r: Range<Int>) -> Range<Int> { tokens[r.lowerBound].range.lowerBound..<tokens[r.upperBound - 1].range.upperBound }

    /// `r` without space tokens at either end; nil if nothing is left.
    func trimmed(_ r: Range<Int>) -> Range<Int>? {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, tokens[lo].kind == .space { lo += 1 }
        while hi > lo, tokens[hi - 1].kind == .space { hi -= 1 }
        return lo < hi ? lo..<hi : nil
    }

    func nextNonSpace(_ i: Int, limit: Int) -> Int? {
        var k = i
        while k < limit, tokens[k].kind == .space { k += 1 }
        return k < limit ? k : nil
    }

    func previousNonSpace(_ i: Int, floor: Int) -> Int? {
        var k = i
        while k >= floor, tokens[k].kind == .space { k -= 1 }
        return k >= floor ? k : nil
    }

    /// A house's `date YYYY-MM-DD` header (`HouseConventions.dateHeaderWord`) at the paragraph's
    /// start, after a byte order mark if there is one; the date must be a real day.
    func dateHeader(in p: Range<Int>) -> Range<Int>? {
        var i = p.lowerBound
        if self.is(i, "\u{FEFF}"), let next = nextNonSpace(i + 1, limit: p.upperBound) { i = next }
        var k = i
        guard tokens[k].kind == .word, tokens[k].range.count <= 16,
              HouseConventions.dateHeaderWords.contains(text(k).lowercased()) else { return nil }
        k += 1
        if k < p.upperBound, self.is(k, ":") { k += 1 }
        guard k < p.upperBound, tokens[k].kind == .space, let d = nextNonSpace(k, limit: p.upperBound),
              tokens[d].kind == .number, tokens[d].range.count == 10, CalendarDate.isValid(bytes[tokens[d].range]) else { return nil }
        if d + 1 < p.upperBound, tokens[d + 1].kind == .word { return nil } // `2024-03-12abc` is no date
        return i..<(d + 1)
    }

    /// A first paragraph that credits a photo (`VNA/VNS Photo Trí Dũng`, `Photo: …`).
    func isCaption(_ p: Range<Int>) -> Bool {
        // Compared as bytes: a text of one long paragraph is scanned whole, and a string per word would be slow.
        for k in p where tokens[k].kind == .word && HouseConventions.photoWordBytes.contains(where: { tokens[k].range.count == $0.count && bytes[tokens[k].range].elementsEqual($0) }) {
            if let next = nextNonSpace(k + 1, limit: p.upperBound), self.is(next, ":") { return true }
            if let prev = previousNonSpace(k - 1, floor: p.lowerBound), isUpperCode(prev) { return true }
        }
        return false
    }

    /// A source mark: a code in capitals, or a house's own mark (`HouseConventions`).
    func isMark(_ i: Int, _ marks: Set<String>) -> Bool {
        isUpperCode(i) || (tokens[i].kind == .word && tokens[i].range.count <= 32 && marks.contains(text(i)))
    }

    /// `Hanoi (VNA) –`, `HÀ NỘI —` or `HANOI, March 12 (Reuters) -`: a few capitalised words (a comma
    /// among them only before a source in brackets) then a dash. Returns the range and the mark's token.
    func dateline(at p: Range<Int>) -> (range: Range<Int>, mark: Int?)? {
        var words = 0
        var comma = false
        var mark: Int? = nil
        var k = p.lowerBound
        while k < min(p.upperBound, p.lowerBound + 20) {
            let t = tokens[k]
            switch t.kind {
            case .space: break
            case .word, .number:
                guard startsUpper(k) else { return nil }
                words += 1
            case .punctuation:
                if self.is(k, "("), k + 2 < p.upperBound, isMark(k + 1, HouseConventions.datelineMarks), self.is(k + 2, ")") {
                    mark = k + 1
                    k += 3
                    continue
                }
                if self.is(k, ","), words > 0, mark == nil { comma = true; break }
                if isDash(k), words > 0, k > p.lowerBound, tokens[k - 1].kind == .space {
                    var end = k + 1
                    if end < p.upperBound, self.is(end, "-") { end += 1 } // "--"
                    guard end < p.upperBound, tokens[end].kind == .space, !comma || mark != nil else { return nil }
                    return (p.lowerBound..<end, mark)
                }
                return nil
            }
            if words > 5 { return nil }
            k += 1
        }
        return nil
    }

    /// `— VNS` closing the text.
    func byline(in p: Range<Int>) -> Range<Int>? {
        let last = p.upperBound - 1
        guard isMark(last, HouseConventions.bylineMarks), let dash = previousNonSpace(last - 1, floor: p.lowerBound), isDash(dash) else { return nil }
        var start = dash
        if self.is(dash, "-"), dash - 1 >= p.lowerBound, self.is(dash - 1, "-") { start = dash - 1 }
        return start..<(last + 1)
    }

    /// Sentences of a paragraph piece: a break after `.`, `!` or `?` (and closing quotes or brackets)
    /// when the next word starts a sentence and the full stop does not end an abbreviation or initial.
    func sentences(in p: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var cursor = 0
        appendSentences(in: p, to: &out, cursor: &cursor)
        return out
    }

    /// As `sentences(in:)`, appending to `out` (the segmenter collects a whole text's in one list).
    /// `cursor` is where the previous piece's scan of `stops` ended: pieces come in text order, so
    /// the next one's first stop is found by walking on from there, not by a search.
    func appendSentences(in p: Range<Int>, to out: inout [Range<Int>], cursor: inout Int) {
        var start = p.lowerBound
        // Only the candidate stops are visited; `resume` is where the scan goes on after a break.
        var s = cursor > 0 && Int(stops[cursor - 1]) >= p.lowerBound ? stopsFrom(p.lowerBound) : cursor
        while s < stops.count, Int(stops[s]) < p.lowerBound { s += 1 }
        defer { cursor = s }
        var resume = p.lowerBound
        while s < stops.count, Int(stops[s]) < p.upperBound {
            var k = Int(stops[s])
            s += 1
            guard k >= resume else { continue }
            defer { resume = k + 1 }
            // The tokenizer notes exactly the punctuation that starts with a `TokenRules.sentenceStops` scalar.
            guard tokens[k].kind == .punctuation else { continue }
            if isByte(k, 0x2E), let prev = k > p.lowerBound ? k - 1 : nil, tokens[prev].kind == .word {
                // A multi-dot abbreviation (`e.g.`, `i.e.`, `a.m.`) is tokenised letter by letter.
                if prev - 2 >= p.lowerBound, isByte(prev - 1, 0x2E), tokens[prev - 2].kind == .word,
                   let packed = asciiLowercased(prev - 2, through: prev), Segmenter.packedAbbreviations.find(packed) != nil { continue }
                if let packed = asciiLowercased(prev) {
                    // The usual case, without building strings: a short ASCII word.
                    if Segmenter.packedAbbreviations.find(packed) != nil || (tokens[prev].range.count == 1 && startsUpper(prev)) { continue }
                } else if isASCII(prev) {
                    // A longer ASCII word is neither an abbreviation (none has more than six letters)
                    // nor an initial.
                } else {
                    // Abbreviations are at most six ASCII letters: longer tokens skip the lowercasing.
                    let word = tokens[prev].range.count <= 24 ? text(prev).lowercased() : text(prev)
                    if Segmenter.abbreviations.contains(word) || (word.count == 1 && startsUpper(prev)) { continue }
                }
            }
            var end = k + 1
            while end < p.upperBound, tokens[end].kind == .punctuation, isCloser(end) { end += 1 }
            guard end < p.upperBound, tokens[end].kind == .space, let next = nextNonSpace(end, limit: p.upperBound) else { continue }
            guard startsUpper(next) || isOpener(next) else { continue }
            out.append(start..<end)
            start = next
            k = next - 1
        }
        if start < p.upperBound, let rest = trimmed(start..<p.upperBound) { out.append(rest) }
    }

    /// Index in `stops` of the first candidate at or after token `i`.
    func stopsFrom(_ i: Int) -> Int {
        var lo = 0, hi = stops.count
        while lo < hi { let mid = (lo + hi) / 2; if Int(stops[mid]) < i { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    func isASCII(_ i: Int) -> Bool { bytes[tokens[i].range].allSatisfy { $0 < 0x80 } }

    /// Token `i` lowercased and packed into an integer, if it is ASCII and at most eight bytes.
    func asciiLowercased(_ i: Int) -> UInt64? { asciiLowercased(bytesIn: tokens[i].range) }

    /// Tokens `first` through `last`, packed as one (`e.g` from `e`, `.`, `g`).
    func asciiLowercased(_ first: Int, through last: Int) -> UInt64? {
        asciiLowercased(bytesIn: tokens[first].range.lowerBound..<tokens[last].range.upperBound)
    }

    func asciiLowercased(bytesIn r: Range<Int>) -> UInt64? {
        guard r.count <= 8, r.count > 0 else { return nil }
        var packed: UInt64 = 0
        if r.lowerBound + 8 <= bytes.count {
            // Eight bytes at a time: load, cut to the token, fold A–Z by setting bit 5 of each.
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            packed = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: r.lowerBound, as: UInt64.self) } & (UInt64.max &>> UInt64(64 - 8 * r.count))
            guard packed & highs == 0 else { return nil }
            let upper = (packed &+ ones &* (0x80 - 0x41)) & ~(packed &+ ones &* (0x7F - 0x5A)) & highs
            return packed | upper >> 2
        }
        for (n, k) in r.enumerated() {
            var b = bytes[k]
            guard b < 0x80 else { return nil }
            if b >= 65 && b <= 90 { b += 32 }
            packed |= UInt64(b) << UInt64(8 * n)
        }
        return packed
    }

    func isCloser(_ i: Int) -> Bool { isByte(i, 0x22) || isByte(i, 0x27) || isByte(i, 0x29) || isByte(i, 0x5D) || isOneOf(i, Self.closers) }
    func isOpener(_ i: Int) -> Bool { isByte(i, 0x22) || isByte(i, 0x27) || isByte(i, 0x28) || isByte(i, 0x5B) || isOneOf(i, Self.openers) }

    static let closers: [[UInt8]] = ["\u{201D}", "\u{2019}", "\u{00BB}"].map { Array($0.utf8) }
    static let openers: [[UInt8]] = ["\u{201C}", "\u{2018}", "\u{00AB}"].map { Array($0.utf8) }

    func isOneOf(_ i: Int, _ texts: [[UInt8]]) -> Bool {
        let r = tokens[i].range
        return r.count > 1 && texts.contains { bytes[r].elementsEqual($0) }
    }
}
