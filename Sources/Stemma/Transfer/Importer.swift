import Foundation
import Git

public struct ImportOptions: Sendable {
    /// Commit the good items and report the bad ones, instead of writing nothing when any is bad.
    public var keepGoing = false
    /// Finish a pack and move `main` after this many new editions. Objects stream into the
    /// pack as they come, so this bounds what a crash loses, not memory.
    public var checkpointEvery = 10_000
    public var maxBytes = EditionText.defaultMaxBytes
    /// For tests: stop as a crash would after this many new editions, without a last checkpoint.
    public var interruptAfter: Int? = nil
    public init() {}
}

/// Counts while an import runs and when it ends.
public struct ImportProgress: Sendable {
    public var phase = "import"
    public var read = 0
    public var created = 0
    /// Already in the corpus with the same metadata (a re-run resumes this way).
    public var skipped = 0
    public var failed = 0
    public var packBytes = 0
    public var checkpoints = 0
    public var seconds = 0.0
    /// Of `seconds`, the time spent finishing packs at checkpoints (checksum, index, sync).
    public var packSeconds = 0.0
}

public struct ImportReport {
    public var progress: ImportProgress
    /// Each bad item's location and reason.
    public var failures: [String]
    /// True when nothing was written because a bad item was found (all-or-nothing mode).
    public var refused: Bool
}

/// The stop `interruptAfter` simulates.
public struct ImportInterrupted: Error {}

/// Bulk import: validates every item (all-or-nothing unless `keepGoing`), then writes one
/// commit per edition into an in-memory object store, flushed as a packfile at each checkpoint
/// just before `main` moves by compare-and-swap. A crash loses at most the editions since the
/// last checkpoint; running the same import again skips what is already there.
public final class Importer {
    let corpus: Corpus
    let options: ImportOptions
    let onProgress: (ImportProgress) -> Void
    private var progress = ImportProgress()
    private let clock = Date()

    public init(corpus: Corpus, options: ImportOptions, onProgress: @escaping (ImportProgress) -> Void = { _ in }) {
        self.corpus = corpus; self.options = options; self.onProgress = onProgress
    }

    public func run(_ sources: [ImportSource]) throws -> ImportReport {
        try corpus.checkWritable()
        let index = try corpus.index()
        var failures: [String] = []
        if !options.keepGoing {
            progress.phase = "check"
            var parents = ParentResolver(index: index)
            try each(sources) { item in
                switch item.result {
                case .failure(let error): failures.append(error.description)
                case .success(let (pending, parent)):
                    do {
                        let resolved = try parent.map { try pending.withParent(try parents.resolve($0, for: item.location)) } ?? pending
                        parents.note(resolved.metadata, edition: resolved.edition)
                    } catch let error as StemmaError {
                        failures.append(error.description)
                    }
                }
            }
            if !failures.isEmpty {
                progress.failed = failures.count
                return ImportReport(progress: progress, failures: failures, refused: true)
            }
            progress = ImportProgress()
        }
        progress.phase = "import"
        try write(sources, index: index, failures: &failures)
        progress.failed = failures.count
        progress.seconds = Date().timeIntervalSince(clock)
        onProgress(progress)
        if let failure = corpus.runHook(.postImport, environment: [
            "STEMMA_IMPORTED": String(progress.created), "STEMMA_SKIPPED": String(progress.skipped), "STEMMA_FAILED": String(progress.failed),
        ]) {
            corpus.warn("post-import hook failed: \(failure)")
        }
        return ImportReport(progress: progress, failures: failures, refused: false)
    }

    /// Every item of `sources`, prepared ahead on a second thread, in order.
    private func each(_ sources: [ImportSource], _ body: (PreparedItem) throws -> Void) throws {
        let stream = PreparedStream(sources: sources, maxBytes: options.maxBytes)
        defer { stream.cancel() }
        while let item = try stream.next() {
            progress.read += 1
            if progress.read % 1_000 == 0 { progress.seconds = Date().timeIntervalSince(clock); onProgress(progress) }
            try body(item)
        }
    }

