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
            try gitCall { try CompressedWriter(path: p, compressed: p.hasSuffix(".gz")) }
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
            var fields: [(String, JSONValue)] = [("edition", .string(e.edition)), ("story", .string(m.story)),
                                                 ("source", .string(m.source)), ("date", .string(m.date))]
            if let t = m.title { fields.append(("title", .string(t))) }
            if let u = m.url { fields.append(("url", .string(u))) }
            if let d = m.derivedFrom { fields.append(("derived_from", .string(d))) }
            if let l = m.language { fields.append(("language", .string(l))) }
            let text = try corpus.text(of: e.edition)
            guard let decoded = String(validating: text, as: UTF8.self) else {
                throw StemmaError.corpus("edition \(e.edition) is not UTF-8 text")
            }
            fields.append(("text", .string(decoded)))
            batch += Array(JSONValue.object(fields).rendered().utf8)
            batch.append(10)
            count += 1
            if batch.count > 1 << 20 { try flush() }
        }
        try flush()
        try gitCall { try writer?.close() }
        return count
    }
}
