import Foundation
import Git

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
            JSONBytes.appendString(Array(e.edition.utf8), to: &batch)
            for (key, value) in [("story", m.story), ("source", m.source), ("date", m.date), ("title", m.title), ("url", m.url),
                                 ("derived_from", m.derivedFrom), ("language", m.language)] {
                guard let value else { continue }
                batch += Array(",\"\(key)\":".utf8)
                JSONBytes.appendString(Array(value.utf8), to: &batch)
            }
            batch += Array(#","text":"#.utf8)
            JSONBytes.appendString(text, to: &batch)
            batch += [125, 10] // }\n
            count += 1
            if batch.count > 1 << 20 { try flush() }
        }
        try flush()
        try gitCall { try writer?.close() }
        return count
    }
}

/// JSON string encoding straight onto bytes: the export's hot loop. Same escapes as
/// `JSONValue` (control characters, quote, backslash, U+2028, U+2029 and U+FEFF as \u
/// escapes); every other byte of valid UTF-8 is copied as it is.
enum JSONBytes {
    static func appendString(_ s: [UInt8], to out: inout [UInt8]) {
        out.reserveCapacity(out.count + s.count + 16)
        out.append(34)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            switch b {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 0..<32: out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0xE2 where i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9):
                out += Array((s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8); i += 2
            case 0xEF where i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF:
                out += Array("\\ufeff".utf8); i += 2
            default: out.append(b)
            }
            i += 1
        }
        out.append(34)
    }
}
