import Foundation

/// The records an import has written since its last checkpoint, as the matching index will hold
/// them: in memory, with their own band table, so later items of the same import find them
/// without a SQLite write per edition. At the checkpoint they go to the index in one transaction
/// (`MatchIndex.beginCheckpoint`) and the import goes on with a fresh one.
///
/// Their ids are above any the index gives (`firstID`), in the order written: the candidates'
/// tie-break (the lower id first) orders them after every stored record and among themselves as
/// the index will once they are stored. While the index stores the previous checkpoint's records
/// on its own thread (`MatchIndex.beginCheckpoint`), those stay candidates here (`storing`),
/// numbered below this checkpoint's.
final class PendingMatches {
    struct Item {
        let entry: MatchEntry
        let metadata: EditionMetadata
        let text: [UInt8]
        let sketch: TextSketch

        /// `id`: its place among the candidates (the index gives stored ones theirs).
        init(_ metadata: EditionMetadata, edition: String, text: [UInt8], sketch: TextSketch, id: Int64) {
            entry = MatchEntry(id: id, story: metadata.story, source: metadata.source, edition: edition, date: metadata.date,
                               signature: sketch.signature, shingles: sketch.shingles)
            self.metadata = metadata
            self.text = text
            self.sketch = sketch
        }
    }

    let firstID: Int64
    /// The previous checkpoint's records, until the index has them.
    var storing: PendingMatches?

    init(firstID: Int64 = 1 << 62, storing: PendingMatches? = nil) { self.firstID = firstID; self.storing = storing }

    /// The first id after these.
    var nextID: Int64 { firstID + Int64(items.count) }

    private(set) var items: [Item] = []
    /// The items' estimates, apart: most candidates are tested on these alone.
    private var estimates: [CandidateEstimate] = []
    private var byBand: [Int64: [Int64]] = [:]
    /// The last item of each edition, and for each item the one before it of the same edition
    /// (-1: none), so that taking items off the end restores the one before in a step: looking
    /// for it among all the items made each checkpoint quadratic in the items matched ahead of it.
    private var byEdition: [String: Int] = [:]
    private var earlierOfEdition: [Int] = []
    private var records = Set<String>()

    var isEmpty: Bool { items.isEmpty }

    func add(_ metadata: EditionMetadata, edition: String, text: [UInt8], sketch: TextSketch) {
        let id = nextID
        if !sketch.signature.isEmpty {
            for band in sketch.signature.bands { byBand[band, default: []].append(id) }
        }
        earlierOfEdition.append(byEdition[edition] ?? -1)
        byEdition[edition] = items.count
        records.insert(MatchIndex.recordKey(metadata.story, metadata.source, edition))
        items.append(Item(metadata, edition: edition, text: text, sketch: sketch, id: id))
        estimates.append(CandidateEstimate(sketch))
    }

    /// `item` again, from another batch, under the next id here.
    func add(_ item: Item) { add(item.metadata, edition: item.entry.edition, text: item.text, sketch: item.sketch) }

    /// Takes the last `count` items out, as if they had never been added, and returns them in
    /// order: those an import matched ahead of a checkpoint that did not reach them
    /// (`ImportMatcher.checkpointed`), which go on pending after it.
    func removeLast(_ count: Int) -> [Item] {
        precondition(count >= 0 && count <= items.count, "removing \(count) of \(items.count) pending records")
        let removed = Array(items.suffix(count))
        for item in removed.reversed() {
            let id = item.entry.id
            if !item.sketch.signature.isEmpty {
                // An item's id is the last of each of its bands' postings: the items after it are gone already.
                for band in item.sketch.signature.bands where byBand[band]?.last == id {
                    byBand[band]!.removeLast()
                    if byBand[band]!.isEmpty { byBand[band] = nil }
                }
            }
            items.removeLast()
            estimates.removeLast()
            records.remove(MatchIndex.recordKey(item.metadata.story, item.metadata.source, item.entry.edition))
            // The same bytes may be an earlier item too (another story's or source's record).
            let earlier = earlierOfEdition.removeLast()
            byEdition[item.entry.edition] = earlier >= 0 ? earlier : nil
        }
        return removed
    }

    /// The pending records with this band key, `storing`'s first.
    func postings(_ band: Int64) -> [Int64] {
        guard let earlier = storing?.postings(band), !earlier.isEmpty else { return byBand[band] ?? [] }
        return earlier + (byBand[band] ?? [])
    }

    func estimate(id: Int64) -> CandidateEstimate? {
        let k = id - firstID
        return k >= 0 && k < Int64(estimates.count) ? estimates[Int(k)] : storing?.estimate(id: id)
    }

    func entry(id: Int64) -> MatchEntry? {
        let k = id - firstID
        return k >= 0 && k < Int64(items.count) ? items[Int(k)].entry : storing?.entry(id: id)
    }

    /// The text of a pending edition (kept in memory so no candidate's text waits on the object store).
    func text(of edition: String) -> [UInt8]? { byEdition[edition].map { items[$0].text } ?? storing?.text(of: edition) }

    /// Whether this record (an edition id names bytes, which several stories or sources may hold)
    /// is one of these (not of `storing`).
    func contains(story: String, source: String, edition: String) -> Bool { records.contains(MatchIndex.recordKey(story, source, edition)) }

    /// Whether this record is one of these or of `storing`.
    func holds(story: String, source: String, edition: String) -> Bool {
        contains(story: story, source: source, edition: edition) || storing?.holds(story: story, source: source, edition: edition) == true
    }

}
