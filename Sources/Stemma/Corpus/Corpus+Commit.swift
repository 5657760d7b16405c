import Foundation
import Git

/// What `Corpus.commit` did.
public struct CommitOutcome: Sendable, Equatable {
    public enum Action: String, Sendable { case created, unchanged, updated }
    public let edition: String
    /// The commit that wrote the edition's current record: the new one, or for `.unchanged`
    /// the earlier commit that recorded exactly this.
    public let commit: String
    /// The record as it now is (after merging an update into what was recorded).
    public let metadata: EditionMetadata
    public let action: Action
    /// For `.updated`, what changed (`date 2024-09-12 → 2024-09-13`, `title added`).
    public var changes: [String] = []
    public var created: Bool { action == .created }
}

/// An edition ready to commit: bytes and metadata, already validated.
public struct PendingEdition: Sendable {
    public let bytes: [UInt8]
    public let metadata: EditionMetadata
    public let edition: String
    /// How this merges into a record already there (see `MetadataUpdate`).
    public let update: MetadataUpdate

    /// Validates bytes and metadata; throws `.user` naming `name`. By default every field with
    /// a value counts as given.
    public init(bytes: [UInt8], metadata: EditionMetadata, name: String, maxBytes: Int = EditionText.defaultMaxBytes,
                update: MetadataUpdate? = nil) throws {
        try EditionText.validate(bytes, name: name, maxBytes: maxBytes)
        try metadata.validate()
        self.bytes = bytes
        self.metadata = metadata
        self.update = update ?? .all(of: metadata)
        self.edition = try gitCall { try Repository.blobID(of: bytes) }.hex
    }

    private init(bytes: [UInt8], metadata: EditionMetadata, edition: String, update: MetadataUpdate) {
        self.bytes = bytes; self.metadata = metadata; self.edition = edition; self.update = update
    }

    /// The same bytes with `metadata`, every field with a value counting as given; the text was
    /// checked already, so only the metadata is (and the bytes are not hashed again).
    func withMetadata(_ metadata: EditionMetadata) throws -> PendingEdition {
        try metadata.validate()
        return PendingEdition(bytes: bytes, metadata: metadata, edition: edition, update: .all(of: metadata))
    }

    /// The same edition derived from `parent` (a full edition id).
    public func withParent(_ parent: String) throws -> PendingEdition {
        var m = metadata
        m.derivedFrom = parent
        try m.validate()
        var update = update
        update.given.insert(.derivedFrom)
        return PendingEdition(bytes: bytes, metadata: m, edition: edition, update: update)
    }

    /// The record this edition leaves when `existing` is what is recorded for it now.
    public func merged(into existing: EditionMetadata?) -> EditionRecord {
        EditionRecord(edition: edition, bytes: bytes.count, metadata: update.applied(metadata, to: existing))
    }

    public var record: EditionRecord { EditionRecord(edition: edition, bytes: bytes.count, metadata: metadata) }
}

extension Corpus {
    /// Records one edition as one commit on `main`.
    ///
    /// Identical bytes and metadata already recorded: nothing is written (`.unchanged`).
    /// The same bytes, story and source already recorded: the given fields are merged into the
    /// record (`MetadataUpdate`) and the record rewritten if that changes it (`.updated`).
    /// Objects are written before `main` moves, and `main` moves by compare-and-swap, retried
    /// when another process committed meanwhile, so concurrent writers never lose an edition
    /// and a crash leaves at worst unreferenced objects.
    public func commit(_ pending: PendingEdition) throws -> CommitOutcome {
        let m = pending.metadata
        let textPath = CorpusLayout.textPath(story: m.story, source: m.source, edition: pending.edition)
        let recordPath = CorpusLayout.recordPath(story: m.story, source: m.source, edition: pending.edition)
        try checkWritable()
        var tip = try gitCall { try repository.referenceTarget(Self.mainRef) }
        var existing = try recordedEntry(at: tip, path: recordPath)
        var record = pending.merged(into: existing?.record.metadata)
        try checkDerivation(of: record)
        let hookEnvironment = Self.hookEnvironment(record.metadata, edition: pending.edition)
        if let refusal = runHook(.preCommit, environment: hookEnvironment, input: pending.bytes) {
            throw StemmaError.user("the pre-commit hook refused the edition: \(refusal)")
        }
        let textID = try gitCall { try repository.writeBlob(pending.bytes) }
        var lostRaces = 0
        let started = Date()
        while true {
            let recordBytes = Array(record.json.utf8)
            let recordID = try gitCall { try repository.writeBlob(recordBytes) }
            if let existing, existing.id == recordID {
                return CommitOutcome(edition: pending.edition, commit: try recordingCommit(of: record) ?? tip!.hex,
                                     metadata: record.metadata, action: .unchanged)
            }
            let action: CommitOutcome.Action = existing == nil ? .created : .updated
            let commit: ObjectID = try gitCall {
                let baseTree = try tip.map { try repository.commit($0).tree }
                let tree = try repository.updateTree(baseTree, [
                    TreeUpdate(path: textPath, action: .upsertBlob(textID)),
                    TreeUpdate(path: recordPath, action: .upsertBlob(recordID)),
                ])
                let signature = repository.defaultSignature(fallbackName: Self.fallbackName, fallbackEmail: Self.fallbackEmail)
                let message = Trailers.message(for: record, action: action == .created ? "Add" : "Update")
                return try repository.createCommit(tree: tree, parents: tip.map { [$0] } ?? [], message: message,
                                                   author: signature, committer: signature)
            }
            do {
                try gitCall {
                    do {
                        try Self.moveMain(repository, to: commit, expecting: tip, message: "stemma commit")
                    } catch let error as GitError where error.isModified || error.isExists {
                        throw LostRace()
                    }
                }
            } catch is LostRace {
                // Another writer moved main: merge again into what it recorded, on top of its commit.
                lostRaces += 1
                if lostRaces >= 100 && Date().timeIntervalSince(started) > Self.raceTimeout {
                    throw StemmaError.corpus("main kept moving for \(Int(Self.raceTimeout)) seconds (\(lostRaces) attempts to commit); try again")
                }
                tip = try gitCall { try repository.referenceTarget(Self.mainRef) }
                let now = try recordedEntry(at: tip, path: recordPath)
                if now?.id != existing?.id {
                    existing = now
                    record = pending.merged(into: now?.record.metadata)
                    try checkDerivation(of: record)
                }
                continue
            }
            var outcome = CommitOutcome(edition: pending.edition, commit: commit.hex, metadata: record.metadata, action: action)
            if let old = existing?.record.metadata { outcome.changes = MetadataUpdate.changes(from: old, to: record.metadata) }
            if let failure = runHook(.postCommit, environment: hookEnvironment.merging(["STEMMA_COMMIT": outcome.commit]) { $1 }) {
                warn("post-commit hook failed: \(failure)")
            }
            return outcome
        }
    }

