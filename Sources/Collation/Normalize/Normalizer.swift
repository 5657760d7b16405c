/// Interns comparison keys as small integers, shared by the two texts being compared, so the
/// aligner compares integers rather than strings.
public final class KeyTable {
    private var ids: [String: Int32] = [:]
    public init() {}
    public func id(_ key: String) -> Int32 {
        if let id = ids[key] { return id }
        let id = Int32(ids.count)
        ids[key] = id
        return id
    }
}

/// A segmented text with a comparison key for every token (stage 2's output).
public struct NormalizedText: Sendable {
    public let segmented: SegmentedText
    /// Key id per token; -1 for white space, which is compared separately.
    public let keys: [Int32]
    /// The key strings of word and number tokens (empty for others): compound matching joins them.
    public let keyStrings: [String]

    public var bytes: [UInt8] { segmented.bytes }
    public var tokens: [Token] { segmented.tokens }
    public var units: [TextUnit] { segmented.units }
}

/// Stage 2: gives each token its comparison key (all layers of `FoldLayers` applied).
public enum Normalizer {
    public static func normalize(_ text: SegmentedText, keys table: KeyTable) -> NormalizedText {
        var keys = [Int32](repeating: -1, count: text.tokens.count)
        var strings = [String](repeating: "", count: text.tokens.count)
        var cache: [String: (Int32, String)] = [:] // repeated words (the, Việt Nam) are folded once
        for (i, token) in text.tokens.enumerated() where token.kind != .space {
            let raw = String(decoding: text.bytes[token.range], as: UTF8.self)
            if let hit = cache[raw] { keys[i] = hit.0; strings[i] = hit.1; continue }
            let key: String
            let stored: String
            if token.kind == .punctuation {
                key = "\u{1}" + Folding.fold(Substring(raw).unicodeScalars, layers: .all)
                stored = ""
            } else {
                key = Folding.fold(Substring(raw).unicodeScalars, layers: .all)
                stored = key
            }
            let id = table.id(key)
            cache[raw] = (id, stored)
            keys[i] = id
            strings[i] = stored
        }
        return NormalizedText(segmented: text, keys: keys, keyStrings: strings)
    }

    /// Key of `text` with every layer but those in `except`: the analyser's probe.
    public static func key(_ text: String, except: FoldLayers) -> String {
        Folding.fold(Substring(text).unicodeScalars, layers: FoldLayers.all.subtracting(except))
    }
}
