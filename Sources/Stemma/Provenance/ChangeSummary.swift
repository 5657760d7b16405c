import Collation

/// What an edition changed from its parent, in counts: the line `stemma log` prints, such as
/// `vs VNA 2021-04-27: +4 sentences −1, 5 reworded, 23 accidentals (diacritics 14, spelling 7,
/// case 2), boilerplate: caption, byline`. Made from a `Collation` (so it says what
/// `stemma diff PARENT CHILD` says) and cached as derived data (`SummaryCache`).
public struct ChangeSummary: Sendable, Equatable {
    /// Story sentences only B has, and only A has (`sentence-added` / `sentence-deleted`).
    public var sentencesAdded = 0
    public var sentencesDeleted = 0
    /// Story sentences reworded, split, merged and moved, as the collation's summary counts them.
    public var reworded = 0
    public var split = 0
    public var merged = 0
    public var moved = 0
    /// Every change class seen, with its number of changes.
    public var classes: [ChangeClass: Int] = [:]
    /// The collation's similarity, in thousandths (kept exact through the cache).
    public var similarityPerMille = 1000

    public init() {}

    public init(_ c: Collation) {
        sentencesAdded = c.summary.sentencesAdded
        sentencesDeleted = c.summary.sentencesDeleted
        classes = c.summary.classes
        similarityPerMille = Int((c.summary.similarity * 1000).rounded())
        // The collation's own sentence counts: one rule for what a reworded sentence is.
        reworded = c.summary.sentencesReworded
        split = c.summary.sentencesSplit
        merged = c.summary.sentencesMerged
        moved = c.summary.sentencesMoved
    }

    public var accidentals: Int { classes.filter { $0.key.kind == .accidental }.values.reduce(0, +) }

    /// The summary line, naming the parent as `vs SOURCE DATE`.
    public func text(parentSource: String, parentDate: String) -> String {
        "vs \(parentSource) \(parentDate): " + description
    }

    /// The counts alone, zero parts left out (`no changes` when there are none).
    public var description: String {
        var parts: [String] = []
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        switch (sentencesAdded, sentencesDeleted) {
        case (0, 0): break
        case (let a, 0): parts.append("+" + plural(a, "sentence"))
        case (0, let d): parts.append("−" + plural(d, "sentence"))
        case (let a, let d): parts.append("+" + plural(a, "sentence") + " −\(d)")
        }
        for (n, word) in [(reworded, "reworded"), (split, "split"), (merged, "merged"), (moved, "moved")] where n > 0 {
            parts.append("\(n) \(word)")
        }
        let accidentalClasses = ChangeClass.allCases.filter { $0.kind == .accidental && (classes[$0] ?? 0) > 0 }
            .enumerated().sorted { x, y in
                let (nx, ny) = (classes[x.element]!, classes[y.element]!)
                return nx != ny ? nx > ny : x.offset < y.offset // most frequent first, then in the engine's order
            }.map(\.element)
        if !accidentalClasses.isEmpty {
            parts.append(plural(accidentals, "accidental") + " (" + accidentalClasses.map { "\($0.rawValue) \(classes[$0]!)" }.joined(separator: ", ") + ")")
        }
        let boilerplate = ChangeClass.allCases.filter { $0.kind == .boilerplate && (classes[$0] ?? 0) > 0 }
        if !boilerplate.isEmpty { parts.append("boilerplate: " + boilerplate.map(\.rawValue).joined(separator: ", ")) }
        return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
    }

    // MARK: the cache's form

    /// `key=value` pairs separated by spaces: stable, readable in `sqlite3`, and parsed back exactly.
    var encoded: String {
        var fields = ["added=\(sentencesAdded)", "deleted=\(sentencesDeleted)", "reworded=\(reworded)", "split=\(split)",
                      "merged=\(merged)", "moved=\(moved)", "similarity=\(similarityPerMille)"]
        for cls in ChangeClass.allCases { if let n = classes[cls] { fields.append("\(cls.rawValue)=\(n)") } }
        return fields.joined(separator: " ")
    }

    init?(encoded: String) {
        for field in encoded.split(separator: " ") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let n = Int(pair[1]) else { return nil }
            switch pair[0] {
            case "added": sentencesAdded = n
            case "deleted": sentencesDeleted = n
            case "reworded": reworded = n
            case "split": split = n
            case "merged": merged = n
            case "moved": moved = n
            case "similarity": similarityPerMille = n
            default:
                guard let cls = ChangeClass(rawValue: String(pair[0])) else { return nil }
                classes[cls] = n
            }
        }
    }
}
