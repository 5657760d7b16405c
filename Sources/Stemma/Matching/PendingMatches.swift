import Foundation

/// The records an import has written since its last checkpoint, as the matching index will hold
/// them: in memory, with their own band table, so later items of the same import find them
/// without a SQLite write per edition. At the checkpoint they go to the index in one transaction
/// (`MatchIndex.addCheckpoint`) and this is emptied.
///
/// Their ids are above any the index gives (`firstID`), in the order written: the candidates'
/// tie-break (the lower id first) orders them after every stored record and among themselves as
/// the index will once they are stored.
final class PendingMatches {
    struct Item {
        let entry: MatchEntry
        let metadata: EditionMetadata
        let text: [UInt8]
        let sketch: TextSketch
    }

    static let firstID: Int64 = 1 << 62

    private(set) var items: [Item] = []
    /// The items' estimates, apart: most candidates are tested on these alone.
    private var estimates: [CandidateEstimate] = []
    private var byBand: [Int64: [Int64]] = [:]
    private var byEdition: [String: Int] = [:]
    private var records = Set<String>()

    var isEmpty: Bool { items.isEmpty }

    func add(_ metadata: EditionMetadata, edition: String, text: [UInt8], sketch: TextSketch) {
        let id = Self.firstID + Int64(items.count)
        let entry = MatchEntry(id: id, story: metadata.story, source: metadata.source, edition: edition, date: metadata.date,
                               signature: sketch.signature, shingles: sketch.shingles)
        if !sketch.signature.isEmpty {
            for band in sketch.signature.bands { byBand[band, default: []].append(id) }
        }
        byEdition[edition] = items.count
        records.insert(Self.key(metadata.story, metadata.source, edition))
        items.append(Item(entry: entry, metadata: metadata, text: text, sketch: sketch))
        estimates.append(CandidateEstimate(sketch))
    }

    /// The pending records with this band key.
    func postings(_ band: Int64) -> [Int64] { byBand[band] ?? [] }

    func estimate(id: Int64) -> CandidateEstimate? {
        let k = id - Self.firstID
        return k >= 0 && k < Int64(estimates.count) ? estimates[Int(k)] : nil
    }

    func entry(id: Int64) -> MatchEntry? {
        let k = id - Self.firstID
        return k >= 0 && k < Int64(items.count) ? items[Int(k)].entry : nil
    }

    /// The text of a pending edition (not in the object store until the checkpoint).
    func text(of edition: String) -> [UInt8]? { byEdition[edition].map { items[$0].text } }

    /// Whether this record (an edition id names bytes, which several stories or sources may hold) is pending.
    func contains(story: String, source: String, edition: String) -> Bool { records.contains(Self.key(story, source, edition)) }

    private static func key(_ story: String, _ source: String, _ edition: String) -> String { story + "\u{0}" + source + "\u{0}" + edition }

    func removeAll() {
        items.removeAll(keepingCapacity: true)
        estimates.removeAll(keepingCapacity: true)
        byBand.removeAll(keepingCapacity: true)
        byEdition.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }
}
