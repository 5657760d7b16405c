import Foundation

/// Pairs of texts shaped like real, live-updated news pages, for the move tests and the move
/// benchmark (issue: moves only where order cannot be kept). Deterministic for a seed.
public enum RealShapedPages {
    public enum Shape: String, CaseIterable, Sendable {
        /// A page that grows by prepending a dated update; every update repeats the same advice.
        case growingWithRepeats = "growing-with-repeats"
        /// A page that grows at the bottom, each update ending with the same boilerplate paragraph.
        case appendedWithBoilerplate = "appended-with-boilerplate"
        /// A story in which one block of one to three paragraphs really moved.
        case movedBlock = "moved-block"
        /// A story in which two paragraphs swapped places.
        case swappedParagraphs = "swapped-paragraphs"
        /// A story with the same boilerplate sentence in several places, edited in between.
        case repeatedBoilerplate = "repeated-boilerplate"
    }

    public struct Pair: Sendable {
        public let shape: Shape
        public let a: String
        public let b: String
    }

    /// `count` pairs of each shape.
    public static func pairs(count: Int, seed: UInt64 = 7) -> [Pair] {
        var rng = SeededRandom(seed: seed)
        var out: [Pair] = []
        for shape in Shape.allCases {
            for _ in 0..<count { out.append(pair(shape, &rng)) }
        }
        return out
    }

    static let advice = [
        "To help prevent the spread of COVID-19, wash your hands often and keep a safe distance from others.",
        "Please ensure you are up to date with the latest travel advice before you leave home.",
    ]
    static let footer = "For more information, call the ministry hotline or visit its website."
    static let subjects = ["The ministry", "The provincial committee", "Officials in Da Nang", "The health department",
                           "Police in Hue", "The trade office", "Farmers in the Mekong Delta", "The city council",
                           "Doctors at Bach Mai Hospital", "The port authority", "Teachers in Can Tho", "The central bank"]
    static let verbs = ["reported", "announced", "confirmed", "approved", "rejected", "discussed", "reviewed", "expected"]
    static let objects = ["new cases", "fresh funding", "a revised plan", "tighter controls", "two new projects",
                          "longer opening hours", "a vaccination drive", "higher rice exports", "road repairs", "a new hotline"]
    static let tails = ["on Monday", "this week", "after a long meeting", "despite the rain", "ahead of the holiday",
                        "for the third time", "in a short statement", "late on Friday"]

    /// A sentence unlikely to occur twice in one text (it carries a number).
    static func sentence(_ rng: inout SeededRandom) -> String {
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        return "\(pick(subjects)) \(pick(verbs)) \(pick(objects)) \(pick(tails)), with \(rng.next() % 900 + 10) people involved."
    }

    static func paragraph(_ rng: inout SeededRandom) -> String {
        (0..<Int(rng.next() % 3 + 1)).map { _ in sentence(&rng) }.joined(separator: " ")
    }

    static func pair(_ shape: Shape, _ rng: inout SeededRandom) -> Pair {
        let header = "Live: the latest on the outbreak"
        switch shape {
        case .growingWithRepeats:
            let updates = (0..<Int(rng.next() % 12 + 3)).map { k in "Update \(k + 1): " + sentence(&rng) + " " + advice.joined(separator: " ") }
            let older = updates.dropLast().reversed(), newer = updates.reversed()
            return Pair(shape: shape, a: ([header] + older).joined(separator: "\n\n") + "\n",
                        b: ([header] + newer).joined(separator: "\n\n") + "\n")
        case .appendedWithBoilerplate:
            let updates = (0..<Int(rng.next() % 10 + 3)).map { _ in paragraph(&rng) + "\n\n" + footer }
            return Pair(shape: shape, a: ([header] + updates.dropLast()).joined(separator: "\n\n") + "\n",
                        b: ([header] + updates).joined(separator: "\n\n") + "\n")
        case .movedBlock:
            var paragraphs = (0..<Int(rng.next() % 10 + 6)).map { _ in paragraph(&rng) }
            let a = paragraphs.joined(separator: "\n\n") + "\n"
            let length = Int(rng.next() % 3 + 1)
            let from = Int(rng.next() % UInt64(paragraphs.count - length))
            let block = Array(paragraphs[from..<(from + length)])
            paragraphs.removeSubrange(from..<(from + length))
            var to = Int(rng.next() % UInt64(paragraphs.count + 1))
            if to == from { to = to == 0 ? paragraphs.count : 0 }
            paragraphs.insert(contentsOf: block, at: to)
            return Pair(shape: shape, a: a, b: paragraphs.joined(separator: "\n\n") + "\n")
        case .swappedParagraphs:
            var paragraphs = (0..<Int(rng.next() % 8 + 4)).map { _ in paragraph(&rng) }
            let a = paragraphs.joined(separator: "\n\n") + "\n"
            let i = Int(rng.next() % UInt64(paragraphs.count - 1))
            paragraphs.swapAt(i, i + 1)
            return Pair(shape: shape, a: a, b: paragraphs.joined(separator: "\n\n") + "\n")
        case .repeatedBoilerplate:
            var paragraphs: [String] = []
            for _ in 0..<Int(rng.next() % 6 + 4) { paragraphs.append(paragraph(&rng) + " " + advice[0]) }
            let a = paragraphs.joined(separator: "\n\n") + "\n"
            // Edits that move nothing: a paragraph added, one dropped, one sentence reworded.
            paragraphs.insert(paragraph(&rng) + " " + advice[0], at: Int(rng.next() % UInt64(paragraphs.count + 1)))
            paragraphs.remove(at: Int(rng.next() % UInt64(paragraphs.count)))
            let k = Int(rng.next() % UInt64(paragraphs.count))
            paragraphs[k] = sentence(&rng) + " " + advice[0]
            return Pair(shape: shape, a: a, b: paragraphs.joined(separator: "\n\n") + "\n")
        }
    }
}

/// A lower bound on the sentences any alignment must report as moved, computed without the
/// engine: split both texts into sentences, fold each (NFKD, marks dropped, case folded, only
/// letters and digits kept); with M the size of the multiset intersection of the two folded
/// sequences and L their longest common subsequence, at least M − L sentences cannot keep their order.
public enum MoveBound {
    public static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            current.unicodeScalars.append(s)
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            let endsSentence = (s == "." || s == "!" || s == "?") && next.properties.isWhitespace
            let blankLine = s == "\n" && next == "\n"
            if endsSentence || blankLine {
                let folded = fold(current)
                if !folded.isEmpty { out.append(folded) }
                current = ""
            }
        }
        let folded = fold(current)
        if !folded.isEmpty { out.append(folded) }
        return out
    }

    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { continue }
            out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
        }
        return String(out)
    }

    public static func lowerBound(_ a: String, _ b: String) -> Int {
        let sa = sentences(a), sb = sentences(b)
        var counts: [String: Int] = [:]
        for s in sa { counts[s, default: 0] += 1 }
        var m = 0
        for s in sb where (counts[s] ?? 0) > 0 { counts[s]! -= 1; m += 1 }
        return m - lcs(sa, sb)
    }

    static func lcs(_ a: [String], _ b: [String]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1), row = previous
        for x in a {
            for (j, y) in b.enumerated() { row[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], row[j]) }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
