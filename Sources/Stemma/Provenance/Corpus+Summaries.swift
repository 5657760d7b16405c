import Collation
import Foundation
import Git

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
    /// One pass over the index and one over the cache's keys, then the collations on every core.
    @discardableResult
    public func fillSummaryCache() throws -> Int {
        let cache = try summaryCache()
        let index = try self.index()
        var all: [LoggedEdition] = []
        var byID: [String: [LoggedEdition]] = [:]
        try index.forEachEdition { e in byID[e.edition, default: []].append(e); all.append(e) }
        let cached = try cache.keys()
        var pending: [(LoggedEdition, LoggedEdition)] = []
        var computed = 0
        for e in all {
            guard let parentID = e.metadata.derivedFrom, let parent = CorpusIndex.parent(of: e, among: byID[parentID] ?? []) else { continue }
            guard !cached.contains(SummaryCache.key(parent.edition, e.edition)) else { continue }
            pending.append((parent, e))
            if pending.count == Self.summaryBatch {
                try cache.store(zip(pending, try summarise(pending)).map { ($0.0.edition, $0.1.edition, $1) })
                computed += pending.count
                pending.removeAll(keepingCapacity: true)
            }
        }
        try cache.store(zip(pending, try summarise(pending)).map { ($0.0.edition, $0.1.edition, $1) })
        return computed + pending.count
    }

    static let summaryBatch = 1024

    /// Summaries of some (parent, child) pairs, split over every core: each worker opens its own
    /// repository (a libgit2 handle is one thread's), reads its pairs' texts and collates them.
    func summarise(_ pairs: [(LoggedEdition, LoggedEdition)]) throws -> [ChangeSummary] {
        guard !pairs.isEmpty else { return [] }
        for (a, b) in pairs { for e in [a, b] where e.record.bytes > Collator.maxTextBytes {
            throw StemmaError.user("edition \(e.edition.prefix(12)) is larger than the \(Collator.maxTextSize) the diff engine compares")
        } }
        let workers = min(pairs.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let results = SummarySlots(count: pairs.count)
        let ids = pairs.map { ($0.0.edition, $0.1.edition) }
        let path = self.path
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let repository = try gitCall { try Repository.open(at: path) }
                for k in stride(from: w, to: ids.count, by: workers) {
                    let a = try Self.blobText(repository, ids[k].0), b = try Self.blobText(repository, ids[k].1)
                    results.set(k, ChangeSummary(Collator.collate(a, b)))
                }
            } catch {
                results.fail(error)
            }
        }
        if let error = results.error { throw error }
        return results.values
    }

    /// An edition's bytes read through `repository`: one object look-up (a missing or non-blob
    /// object fails it), where `text(of:)` asks for the kind first.
    static func blobText(_ repository: Repository, _ edition: String) throws -> [UInt8] {
        guard let id = ObjectID(hex: edition), let bytes = try? repository.blobBytes(id) else {
            throw StemmaError.corpus("edition \(edition) is recorded but its text is missing from the object store")
        }
        return bytes
    }
}

/// One slot per pair, each written by exactly one worker of `concurrentPerform`.
private final class SummarySlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ChangeSummary]
    init(count: Int) { slots = [ChangeSummary](repeating: ChangeSummary(), count: count) }
    private(set) var error: Error?
    func set(_ k: Int, _ value: ChangeSummary) { lock.lock(); slots[k] = value; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
    var values: [ChangeSummary] { lock.lock(); defer { lock.unlock() }; return slots }
}
