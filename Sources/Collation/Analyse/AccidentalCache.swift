import Foundation

/// Accidental classes of two texts are pure functions of the texts, and a corpus repeats its
/// edits, so they are remembered across comparisons in one process. Bounded: emptied when it
/// gets big. Thread-safe behind one lock; comparisons on several threads share it.
final class AccidentalCache: @unchecked Sendable {
    static let shared = AccidentalCache()
    private let lock = NSLock()
    private var classes: [String: ChangeClass?] = [:]
    private let limit = 400_000

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
