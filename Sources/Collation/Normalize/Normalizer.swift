/// Interns comparison keys and exact token texts as small integers, shared by the two texts
/// being compared, so the aligner compares integers and each distinct token is folded once.
public final class KeyTable {
    private var ids: [String: Int32] = [:]
    /// Exact token bytes → exact id. Tokens of up to 16 bytes (nearly all) are keyed by their
    /// bytes packed in two integers: hashing those is far cheaper than hashing a String, which
    /// Swift hashes in normalised form.
    private var shortExact: [PackedBytes: Int32] = [:]
    private var longExact: [String: Int32] = [:]
    /// Per exact id: its comparison key id and key string (empty for punctuation).
    var keyOfExact: [Int32] = []
    var keyStringOfExact: [String] = []

    public init() {}

    /// The id of comparison key `key`, interning it if new.
    public func id(_ key: String) -> Int32 {
        if let id = ids[key] { return id }
        let id = Int32(ids.count)
        ids[key] = id
        return id
    }

    /// The id of `key` if some token already has it.
    func existingID(_ key: String) -> Int32? { ids[key] }

    /// The exact id of `bytes[range]`, folding it into a comparison key the first time it is seen.
    func exactID(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, punctuation: Bool) -> Int32 {
        if range.count <= 16 {
            let packed = PackedBytes(bytes, range)
            if let id = shortExact[packed] { return id }
            let id = newExact(bytes, range, punctuation: punctuation)
            shortExact[packed] = id
            return id
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        if let id = longExact[text], text.utf8.elementsEqual(bytes[range]) { return id }
        let id = newExact(bytes, range, punctuation: punctuation)
        longExact[text] = id
        return id
    }

    private func newExact(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, punctuation: Bool) -> Int32 {
        let key = FoldCache.shared.key(bytes, range, punctuation: punctuation)
        keyOfExact.append(id(key))
        keyStringOfExact.append(punctuation ? "" : key)
        return Int32(keyOfExact.count - 1)
    }
}

/// Up to 16 bytes and their count, as a hashable value with no allocation.
struct PackedBytes: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    var count: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, punctuation: Bool = false) {
        count = range.count + (punctuation ? 32 : 0) // the kind is part of the key

        var i = 0
        for index in range {
            let byte = UInt64(bytes[index])
            if i < 8 { low |= byte << (8 * UInt64(i)) } else { high |= byte << (8 * UInt64(i - 8)) }
            i += 1
        }
    }
}

/// A segmented text with a comparison key for every token (stage 2's output).
public struct NormalizedText: Sendable {
    public let segmented: SegmentedText
    /// Key id per token; -1 for white space, which is compared separately.
    public let keys: [Int32]
    /// Exact-text id per token (equal ids, equal bytes); -1 for white space.
    public let exact: [Int32]
    /// The key strings of word and number tokens (empty for others): compound matching joins them.
    public let keyStrings: [String]

    public var bytes: [UInt8] { segmented.bytes }
    public var tokens: [Token] { segmented.tokens }
    public var units: [TextUnit] { segmented.units }
}

/// Stage 2: gives each token its comparison key (all layers of `FoldLayers` applied).
public enum Normalizer {
    public static func normalize(_ text: SegmentedText, keys table: KeyTable) -> NormalizedText {
        let count = text.tokens.count
        var keys = [Int32](repeating: -1, count: count)
        var exact = [Int32](repeating: -1, count: count)
        var strings = [String](repeating: "", count: count)
        text.bytes.withUnsafeBufferPointer { bytes in
            for (i, token) in text.tokens.enumerated() where token.kind != .space {
                let id = table.exactID(bytes, token.range, punctuation: token.kind == .punctuation)
                exact[i] = id
                keys[i] = table.keyOfExact[Int(id)]
                strings[i] = table.keyStringOfExact[Int(id)]
            }
        }
        return NormalizedText(segmented: text, keys: keys, exact: exact, keyStrings: strings)
    }

    /// Key of `text` with every layer but those in `except`: the analyser's probe.
    public static func key(_ text: String, except: FoldLayers) -> String {
        Folding.fold(Substring(text).unicodeScalars, layers: FoldLayers.all.subtracting(except))
    }
}
