/// One news house's conventions: the marks its texts carry around the story (a date header, a
/// dateline, a photo caption, a closing byline). The diff engine sets them apart as boilerplate
/// (`Segmenter`) and Stemma reads from them who published a text and when (`Conventions` in
/// Stemma), both from these values, so the two never disagree. Adding a house is adding one value
/// to `known`.
///
/// A mark in capitals that no house lists (`(AFP) –`, `— AP`) is read the same way, as the source
/// code itself: a house needs a value when its marks are not a code in capitals (Reuters' `(Reuters)`),
/// when its code differs from its mark, or when it has a date header.
public struct HouseConventions: Sendable, Equatable {
    /// The source code its editions are recorded under, as in `STORY:VNA`.
    public let source: String
    public let name: String
    /// The word of a leading `WORD YYYY-MM-DD` header, matched ignoring case (VNA's wire export: `date 2024-03-12`).
    public let dateHeaderWord: String?
    /// What it puts in brackets in a dateline: `Hanoi (VNA) –`, `HANOI, March 12 (Reuters) -`.
    public let datelineMark: String?
    /// What closes its texts after a dash: `… countries. — VNS`.
    public let bylineMark: String?
    /// The word of a photo credit in a caption paragraph (`VNA/VNS Photo Minh Đức`, `Photo: …`).
    public let photoWord: String?

    public init(source: String, name: String, dateHeaderWord: String? = nil, datelineMark: String? = nil,
                bylineMark: String? = nil, photoWord: String? = nil) {
        self.source = source; self.name = name; self.dateHeaderWord = dateHeaderWord
        self.datelineMark = datelineMark; self.bylineMark = bylineMark; self.photoWord = photoWord
    }

    /// Vietnam News Agency's English wire: `date 2024-03-12 Hanoi (VNA) – …`.
    public static let vietnamNewsAgency = HouseConventions(source: "VNA", name: "Vietnam News Agency", dateHeaderWord: "date",
                                                           datelineMark: "VNA", bylineMark: "VNA", photoWord: "Photo")
    /// Việt Nam News, VNA's English daily: a caption crediting `VNA/VNS Photo`, `HÀ NỘI —`, `— VNS`.
    public static let vietNamNews = HouseConventions(source: "VNS", name: "Việt Nam News", bylineMark: "VNS", photoWord: "Photo")
    /// Reuters: `HANOI, March 12 (Reuters) - …`, the place in capitals, the date, the agency in brackets.
    public static let reuters = HouseConventions(source: "REUTERS", name: "Reuters", datelineMark: "Reuters")

    public static let known: [HouseConventions] = [.vietnamNewsAgency, .vietNamNews, .reuters]

    /// The house whose dateline carries `mark`, if one is known.
    public static func house(datelineMark mark: String) -> HouseConventions? { known.first { $0.datelineMark == mark } }

    /// The house whose byline is `mark`, if one is known.
    public static func house(bylineMark mark: String) -> HouseConventions? { known.first { $0.bylineMark == mark } }

    /// The house whose date header starts with `word`, if one is known.
    public static func house(dateHeaderWord word: String) -> HouseConventions? {
        let lower = word.lowercased()
        return known.first { $0.dateHeaderWord?.lowercased() == lower }
    }

    static let dateHeaderWords = Set(known.compactMap { $0.dateHeaderWord?.lowercased() })
    static let photoWordBytes = Set(known.compactMap(\.photoWord).flatMap { [$0, $0.lowercased()] }).map { Array($0.utf8) }
    static let datelineMarks = Set(known.compactMap(\.datelineMark))
    static let bylineMarks = Set(known.compactMap(\.bylineMark))
}

/// `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar: what a date header must hold, and
/// what Stemma accepts as a publication date.
public enum CalendarDate {
    public static func isValid(_ date: String) -> Bool { isValid(Array(date.utf8)[...]) }

    static func isValid(_ u: ArraySlice<UInt8>) -> Bool {
        guard u.count == 10 else { return false }
        let s = u.startIndex
        guard u[s + 4] == UInt8(ascii: "-"), u[s + 7] == UInt8(ascii: "-") else { return false }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r { let b = u[s + i]; guard b >= 48 && b <= 57 else { return nil }; n = n * 10 + Int(b - 48) }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), y >= 1, (1...12).contains(m) else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }
}
