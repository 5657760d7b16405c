import Collation

/// What a text's own conventions say about where and when it was published.
///
/// The conventions are the houses' (`HouseConventions` in Collation), read by the diff engine's
/// own boilerplate detection (`Segmenter.boilerplate(in:)`): what `diff` calls a date header,
/// dateline or byline is exactly what is inferred from here, and adding a house there teaches both.
public enum Conventions {
    /// The parts of a text the conventions look at (its first 1,024 and last 256 bytes), decoded
    /// without decoding a long text whole.
    public static func excerpt(_ bytes: [UInt8]) -> String {
        guard bytes.count > 1_280 else { return String(decoding: bytes, as: UTF8.self) }
        var head = 1_024, tail = bytes.count - 256
        while head > 0, bytes[head] & 0xC0 == 0x80 { head -= 1 } // cut on character boundaries
        while tail < bytes.count, bytes[tail] & 0xC0 == 0x80 { tail += 1 }
        return String(decoding: bytes[..<head], as: UTF8.self) + "\n\n" + String(decoding: bytes[tail...], as: UTF8.self)
    }

    /// A guess and the reason for it, so the CLI can say what it inferred.
    public struct Inference: Sendable, Equatable {
        public let value: String
        public let reason: String
    }

    /// What one text's conventions say, from one pass of the diff engine's boilerplate detection.
    public struct Reading: Sendable, Equatable {
        /// The publication date from a leading date header (`date YYYY-MM-DD`: VNA's wire export puts
        /// it inline, on the same line as the first sentence).
        public let date: Inference?
        /// The source, from the strongest convention found:
        /// 1. a closing byline (`— VNS`, `-- VNA`), which names who published this edition;
        /// 2. a dateline's mark (`Hanoi (VNA) –`, `HANOI, March 12 (Reuters) -`);
        /// 3. a house's leading date header (VNA's wire export).
        /// A photo credit (`VNA/VNS Photo`) is never used: it names whoever took the photo, often both
        /// agencies. A known house's mark gives its source code (`Reuters` → REUTERS); any other mark is the code itself.
        public let source: Inference?
        /// The date header's date and the UTF-8 byte range it occupies.
        public let dateHeader: (date: String, range: Range<Int>)?

        public init(_ text: String) {
            let found = Segmenter.boilerplate(in: Array(text.utf8))
            let header = found.first { $0.kind == .dateHeader && $0.date != nil }
            dateHeader = header.map { ($0.date!, $0.range) }
            date = header.map { Inference(value: $0.date!, reason: "the leading 'date \($0.date!)' header") }
            func code(_ mark: BoilerplateMark) -> String? {
                guard let written = mark.mark else { return nil }
                let code = mark.house?.source ?? written
                return (try? EditionMetadata.validateSource(code)) != nil ? code : nil
            }
            if let byline = found.last(where: { $0.kind == .byline }), let code = code(byline) {
                source = Inference(value: code, reason: "the closing byline '— \(byline.mark!)'")
            } else if let dateline = found.first(where: { $0.kind == .dateline }), let code = code(dateline) {
                source = Inference(value: code, reason: "the dateline '(\(dateline.mark!))'")
            } else if let house = header?.house {
                source = Inference(value: house.source, reason: "the leading 'date' header of \(house.source)'s wire format")
            } else {
                source = nil
            }
        }

        public static func == (a: Reading, b: Reading) -> Bool {
            a.date == b.date && a.source == b.source && a.dateHeader?.date == b.dateHeader?.date && a.dateHeader?.range == b.dateHeader?.range
        }
    }

    /// The sources a text credits: the marks of its datelines and bylines (`(VNA)`, `— VNS`) and
    /// the codes in its photo captions (`VNA/VNS Photo` credits both). A newspaper credits the
    /// agency whose copy or photos it ran; an agency does not credit the papers that run it.
    public static func credits(in text: String) -> Set<String> { credits(inBytes: Array(text.utf8)) }

    /// `credits(in:)` of an edition's text, read where the conventions stand (`excerpt`).
    public static func credits(of bytes: [UInt8]) -> Set<String> { credits(inBytes: Array(excerpt(bytes).utf8)) }

    private static func credits(inBytes bytes: [UInt8]) -> Set<String> {
        var found = Set<String>()
        for mark in Segmenter.boilerplate(in: bytes) {
            switch mark.kind {
            case .dateline, .byline:
                if let written = mark.mark { found.insert(mark.house?.source ?? written) }
            case .caption:
                for word in captionCodes(bytes[mark.range]) { found.insert(word) }
            case .dateHeader:
                break // a house's export format, not a credit
            }
        }
        return found.filter { (try? EditionMetadata.validateSource($0)) != nil }
    }

    /// The codes a photo caption names: its words of two or more ASCII letters and digits, with a
    /// letter and no lower-case one (`VNA/VNS Photo`: VNA, VNS), any other character separating
    /// them. Characters, not bytes: an ASCII letter a combining mark follows (`O` of an NFD `Ọ`) is
    /// a character of its own that is not ASCII, so NFC and NFD text name the same codes. Tested
    /// on each character's ASCII value, not with `isLetter`, whose Unicode property look-ups were
    /// half the cost of `credits`.
    private static func captionCodes(_ caption: ArraySlice<UInt8>) -> [String] {
        var codes: [String] = []
        var word = ""
        var (letters, lower) = (false, false)
        for c in String(decoding: caption, as: UTF8.self) + " " { // the last space ends the last word
            if let b = c.asciiValue, (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
                word.append(c)
                letters = letters || b >= 65
                lower = lower || b >= 97
                continue
            }
            if word.utf8.count >= 2 && letters && !lower { codes.append(word) }
            word = ""
            (letters, lower) = (false, false)
        }
        return codes
    }

    public static func date(in text: String) -> Inference? { Reading(text).date }

    public static func dateHeader(in text: String) -> (date: String, range: Range<Int>)? { Reading(text).dateHeader }

    public static func source(in text: String) -> Inference? { Reading(text).source }
}
