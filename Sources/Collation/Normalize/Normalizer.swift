/// A segmented text with a comparison key for every token (stage 2's output).
public struct NormalizedText: Sendable {
    public let segmented: SegmentedText
    /// Key number per token (dense within one comparison); -1 for white space, which is
    /// compared separately.
    public let keys: [Int32]
    /// Exact-text id per token (equal ids, equal bytes); -1 for white space.
    public let exact: [Int32]

    public var bytes: [UInt8] { segmented.bytes }
    public var tokens: [Token] { segmented.tokens }
    public var units: [TextUnit] { segmented.units }
}

/// Stage 2: gives each token its comparison key (all layers of `FoldLayers` applied).
public enum Normalizer {
    public static func normalize(_ text: SegmentedText, keys table: KeyTable) -> NormalizedText {
        normalize(text, keys: table, only: [0..<text.tokens.count])
    }

    /// As `normalize(_:keys:)`, giving keys only to the tokens in `ranges` (the others keep -1,
    /// as white space does): the tokens of exactly paired sentences are never compared by key.
    static func normalize(_ text: SegmentedText, keys table: KeyTable, only ranges: [Range<Int>]) -> NormalizedText {
        let count = text.tokens.count
        var keys = [Int32](repeating: -1, count: count)
        var exact = [Int32](repeating: -1, count: count)
        text.bytes.withUnsafeBytes { bytes in
            text.tokens.withUnsafeBufferPointer { tokens in
                keys.withUnsafeMutableBufferPointer { keys in
                    exact.withUnsafeMutableBufferPointer { exact in
                        for r in ranges {
                            table.normalize(bytes, UnsafeBufferPointer(rebasing: tokens[r]), keys: UnsafeMutableBufferPointer(rebasing: keys[r]),
                                            exact: UnsafeMutableBufferPointer(rebasing: exact[r]))
                        }
                    }
                }
            }
        }
        return NormalizedText(segmented: text, keys: keys, exact: exact)
    }

    /// Key of `text` with every layer but those in `except`: the analyser's probe.
    public static func key(_ text: String, except: FoldLayers) -> String {
        Folding.fold(Substring(text).unicodeScalars, layers: FoldLayers.all.subtracting(except))
    }
}
