/// What kind of editorial change: house style, real rewording, or conventions around the story.
public enum ChangeKind: String, Sendable, CaseIterable, Comparable {
    case accidental, substantive, boilerplate
    public static func < (a: ChangeKind, b: ChangeKind) -> Bool { a.rawValue < b.rawValue }
}

/// The finer label of a change.
public enum ChangeClass: String, Sendable, CaseIterable {
    // accidental
    case diacritics, spelling, hyphenation, `case`, punctuation, typography, whitespace, unicode
    // substantive
    case insert, delete, replace
    case sentenceAdded = "sentence-added", sentenceDeleted = "sentence-deleted"
    case sentenceSplit = "sentence-split", sentenceMerged = "sentence-merged"
    /// Either half of a moved block: its old place in A (an empty `b`) or its new place in B.
    case sentenceMoved = "sentence-moved"
    // boilerplate
    case dateHeader = "date-header", caption, byline, dateline

    public var kind: ChangeKind {
        switch self {
        case .diacritics, .spelling, .hyphenation, .case, .punctuation, .typography, .whitespace, .unicode: return .accidental
        case .insert, .delete, .replace, .sentenceAdded, .sentenceDeleted, .sentenceSplit, .sentenceMerged, .sentenceMoved: return .substantive
        case .dateHeader, .caption, .byline, .dateline: return .boilerplate
        }
    }

    init(_ boilerplate: BoilerplateClass) {
        switch boilerplate {
        case .dateHeader: self = .dateHeader
        case .caption: self = .caption
        case .byline: self = .byline
        case .dateline: self = .dateline
        }
    }
}

/// One change: replacing `a` (a byte range of text A) with B's bytes in `b` turns that part of A
/// into B. An insertion has an empty `a`, a deletion an empty `b`.
public struct Change: Sendable, Equatable {
    public var changeClass: ChangeClass
    public var a: Range<Int>
    public var b: Range<Int>
    /// Set on both halves of a moved block: its deletion in A and its insertion in B.
    public var move: Int?
    /// On the insertion half of a move: what changed between the moved-from text (`a` ranges into
    /// A) and the moved-to text (`b` ranges into B), labelled like any change. Not part of the
    /// reconstruction law, which holds for the top-level list.
    public var inner: [Change] = []

    public var kind: ChangeKind { changeClass.kind }

    public init(_ changeClass: ChangeClass, a: Range<Int>, b: Range<Int>, move: Int? = nil) {
        self.changeClass = changeClass; self.a = a; self.b = b; self.move = move
    }
}

/// Counts for the whole comparison.
public struct CollationSummary: Sendable, Equatable {
    public var similarity: Double
    public var kinds: [ChangeKind: Int]
    public var classes: [ChangeClass: Int]
    public var sentencesUnchanged = 0
    /// Paired sentences whose every change is accidental (house style).
    public var sentencesAccidentalOnly = 0
    /// Paired sentences with a substantive change (and passages of as many sentences on each side).
    public var sentencesReworded = 0
    /// Sentences of A split into several of B.
    public var sentencesSplit = 0
    /// Sentences of B that several of A were merged into.
    public var sentencesMerged = 0
    /// Every paired sentence that is not unchanged.
    public var sentencesChanged: Int { sentencesAccidentalOnly + sentencesReworded + sentencesSplit + sentencesMerged }
    public var sentencesAdded = 0
    public var sentencesDeleted = 0
    public var sentencesMoved = 0
}

extension CollationSummary {
    /// The sentence counts by how each sentence came through, in the order every view lists them
    /// (the JSON `summary.sentences` keys).
    public var sentenceCounts: [(name: String, count: Int)] {
        [("unchanged", sentencesUnchanged), ("accidental_only", sentencesAccidentalOnly), ("reworded", sentencesReworded),
         ("added", sentencesAdded), ("deleted", sentencesDeleted), ("moved", sentencesMoved),
         ("split", sentencesSplit), ("merged", sentencesMerged)]
    }
}

/// The aligned rows a side-by-side view shows: a unit of A, a unit of B, or both.
public struct AlignedRow: Sendable, Equatable {
    public var a: Range<Int>?
    public var b: Range<Int>?
    public var move: Int?
}
