import Foundation

/// Folded keys and accidental classes are pure functions of the text, and a corpus repeats its
/// vocabulary, so they are remembered across comparisons in one process (measured: folding was
/// 40 % of a 6 KB comparison when done afresh each time). Bounded: emptied when it gets big.
/// Thread-safe behind one lock; comparisons on several threads share it.
final class FoldCache: @unchecked Sendable {
    static let shared = FoldCache()
    private let lock = NSLock()
    private var short: [PackedBytes: String] = [:]
    private var long: [String: String] = [:]
    private var classes: [String: ChangeClass?] = [:]
    private let limit = 400_000

    /// The all-layers key of a token's bytes (punctuation keys carry a marker so they never
    /// equal a word's).
    func key(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, punctuation: Bool) -> String {
        let packed = range.count <= 16 ? PackedBytes(bytes, range, punctuation: punctuation) : nil
        let raw = packed == nil ? String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) : ""
        lock.lock()
        let hit = packed.map { short[$0] } ?? long[(punctuation ? "\u{1}" : "") + raw]
        lock.unlock()
        if let hit { return hit }
        let text = packed == nil ? raw : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        let folded = Folding.fold(Substring(text).unicodeScalars, layers: .all)
        let key = punctuation ? "\u{1}" + folded : folded
        lock.lock()
        if short.count + long.count > limit { short.removeAll(); long.removeAll() }
        if let packed { short[packed] = key } else { long[(punctuation ? "\u{1}" : "") + raw] = key }
        lock.unlock()
        return key
    }

    /// `Classifier.accidental`, remembered.
    func accidental(_ a: String, _ b: String, compute: () -> ChangeClass?) -> ChangeClass? {
        let pair = a + "\u{0}" + b
        lock.lock()
        let hit = classes[pair]
        lock.unlock()
        if let hit { return hit }
        let value = compute()
        lock.lock()
        if classes.count > limit { classes.removeAll() }
        classes[pair] = .some(value)
        lock.unlock()
        return value
    }
}