    private func write(_ sources: [ImportSource], index: CorpusIndex, failures: inout [String]) throws {
        let repository = try gitCall { try Repository.openForBulkWrite(at: corpus.path) }
        var checkpointTip = try gitCall { try repository.referenceTarget(Corpus.mainRef) }
        var tip = checkpointTip
        let editor = BulkTreeEditor(repository: repository, root: try gitCall { try tip.map { try repository.commit($0).tree } })
        let signature = repository.defaultSignature(fallbackName: Corpus.fallbackName, fallbackEmail: Corpus.fallbackEmail)
        var parents = ParentResolver(index: index)
        var pendingRows: [LoggedEdition] = []
        let matcher = ImportMatcher(corpus: corpus) // items given without a story (Matching/)

        func checkpoint() throws {
            guard tip != checkpointTip, let newTip = tip else { return }
            let started = Date()
            progress.packBytes += try gitCall { try editor.finishPack() }
            progress.packSeconds += Date().timeIntervalSince(started)
            do {
                // Waits out a writer holding main's lock; if it then moved main, the import stops
                // below and resumes when rerun.
                try Corpus.moveMain(repository, to: newTip, expecting: checkpointTip, message: "stemma import")
            } catch let error as GitError where error.isModified || error.isExists {
                throw StemmaError.corpus("main moved while importing (another writer); run the same import again to resume")
            } catch let error as GitError {
                throw StemmaError.corpus("git: \(error.message)")
            }
            if try index.record(pendingRows, movingFrom: checkpointTip?.hex, to: newTip.hex) { parents.forget() }
            matcher.checkpointed()
            pendingRows.removeAll(keepingCapacity: true)
            checkpointTip = newTip
            progress.checkpoints += 1
        }

        try each(sources) { item in
            let pending: PendingEdition
            switch item.result {
            case .failure(let error): failures.append(error.description); return
            case .success(let (prepared, parent)):
                do {
                    pending = try matcher.assign(try parent.map { try prepared.withParent(try parents.resolve($0, for: item.location)) } ?? prepared,
                                                 location: item.location)
                } catch let error as StemmaError {
                    failures.append(error.description); return
                }
            }
            parents.note(pending.metadata, edition: pending.edition)
            let m = pending.metadata
            let record = pending.record
            let recordBytes = Array(record.json.utf8)
            let created: Bool = try gitCall {
                let folder = CorpusLayout.storyFolder(m.story)
                let base = m.source + "." + pending.edition
                let recordID = try Repository.blobID(of: recordBytes)
                if let existing = try editor.entry(in: folder, named: base + ".json"), existing.id == recordID {
                    return false // already recorded: a re-run resumes here
                }
                // Editions of one story are near-copies: each is packed as a delta against the last.
                let textID = try repository.writeRaw(.blob, pending.bytes, deltaKey: folder + ".txt", knownID: ObjectID(hex: pending.edition))
                try repository.writeRaw(.blob, recordBytes, deltaKey: folder + ".json", knownID: recordID)
                let tree = try editor.upsertBlobs(in: folder, [(base + ".txt", textID), (base + ".json", recordID)])
                let commit = try repository.writeCommitRaw(tree: tree, parents: tip.map { [$0] } ?? [],
                                                           message: Trailers.message(for: record), author: signature, committer: signature)
                tip = commit
                pendingRows.append(LoggedEdition(record: record, commit: commit.hex, committedAt: signature.time,
                                                 offsetMinutes: Int(signature.offsetMinutes)))
                return true
            }
            guard created else { progress.skipped += 1; return }
            try matcher.written(pending)
            progress.created += 1
            if let stop = options.interruptAfter, progress.created >= stop { throw ImportInterrupted() }
            if progress.created % options.checkpointEvery == 0 { try checkpoint() }
        }
        try checkpoint()
        if let summary = matcher.summary { corpus.warn(summary) }
    }
}

/// Resolves `derived_from` during an import: an edition earlier in the same import, or one
/// already in the corpus. What it remembers is compact (ids as `ObjectID`, dates as integers)
/// and the write pass forgets it at every checkpoint, once those editions are in the index.
struct ParentResolver {
    let index: CorpusIndex
    private var latest: [String: (date: Int32, edition: ObjectID)] = [:]
    private var seen = Set<ObjectID>()

    init(index: CorpusIndex) { self.index = index }

    mutating func note(_ m: EditionMetadata, edition: String) {
        guard let id = ObjectID(hex: edition) else { return }
        seen.insert(id)
        let key = m.story + ":" + m.source
        let date = Int32(m.date.replacingOccurrences(of: "-", with: "")) ?? 0
        if let current = latest[key], current.date > date { return }
        latest[key] = (date, id)
    }

    /// Forgets what is now in the index.
    mutating func forget() {
        latest.removeAll()
        seen.removeAll()
    }

    func resolve(_ reference: String, for location: String) throws -> String {
        if let id = ObjectID(hex: reference), seen.contains(id) { return id.hex }
        if let hit = latest[reference] { return hit.edition.hex } // STORY:SOURCE earlier in this import
        do {
            return try EditionReference(parsing: reference).resolve(in: index).edition
        } catch StemmaError.user(let message) {
            throw StemmaError.user("\(location): derived_from: \(message)")
        }
    }
}
