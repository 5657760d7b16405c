import Collation
import Foundation

/// An edition's change against its parent, as `log` shows it.
public enum EditionChange: Sendable, Equatable {
    /// It derives from no edition.
    case original
    /// It derives from an edition this corpus does not hold (full id).
    case parentMissing(String)
    case changed(from: LoggedEdition, ChangeSummary)

    /// The summary line: `vs VNA 2021-04-27: …`, `original`, or `parent 1a2b3c4d5e not in corpus`.
    public var text: String {
        switch self {
        case .original: return "original"
        case .parentMissing(let id): return "parent \(id.prefix(10)) not in corpus"
        case .changed(let parent, let summary): return summary.text(parentSource: parent.metadata.source, parentDate: parent.metadata.date)
        }
    }
}

extension Corpus {
    /// The summary cache beside this corpus (opened afresh: keep it for a batch of look-ups).
    public func summaryCache() throws -> SummaryCache { try SummaryCache.open(for: self) }

    /// Each edition's change against its parent, in the order given. What the cache lacks is
    /// computed (one collation per pair, on every core) and stored, so a second call only reads.
    public func changes(of editions: [LoggedEdition], cache: SummaryCache? = nil) throws -> [EditionChange] {
        let cache = try cache ?? summaryCache()
        let index = try self.index()
        var out = [EditionChange](repeating: .original, count: editions.count)
        var missing: [(slot: Int, parent: LoggedEdition, child: LoggedEdition)] = []
        for (k, e) in editions.enumerated() {
            guard let parentID = e.metadata.derivedFrom else { continue }
            guard let parent = try index.parent(of: e) else { out[k] = .parentMissing(parentID); continue }
            if let summary = try cache.summary(parent: parent.edition, child: e.edition) {
                out[k] = .changed(from: parent, summary)
            } else {
                missing.append((k, parent, e))
            }
        }
        for batch in stride(from: 0, to: missing.count, by: Self.summaryBatch).map({ missing[$0..<min($0 + Self.summaryBatch, missing.count)] }) {
            let summaries = try summarise(batch.map { ($0.parent, $0.child) })
            try cache.store(zip(batch, summaries).map { ($0.parent.edition, $0.child.edition, $1) })
            for (item, summary) in zip(batch, summaries) { out[item.slot] = .changed(from: item.parent, summary) }
        }
        return out
    }

    /// Computes and stores the summary of every edition with a parent that the cache lacks (as
    /// after an import, or when the cache file was deleted). Returns how many were computed.
    @discardableResult
    public func fillSummaryCache() throws -> Int {
        let cache = try summaryCache()
        var pending: [LoggedEdition] = []
        var computed = 0
        func flush() throws {
            let before = pending.count
            _ = try changes(of: pending, cache: cache)
            computed += before
            pending.removeAll(keepingCapacity: true)
        }
        let index = try self.index()
        var candidates: [LoggedEdition] = []
        try index.forEachEdition { if $0.metadata.derivedFrom != nil { candidates.append($0) } }
        for e in candidates {
            guard let parent = try index.parent(of: e), try cache.summary(parent: parent.edition, child: e.edition) == nil else { continue }
            pending.append(e)
            if pending.count == Self.summaryBatch { try flush() }
        }
        try flush()
        return computed
    }

    static let summaryBatch = 512

    /// Summaries of some (parent, child) pairs: texts are read here (git is one thread's), the
    /// collations run on every core (the engine is thread-safe).
    func summarise(_ pairs: [(LoggedEdition, LoggedEdition)]) throws -> [ChangeSummary] {
        let texts = try pairs.map { (try comparableText(of: $0.0), try comparableText(of: $0.1)) }
        let results = SummarySlots(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { k in
            results.set(k, ChangeSummary(Collator.collate(texts[k].0, texts[k].1)))
        }
        return results.values
    }
}

/// One slot per pair, each written by exactly one worker of `concurrentPerform`.
private final class SummarySlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ChangeSummary]
    init(count: Int) { slots = [ChangeSummary](repeating: ChangeSummary(), count: count) }
    func set(_ k: Int, _ value: ChangeSummary) { lock.lock(); slots[k] = value; lock.unlock() }
    var values: [ChangeSummary] { lock.lock(); defer { lock.unlock() }; return slots }
}
