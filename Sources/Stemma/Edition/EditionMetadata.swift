import Collation

/// What Stemma records about one edition besides its bytes.
public struct EditionMetadata: Sendable, Equatable, Hashable {
    /// Story id: a slug `[a-z0-9][a-z0-9-]{0,95}`; every edition of one story shares it.
    public var story: String
    /// Short source code such as `VNA` or `VNS`: `[A-Z0-9][A-Z0-9_-]{0,31}`.
    public var source: String
    /// Publication date, `YYYY-MM-DD`.
    public var date: String
    public var title: String?
    public var url: String?
    /// The full edition id this edition was edited from.
    public var derivedFrom: String?
    /// A BCP 47 language tag such as `en` or `vi`.
    public var language: String?

    public init(story: String, source: String, date: String, title: String? = nil, url: String? = nil,
                derivedFrom: String? = nil, language: String? = nil) {
        self.story = story; self.source = source; self.date = date
        self.title = title; self.url = url; self.derivedFrom = derivedFrom; self.language = language
    }

    /// Throws `.user` for the first field that is not acceptable.
    public func validate() throws {
        try Self.validateStory(story)
        try Self.validateSource(source)
        try Self.validateDate(date)
        for (flag, value) in [("--title", title), ("--url", url), ("--language", language)] {
            if let value { try Self.validateSingleLine(value, flag: flag) }
        }
        if let language, !language.utf8.allSatisfy({ isASCIIAlnum($0) || $0 == UInt8(ascii: "-") }) || language.isEmpty || language.count > 35 {
            throw StemmaError.user("bad --language '\(language)': expected a language tag such as en or vi")
        }
        if let derivedFrom, derivedFrom.count != 40 || !derivedFrom.utf8.allSatisfy(isLowerHex) {
            throw StemmaError.user("bad derived_from '\(derivedFrom)': expected a 40-digit edition id")
        }
    }

    public static func validateStory(_ story: String) throws {
        let u = Array(story.utf8)
        let ok = !u.isEmpty && u.count <= 96 && (isLowerAlnum(u[0])) && u.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        if !ok {
            throw StemmaError.user("bad story id '\(printable(story))': use 1-96 of a-z, 0-9 and '-', starting with a letter or digit")
        }
    }

    public static func validateSource(_ source: String) throws {
        let u = Array(source.utf8)
        let ok = !u.isEmpty && u.count <= 32 && isUpperAlnum(u[0])
            && u.allSatisfy { isUpperAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        if !ok {
            throw StemmaError.user("bad source '\(printable(source))': use 1-32 of A-Z, 0-9, '_' and '-', starting with a letter or digit (such as VNA)")
        }
    }

    /// A real calendar date written `YYYY-MM-DD`.
    public static func validateDate(_ date: String) throws {
        guard isValidDate(date) else {
            throw StemmaError.user("bad date '\(printable(date))': expected a real date as YYYY-MM-DD")
        }
    }

    /// A real day as `YYYY-MM-DD`: the rule date headers follow too (`CalendarDate`, one source for both).
    public static func isValidDate(_ date: String) -> Bool { CalendarDate.isValid(date) }

    /// Newlines or control characters would let a title forge commit trailers.
    static func validateSingleLine(_ value: String, flag: String) throws {
        if let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw StemmaError.user("bad \(flag): contains control character U+\(String(format: "%04X", bad.value)); it must be one line of text")
        }
        if value.utf8.count > 2048 { throw StemmaError.user("bad \(flag): longer than 2048 bytes") }
    }
}

/// Shows a bad value safely on one line of an error message.
public func printable(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars.prefix(80) {
        if scalar.properties.generalCategory == .control { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
    }
    return out
}

@inline(__always) func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
@inline(__always) func isUpperAlnum(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 48 && c <= 57) }
@inline(__always) func isASCIIAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || isUpperAlnum(c) }
@inline(__always) func isLowerHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) }
