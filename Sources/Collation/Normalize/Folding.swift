import Foundation

/// The layers of normalisation. A comparison key applies all of them; leaving one out and
/// seeing whether two texts still compare equal is how the analyser tells which kind of
/// accidental separates them.
public struct FoldLayers: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let unicode = FoldLayers(rawValue: 1)      // NFC vs NFD (combining marks)
    public static let typography = FoldLayers(rawValue: 2)   // curly/straight quotes, dashes, NBSP
    public static let `case` = FoldLayers(rawValue: 4)
    public static let diacritics = FoldLayers(rawValue: 8)
    public static let joiners = FoldLayers(rawValue: 16)     // hyphens, apostrophes and spaces inside compounds
    public static let spelling = FoldLayers(rawValue: 32)    // British vs American variants
    public static let all: FoldLayers = [.unicode, .typography, .case, .diacritics, .joiners, .spelling]
}

/// Stage 2 helpers: per-scalar folding. Comparison keys are built from these and never replace
/// the token's own text.
enum Folding {
    /// Latin letters with diacritics → their base letter, built once from Unicode decompositions
    /// (plus the letters that have none, such as đ).
    static let baseLetter: [UInt32: Unicode.Scalar] = {
        var table: [UInt32: Unicode.Scalar] = [:]
        for range in [0xC0...0x24F, 0x1E00...0x1EFF] {
            for v in range {
                guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }
                let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
                if let first = decomposed.first, first.isASCII, first.properties.isAlphabetic, decomposed.count > 1 {
                    table[UInt32(v)] = first
                }
            }
        }
        for (from, to) in [(0x111, "d"), (0x110, "D"), (0xF8, "o"), (0xD8, "O"), (0x142, "l"), (0x141, "L"), (0x131, "i")] {
            table[UInt32(from)] = Unicode.Scalar(to)!
        }
        return table
    }()

    /// Typographic variants → one plain form.
    static func typographic(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c.value {
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: return "\""
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: return "'"
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: return "-"
        case 0x00A0, 0x202F, 0x2007, 0x2009, 0x200A, 0x2002, 0x2003: return " "
        default: return c
        }
    }

    static func isCombining(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x300 && (c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .spacingMark
            || c.properties.generalCategory == .enclosingMark)
    }

    /// `fold(text, layers: .all)` for text that is all ASCII, straight from its bytes; nil for any
    /// other text. On ASCII the typography, diacritics and Unicode layers change nothing, joiners
    /// are dropped and capitals lowered, so only spelling needs a `String`. Most tokens of English
    /// news are ASCII, and a token seen for the first time is folded here.
    static func foldAllASCII(_ bytes: UnsafeRawBufferPointer) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for b in bytes {
            guard b < 0x80 else { return nil }
            if b == 0x2D || b == 0x27 || b == 0x20 { continue } // - ' and space join compounds
            out.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        return Spelling.canonical(utf8: out) ?? String(decoding: out, as: UTF8.self)
    }

    /// A token's comparison key: its bytes with every layer folded. The one fold behind the
    /// lexicon's keys and the matching shingles (`Shingles`), so both see the same words as equal.
    static func tokenKey(_ bytes: UnsafeRawBufferPointer) -> String {
        foldAllASCII(bytes) ?? fold(Substring(String(decoding: bytes, as: UTF8.self)).unicodeScalars, layers: .all)
    }

    /// `text` folded by `layers`. Word-level spelling variants are applied last, to the whole word.
    static func fold(_ text: Substring.UnicodeScalarView, layers: FoldLayers) -> String {
        var out = String.UnicodeScalarView()
        for var c in text {
            if layers.contains(.typography) { c = typographic(c) }
            if layers.contains(.joiners), c == "-" || c == "'" || c == " " || c == "\u{2010}" || c == "\u{2011}" || c == "\u{2019}" { continue }
            if layers.contains(.diacritics) {
                if isCombining(c) { continue }
                if c.value >= 0xC0, let base = baseLetter[c.value] { c = base }
            }
            if layers.contains(.case) {
                if c.value < 0x80 {
                    if c.value >= 65 && c.value <= 90 { c = Unicode.Scalar(c.value + 32)! }
                } else if c.properties.changesWhenLowercased {
                    out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
                    continue
                }
            }
            out.append(c)
        }
        var s = String(out)
        if layers.contains(.unicode) && !layers.contains(.diacritics) && !s.unicodeScalars.allSatisfy({ $0.isASCII }) {
            s = s.precomposedStringWithCanonicalMapping
        }
        if layers.contains(.spelling) { s = Spelling.canonical(s) }
        return s
    }
}
