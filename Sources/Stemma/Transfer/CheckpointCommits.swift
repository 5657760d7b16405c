import Foundation
import Git

/// An import's commits since its last checkpoint: one commit per record, on top of `main` as
/// the checkpoint left it, and, when another writer moved `main` meanwhile, the same records
/// re-applied on top of `main` as it is now (a rebase).
///
/// A rebase rewrites no text: the texts are in the pack already, and the new trees only name
/// them. Each record is merged again, by the same `MetadataUpdate`, into the record now in the
/// tree, so the other writer's fields survive where the import gave none; a record already
/// exactly as the import would leave it is not committed again (the writers converge). The
/// commits it replaces become unreachable, and `git gc` prunes them.
final class CheckpointCommits {
    /// One record to write: enough to write it again on another tree, without its text.
    struct Step {
        let edition: String
        let bytes: Int
        /// The record the import's lines leave when nothing is recorded yet (story and source included).
        let values: EditionMetadata
        /// How those lines merge into a record already there.
        let update: MetadataUpdate
    }

    enum Written { case created, updated }

    let repository: Repository
    private let signature: Signature
    private(set) var editor: BulkTreeEditor
    /// `main` as of the last checkpoint (or as rebased onto).
    private(set) var base: ObjectID?
    /// The last commit written, on top of `base`.
    private(set) var tip: ObjectID?
    /// Since `base`, in order: each record written, what it wrote, and its record blob.
    private var steps: [(step: Step, written: Written, record: ObjectID)] = []
    /// The index rows of those records.
    private(set) var rows: [LoggedEdition] = []
    /// Record blobs written to the pack not yet finished, which git cannot read back until it
    /// is: a later line about the same record (one given without a story that matching gave
    /// this one's) merges into what they hold.
    private var unfinishedRecords: [ObjectID: [UInt8]] = [:]

    init(repository: Repository, base: ObjectID?, signature: Signature) throws {
        self.repository = repository; self.signature = signature; self.base = base; self.tip = base
        editor = BulkTreeEditor(repository: repository, root: try base.map { try repository.commit($0).tree })
    }

    var hasCommits: Bool { tip != base }

    /// Writes `step` as one commit on `tip`, with its text unless the text is already stored
    /// (`text` nil), and its record unless that is `stored`; nil when the tree already holds
    /// exactly this record.
    func write(_ step: Step, text: [UInt8]?, stored: ObjectID? = nil) throws -> Written? {
        let m = step.values
        let folder = CorpusLayout.storyFolder(m.story)
        let base = m.source + "." + step.edition
        let existing = try editor.entry(in: folder, named: base + ".json")
        let recorded = try existing.map {
            try EditionRecord.parse(try unfinishedRecords[$0.id] ?? repository.blobBytes($0.id), path: folder + "/" + base + ".json")
        }
        let record = EditionRecord(edition: step.edition, bytes: step.bytes, metadata: step.update.applied(m, to: recorded?.metadata))
        let recordBytes = Array(record.json.utf8)
        let recordID = try Repository.blobID(of: recordBytes)
        if let existing, existing.id == recordID { return nil } // already recorded: a re-run resumes here
        var files: [(String, ObjectID)] = []
        if existing == nil {
            let textID = ObjectID(hex: step.edition)!
            // Editions of one story are near-copies: each is packed as a delta against the last.
            if let text { try repository.writeRaw(.blob, text, deltaKey: folder + ".txt", knownID: textID) }
            files.append((base + ".txt", textID))
        }
        if recordID != stored {
            try repository.writeRaw(.blob, recordBytes, deltaKey: folder + ".json", knownID: recordID)
            unfinishedRecords[recordID] = recordBytes
        }
        files.append((base + ".json", recordID))
        let tree = try editor.upsertBlobs(in: folder, files)
        let written: Written = existing == nil ? .created : .updated
        let commit = try repository.writeCommitRaw(tree: tree, parents: tip.map { [$0] } ?? [],
                                                   message: Trailers.message(for: record, action: written == .created ? "Add" : "Update"),
                                                   author: signature, committer: signature)
        tip = commit
        steps.append((step, written, recordID))
        rows.append(LoggedEdition(record: record, commit: commit.hex, committedAt: signature.time, offsetMinutes: Int(signature.offsetMinutes)))
        return written
    }

    /// Finishes the pack being written; its objects are readable from here on.
    func finishPack() throws -> Int {
        let bytes = try editor.finishPack()
        unfinishedRecords.removeAll(keepingCapacity: true)
        return bytes
    }

    /// `main` now points at `tip`: the next commits start a new checkpoint.
    func checkpointed() {
        base = tip
        steps.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
    }

    /// Writes the commits since `base` again on top of `newBase` (`main` as another writer left
    /// it), in order, and makes `newBase` the base. Returns the records whose writing changed:
    /// what they were, and what they are now (nil: `newBase` already holds them exactly; an
    /// addition becomes an update where the other writer recorded the same edition).
    func rebase(onto newBase: ObjectID?) throws -> [(was: Written, now: Written?)] {
        let replaced = steps
        steps.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
        editor = BulkTreeEditor(repository: repository, root: try newBase.map { try repository.commit($0).tree })
        base = newBase
        tip = newBase
        var changed: [(was: Written, now: Written?)] = []
        for (step, was, record) in replaced {
            let now = try write(step, text: nil, stored: record)
            if now != was { changed.append((was, now)) }
        }
        return changed
    }
}
