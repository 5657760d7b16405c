import Foundation
import Git
import JSON

/// Streams a corpus as JSONL, one edition a line with its text inline, in the order the
/// editions were recorded, so that a parent always comes before what derives from it and
/// `import` of the output reproduces the same editions and metadata.
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
        try corpus.index().forEachEdition { e in
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
        try flush()
        try gitCall { try writer?.close() }
        return count
    }
}

