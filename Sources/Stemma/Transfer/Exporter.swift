import Foundation
import Git
import JSON

/// Streams a corpus as JSONL, one edition a line with its text inline, parents before the
/// editions derived from them, so that `import` of the output reproduces the same records.
///
/// Records come in the order they were first recorded, except that a record whose parent has
/// not been written yet (recorded later, or re-pointed at a later one by an update) waits for
/// it and follows it at once. Only waiting records are held in memory.
public struct Exporter {
    let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    /// Writes every edition to `path` (gzip-compressed when it ends in `.gz`), or to standard
    /// output when `path` is nil. Returns the number of editions written.
    @discardableResult
    public func export(to path: String?, write: ([UInt8]) throws -> Void = { _ in }) throws -> Int {
        let writer = try path.map { p in
            do {
                return try CompressedWriter(path: p, compressed: p.hasSuffix(".gz"))
            } catch {
                throw StemmaError.user("cannot create \(p)")
            }
        }
        var count = 0
        var batch: [UInt8] = []
        batch.reserveCapacity(1 << 20)
        func flush() throws {
            if let writer { try gitCall { try writer.write(batch) } } else { try write(batch) }
            batch.removeAll(keepingCapacity: true)
        }
        var order = DerivationOrder()
        try corpus.index().forEachEdition { e in
            for ready in order.add(e) { try emit(ready) }
        }
        for rest in order.remaining() { try emit(rest) } // parents not in the corpus: nothing to wait for
        try flush()
        try gitCall { try writer?.close() }
        return count

        func emit(_ e: LoggedEdition) throws {
            let m = e.metadata
            let text = try corpus.text(of: e.edition)
            guard EditionText.firstInvalidUTF8Offset(text) == nil else {
                throw StemmaError.corpus("edition \(e.edition) is not UTF-8 text")
            }
            batch += Array(#"{"edition":"#.utf8)
            JSONString.append(Array(e.edition.utf8), to: &batch)
            for (key, value) in [("story", m.story), ("source", m.source), ("date", m.date), ("title", m.title), ("url", m.url),
                                 ("derived_from", m.derivedFrom), ("language", m.language)] {
                guard let value else { continue }
                batch += Array(",\"\(key)\":".utf8)
                JSONString.append(Array(value.utf8), to: &batch)
            }
            batch += Array(#","text":"#.utf8)
            JSONString.append(text, to: &batch)
            batch += [125, 10] // }\n
            count += 1
            if batch.count > 1 << 20 { try flush() }
        }
    }
}

/// Puts records in an order where every parent comes before what derives from it, keeping
/// the given order otherwise (a stable topological order over `derived_from`).
struct DerivationOrder {
    private var written = Set<String>()
    /// Records waiting for a parent, by the parent's edition id, in arrival order.
    private var waiting: [String: [(arrival: Int, record: LoggedEdition)]] = [:]
    private var arrivals = 0

    /// `e` and whatever was waiting for it, in the order to write them, if `e` can go now.
    mutating func add(_ e: LoggedEdition) -> [LoggedEdition] {
        if let parent = e.metadata.derivedFrom, !written.contains(parent) {
            waiting[parent, default: []].append((arrivals, e))
            arrivals += 1
            return []
        }
        arrivals += 1
        var out: [LoggedEdition] = []
        var queue = [e]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            out.append(next)
            if written.insert(next.edition).inserted, let children = waiting.removeValue(forKey: next.edition) {
                queue.append(contentsOf: children.map(\.record))
            }
        }
        return out
    }

    /// Records still waiting at the end (their parent is not in the corpus), oldest first.
    func remaining() -> [LoggedEdition] {
        waiting.values.flatMap { $0 }.sorted { $0.arrival < $1.arrival }.map(\.record)
    }
}

