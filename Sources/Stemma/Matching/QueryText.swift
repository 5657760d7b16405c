import Collation

/// A text as matching reads it, worked out once: segmented and shingled a single time for its
/// LSH query, its stored signature, the `contained` share and the sentence count alignment needs
/// (each of these used to segment and shingle the text again).
struct QueryText: Sendable {
    let bytes: [UInt8]
    /// Its sentences (what `aligned` is a share of).
    let sentences: Int
    /// Its distinct shingle hashes.
    let shingles: [UInt64]
    let sketch: TextSketch

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let segmented = Segmenter.segment(bytes)
        sentences = segmented.units.reduce(0) { $0 + ($1.kind == .sentence ? 1 : 0) }
        shingles = Shingles.of(segmented)
        sketch = TextSketch(shingles: shingles)
    }
}

/// What matching needs of an import item given without a story that depends on its text alone,
/// worked out on the import's reader threads ahead of the writer (`PreparedStream`): its query.
struct PreparedMatch: Sendable {
    let edition: String
    let query: QueryText

    init(_ item: PendingEdition) {
        edition = item.edition
        query = QueryText(item.bytes)
    }
}

/// Candidates' texts and shingles for the queries of one proposal or one import, each read
/// from git and shingled once: an import meets the same candidates again and again (the
/// editions of a story, stock-phrase neighbours). Kept up to `limit` editions, then forgotten.
final class CandidateTexts {
    private let read: (String) throws -> [UInt8]?
    private var texts: [String: [UInt8]] = [:]
    private var shingleLists: [String: [UInt64]] = [:]
    private let limit = 4_096

    /// `read`: an edition's text, nil if it is not to be had.
    init(_ read: @escaping (String) throws -> [UInt8]?) { self.read = read }

    func text(of edition: String) throws -> [UInt8]? {
        if let known = texts[edition] { return known }
        guard let text = try read(edition) else { return nil }
        if texts.count >= limit { texts.removeAll(keepingCapacity: true) }
        texts[edition] = text
        return text
    }

    /// The edition's distinct shingles.
    func shingles(of edition: String) throws -> [UInt64]? {
        if let known = shingleLists[edition] { return known }
        guard let text = try text(of: edition) else { return nil }
        let shingles = Shingles.of(text)
        note(edition, shingles: shingles)
        return shingles
    }

    /// The shingles of an edition whose text was shingled already (an import's own items).
    func note(_ edition: String, shingles: [UInt64]) {
        if shingleLists.count >= limit { shingleLists.removeAll(keepingCapacity: true) }
        shingleLists[edition] = shingles
    }
}
