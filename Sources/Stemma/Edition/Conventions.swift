/// What a text's own conventions say about where and when it was published.
///
/// These are the VNA/VNS house conventions; each rule is a small function so another
/// agency's conventions can be added beside them.
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

    /// The publication date from a leading `date YYYY-MM-DD` header (VNA's wire export puts it
    /// inline, on the same line as the first sentence), or nil.
    public static func date(in text: String) -> Inference? {
        guard let header = dateHeader(in: text) else { return nil }
        return Inference(value: header.date, reason: "the leading 'date \(header.date)' header")
    }

    /// The header's date and the UTF-8 byte range the header occupies (including the space after it).
    public static func dateHeader(in text: String) -> (date: String, range: Range<Int>)? {
        let u = Array(text.utf8.prefix(64))
        var i = 0
        if u.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < u.count, u[i] == 32 || u[i] == 9 || u[i] == 10 || u[i] == 13 { i += 1 }
        let start = i
        guard i + 4 <= u.count, String(decoding: u[i..<i + 4], as: UTF8.self).lowercased() == "date" else { return nil }
        i += 4
        if i < u.count, u[i] == UInt8(ascii: ":") { i += 1 }
        guard i < u.count, u[i] == 32 || u[i] == 9 else { return nil }
        while i < u.count, u[i] == 32 || u[i] == 9 { i += 1 }
        guard i + 10 <= u.count else { return nil }
        let date = String(decoding: u[i..<i + 10], as: UTF8.self)
        guard EditionMetadata.isValidDate(date) else { return nil }
        var end = i + 10
        if end < u.count, isASCIIAlnum(u[end]) { return nil }
        while end < u.count, u[end] == 32 || u[end] == 9 { end += 1 }
        return (date, start..<end)
    }

    /// The source, from the strongest convention found:
    /// 1. a closing byline (`— VNS`, `-- VNA`), which names who published this edition;
    /// 2. a wire dateline (`Hanoi (VNA) –`) near the start;
    /// 3. the leading `date YYYY-MM-DD` header of VNA's wire export.
    /// A photo credit (`VNA/VNS Photo`) is never used: it names whoever took the photo, often both agencies.
    public static func source(in text: String) -> Inference? {
        if let code = byline(in: text) {
            return Inference(value: code, reason: "the closing byline '— \(code)'")
        }
        if let code = dateline(in: text) {
            return Inference(value: code, reason: "the dateline '(\(code))'")
        }
        if dateHeader(in: text) != nil {
            return Inference(value: "VNA", reason: "the leading 'date' header of VNA's wire format")
        }
        return nil
    }

    /// A source code after a dash at the very end of the text: `… countries. — VNS`.
    static func byline(in text: String) -> String? {
        var scalars = Array(text.unicodeScalars.suffix(48))
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var code: [Unicode.Scalar] = []
        while let last = scalars.last, last.isASCII, isUpperAlnum(UInt8(last.value)) || last == "_" { code.insert(last, at: 0); scalars.removeLast() }
        guard (2...32).contains(code.count), isUpperAlnum(UInt8(code[0].value)) else { return nil }
        while let last = scalars.last, last == " " || last == "\u{00A0}" || last == "\t" { scalars.removeLast() }
        guard let dash = scalars.last, dash == "\u{2014}" || dash == "\u{2013}" || dash == "-" else { return nil }
        return String(String.UnicodeScalarView(code))
    }

    /// `(CODE)` followed by a dash within the first line: the wire dateline.
    static func dateline(in text: String) -> String? {
        let head = Array(text.unicodeScalars.prefix(400))
        var i = 0
        while i < head.count {
            if head[i] == "\n" && i > 0 && head[i - 1] == "\n" { break } // first paragraph only
            if head[i] == "(" {
                var j = i + 1
                var code: [Unicode.Scalar] = []
                while j < head.count, head[j].isASCII, isUpperAlnum(UInt8(head[j].value)) { code.append(head[j]); j += 1 }
                if j < head.count, head[j] == ")", (2...10).contains(code.count) {
                    var k = j + 1
                    while k < head.count, head[k] == " " { k += 1 }
                    if k < head.count, head[k] == "\u{2013}" || head[k] == "\u{2014}" || head[k] == "-" {
                        return String(String.UnicodeScalarView(code))
                    }
                }
            }
            i += 1
        }
        return nil
    }
}
