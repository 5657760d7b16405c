/// A word, number or punctuation mark with its comparison ids: what the aligner and the token
/// diff compare. White space is not a `Word`; it is whatever lies between two of them.
struct Word: Sendable {
    /// The token's bytes in the original text, as 32-bit offsets: every later stage walks the
    /// words several times, and 20 bytes a word rather than 32 is less memory to walk.
    private var start: UInt32
    private var end: UInt32
    var range: Range<Int> { Range(uncheckedBounds: (Int(start), Int(end))) }
    /// Equal ids, equal bytes. A compound joined by the analyser gets a negative one.
    var exact: Int32
    /// Comparison key (dense within one comparison): equal keys, equal once every layer is folded.
    var key: Int32
    var kind: Token.Kind

    var isPunctuation: Bool { kind == .punctuation }

    init(range: Range<Int>, exact: Int32, key: Int32, kind: Token.Kind) {
        start = UInt32(truncatingIfNeeded: range.lowerBound); end = UInt32(truncatingIfNeeded: range.upperBound)
        self.exact = exact; self.key = key; self.kind = kind
    }
}

/// A segmented text with a comparison key for every token (stage 2's output).
public struct NormalizedText: Sendable {
    public let segmented: SegmentedText
    /// The non-space tokens of the normalised units, in text order, back to back: every later
    /// stage walks these rather than all tokens, so the white space (half of all tokens) and
    /// the exactly paired sentences are never visited again.
    let words: [Word]
    /// Per unit, its words' indices in `words` (empty for a unit that was not normalised).
    let wordsOfUnit: [Range<Int>]
    /// Per unit, how many of its tokens are words or numbers (normalised or not).
    let wordCountOfUnit: [Int]
    /// A bound on the keys in `words`: every key is below it.
    let keyBound: Int

    public var bytes: [UInt8] { segmented.bytes }
    public var tokens: [Token] { segmented.tokens }
    public var units: [TextUnit] { segmented.units }

    /// Key number per token (dense within one comparison); -1 for white space and for tokens
    /// that were not normalised.
    public var keys: [Int32] { perToken(\.key) }
    /// Exact-text id per token (equal ids, equal bytes); -1 where `keys` has -1.
    public var exact: [Int32] { perToken(\.exact) }

    private func perToken(_ id: KeyPath<Word, Int32>) -> [Int32] {
        var out = [Int32](repeating: -1, count: tokens.count)
        for (u, unit) in units.enumerated() {
            var w = wordsOfUnit[u].lowerBound
            for i in unit.tokens where w < wordsOfUnit[u].upperBound && tokens[i].range == words[w].range {
                out[i] = words[w][keyPath: id]; w += 1
            }
        }
        return out
    }
}

/// Stage 2: gives each token its comparison key (all layers of `FoldLayers` applied).
///
/// Work: O(tokens) — one lexicon look-up per token of the units not paired exactly (a hash and,
/// for a text not seen before, one fold of it), so a text costs time linear in its length.
public enum Normalizer {
    public static func normalize(_ text: SegmentedText, keys table: KeyTable) -> NormalizedText {
        normalize(text, keys: table, skipping: [Int32](repeating: -1, count: text.units.count))
    }

    /// As `normalize(_:keys:)`, leaving out the units with a partner in `partners` (≥ 0): the
    /// tokens of exactly paired sentences are never compared by key. `partnerWordCounts`, when
    /// given, are the other text's word counts per unit: a partner has the same bytes, so the
    /// same count, and its tokens need not be counted again.
    static func normalize(_ text: SegmentedText, keys table: KeyTable, skipping partners: [Int32], partnerWordCounts: [Int]? = nil) -> NormalizedText {
        precondition(text.bytes.count <= Collator.maxTextBytes, "Normalizer: a text over Collator.maxTextBytes") // 32-bit offsets and indices
        // Every non-space token lies in exactly one unit (units are trimmed, and only white space
        // separates them), so the words of the keyed units are their non-space tokens.
        let units = text.units
        var keyed: [Range<Int>] = []
        keyed.reserveCapacity(units.count)
        for (u, unit) in units.enumerated() where partners[u] < 0 { keyed.append(unit.tokens) }
        var ends: [Int] = [], keyBound = 0
        let words = text.bytes.withUnsafeBytes { bytes in
            text.tokens.withUnsafeBufferPointer { tokens in
                [Word](unsafeUninitializedCapacity: tokens.count) { out, written in
                    (ends, keyBound) = table.normalize(bytes, tokens, ranges: keyed, into: CheckedOutput(out))
                    written = ends.last ?? 0
                }
            }
        }
        var wordsOfUnit: [Range<Int>] = []
        wordsOfUnit.reserveCapacity(units.count)
        var wordCounts = [Int](repeating: 0, count: units.count)
        var k = 0, start = 0
        text.tokens.withUnsafeBufferPointer { tokens in
            words.withUnsafeBufferPointer { words in
                for (u, unit) in units.enumerated() {
                    // Counted without branches: which token is a word is unpredictable.
                    var count = 0
                    if partners[u] >= 0 {
                        if let partnerWordCounts { count = partnerWordCounts[Int(partners[u])] }
                        else { for i in unit.tokens { count &+= tokens[i].kind.wordCount } }
                        wordsOfUnit.append(start..<start)
                    } else {
                        for w in start..<ends[k] { count &+= words[w].kind.wordCount }
                        wordsOfUnit.append(start..<ends[k])
                        start = ends[k]; k += 1
                    }
                    wordCounts[u] = count
                }
            }
        }
        return NormalizedText(segmented: text, words: words, wordsOfUnit: wordsOfUnit, wordCountOfUnit: wordCounts, keyBound: keyBound)
    }

    /// Key of `text` with every layer but those in `except`: the analyser's probe.
    public static func key(_ text: String, except: FoldLayers) -> String {
        Folding.fold(Substring(text).unicodeScalars, layers: FoldLayers.all.subtracting(except))
    }
}