    private struct LostRace: Error {}

    /// The record file at `path` in `tip`'s tree, if there is one.
    func recordedEntry(at tip: ObjectID?, path: String) throws -> (id: ObjectID, record: EditionRecord)? {
        guard let tip else { return nil }
        guard let entry = try gitCall({ try repository.treeEntry(in: try repository.commit(tip).tree, path: path) }) else { return nil }
        return (entry.id, try EditionRecord.parse(try gitCall { try repository.blobBytes(entry.id) }, path: path))
    }

    /// The commit that wrote `record` as it now is (the index knows it), or nil if the index does not.
    func recordingCommit(of record: EditionRecord) throws -> String? {
        let m = record.metadata
        return try index().record(story: m.story, source: m.source, edition: record.edition)?.commit
    }

    /// A record's parent must be in the corpus, and must not derive (at any remove) from it.
    func checkDerivation(of record: EditionRecord) throws {
        guard let parent = record.metadata.derivedFrom else { return }
        let index = try index()
        guard try index.hasEdition(parent) else {
            throw StemmaError.user("--derived-from \(parent) is not an edition in this corpus")
        }
        try Derivation.checkNoCycle(edition: record.edition, parent: parent) { id in
            try index.editions(idPrefix: id).filter { $0.edition == id }.compactMap(\.metadata.derivedFrom)
        }
    }
}

extension Corpus {
    /// How long a commit keeps trying while other writers move main.
    static let raceTimeout: TimeInterval = 30

    /// How long a writer waits for main's lock file before giving up: 30 s of wall time, or
    /// `STEMMA_LOCK_TIMEOUT` seconds. A lock older than that is almost surely stale (its writer
    /// was killed between taking the lock and renaming it), and only a person can know.
    public static var lockTimeout: TimeInterval {
        let given = ProcessInfo.processInfo.environment["STEMMA_LOCK_TIMEOUT"].flatMap { TimeInterval($0) }
        return given.map { max($0, 0) } ?? 30
    }

    /// Moves main from `expected` to `target` by compare-and-swap. While another writer holds
    /// main's lock file (it is part way through its own update) this waits and tries again: 1 ms,
    /// doubling to 64 ms, with jitter so that writers that collided do not collide again in step.
    /// Retrying at once spent every attempt inside the other writer's few milliseconds on a loaded
    /// machine. Throws the `GitError` of a lost race (`isModified`, `isExists`) for the caller, and
    /// `.corpus` naming the lock file once it has waited `lockTimeout` for it.
    static func moveMain(_ repository: Repository, to target: ObjectID, expecting expected: ObjectID?, message: String) throws {
        try waitingForMainLock(repository) {
            try repository.updateReference(mainRef, to: target, expecting: expected, message: message)
        }
    }

    /// Takes main's lock file itself, waiting for another writer's as `moveMain` does. While the
    /// lock is held main cannot move, so what the holder reads of it stays true until it moves it.
    static func lockMain(_ repository: Repository) throws -> ReferenceLock {
        try waitingForMainLock(repository) { try repository.lockReference(mainRef) }
    }

    /// `body`, tried again while it finds main's lock file taken, until `lockTimeout`.
    private static func waitingForMainLock<T>(_ repository: Repository, _ body: () throws -> T) throws -> T {
        let deadline = Date(timeIntervalSinceNow: lockTimeout)
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as GitError where error.isLocked {
                guard Date() < deadline else { throw staleLock(repository, waited: lockTimeout) }
                attempt += 1
                let pause = 1_000 << min(attempt - 1, 6) // microseconds
                usleep(UInt32(pause + Int.random(in: 0..<pause)))
            }
        }
    }

    /// What git says about a lock it cannot take, for main.
    private static func staleLock(_ repository: Repository, waited: TimeInterval) -> StemmaError {
        let folder = repository.path.hasSuffix("/") ? repository.path : repository.path + "/"
        let lock = folder + mainRef + ".lock"
        return .corpus("main is locked: \(lock) has been there for \(String(format: "%g", waited)) s. "
            + "Another stemma or git process may be writing to this corpus; if none is, one was killed part way: "
            + "remove \(lock) and try again. Nothing was changed")
    }
}
