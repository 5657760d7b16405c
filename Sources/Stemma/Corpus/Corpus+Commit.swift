import Foundation
import Git

/// What `Corpus.commit` did.
public struct CommitOutcome: Sendable, Equatable {
    public enum Action: String, Sendable { case created, unchanged, updated }
    public let edition: String
    /// The commit that records the edition: the new one, or for `.unchanged` the tip of main.
    public let commit: String
    public let metadata: EditionMetadata
    public let action: Action
    public var created: Bool { action == .created }
}

/// An edition ready to commit: bytes and metadata, already validated.
public struct PendingEdition: Sendable {
    public let bytes: [UInt8]
    public let metadata: EditionMetadata
    public let edition: String

    /// Validates bytes and metadata; throws `.user` naming `name`.
    public init(bytes: [UInt8], metadata: EditionMetadata, name: String, maxBytes: Int = EditionText.defaultMaxBytes) throws {
        try EditionText.validate(bytes, name: name, maxBytes: maxBytes)
        try metadata.validate()
        self.bytes = bytes
        self.metadata = metadata
        self.edition = try gitCall { try Repository.blobID(of: bytes) }.hex
    }

    private init(bytes: [UInt8], metadata: EditionMetadata, edition: String) {
        self.bytes = bytes; self.metadata = metadata; self.edition = edition
    }

    /// The same edition derived from `parent` (a full edition id).
    public func withParent(_ parent: String) throws -> PendingEdition {
        var m = metadata
        m.derivedFrom = parent
        try m.validate()
        return PendingEdition(bytes: bytes, metadata: m, edition: edition)
    }

    public var record: EditionRecord { EditionRecord(edition: edition, bytes: bytes.count, metadata: metadata) }
}

extension Corpus {
    /// Records one edition as one commit on `main`.
    ///
    /// Identical bytes and metadata already recorded: nothing is written (`.unchanged`).
    /// The same bytes, story and source with other metadata: the record is rewritten (`.updated`).
    /// Objects are written before `main` moves, and `main` moves by compare-and-swap, retried
    /// when another process committed meanwhile, so concurrent writers never lose an edition
    /// and a crash leaves at worst unreferenced objects.
    public func commit(_ pending: PendingEdition) throws -> CommitOutcome {
        let metadata = pending.metadata
        if let parent = metadata.derivedFrom {
            guard try index().hasEdition(parent) else {
                throw StemmaError.user("--derived-from \(parent) is not an edition in this corpus")
            }
        }
        try checkWritable()
        let hookEnvironment = Self.hookEnvironment(metadata, edition: pending.edition)
        if let refusal = runHook(.preCommit, environment: hookEnvironment, input: pending.bytes) {
            throw StemmaError.user("the pre-commit hook refused the edition: \(refusal)")
        }
        let record = pending.record
        let recordBytes = Array(record.json.utf8)
        let textPath = CorpusLayout.textPath(story: metadata.story, source: metadata.source, edition: pending.edition)
        let recordPath = CorpusLayout.recordPath(story: metadata.story, source: metadata.source, edition: pending.edition)

        let outcome: CommitOutcome = try gitCall {
            let textID = try repository.writeBlob(pending.bytes)
            let recordID = try repository.writeBlob(recordBytes)
            var lostRaces = 0
            let started = Date()
            while true {
                let tip = try repository.referenceTarget(Self.mainRef)
                let baseTree = try tip.map { try repository.commit($0).tree }
                var action = CommitOutcome.Action.created
                if let baseTree, let existing = try repository.treeEntry(in: baseTree, path: recordPath) {
                    if existing.id == recordID {
                        return CommitOutcome(edition: pending.edition, commit: tip!.hex, metadata: metadata, action: .unchanged)
                    }
                    action = .updated
                }
                let tree = try repository.updateTree(baseTree, [
                    TreeUpdate(path: textPath, action: .upsertBlob(textID)),
                    TreeUpdate(path: recordPath, action: .upsertBlob(recordID)),
                ])
                let signature = repository.defaultSignature(fallbackName: Self.fallbackName, fallbackEmail: Self.fallbackEmail)
                let message = Trailers.message(for: record, action: action == .created ? "Add" : "Update")
                let commit = try repository.createCommit(tree: tree, parents: tip.map { [$0] } ?? [], message: message,
                                                         author: signature, committer: signature)
                do {
                    try Self.moveMain(repository, to: commit, expecting: tip, message: "stemma commit")
                } catch let error as GitError where error.isModified || error.isExists {
                    // Another writer moved main: rebuild on top of its commit.
                    lostRaces += 1
                    if lostRaces >= 100 && Date().timeIntervalSince(started) > Self.raceTimeout {
                        throw StemmaError.corpus("main kept moving for \(Int(Self.raceTimeout)) seconds (\(lostRaces) attempts to commit); try again")
                    }
                    continue
                }
                return CommitOutcome(edition: pending.edition, commit: commit.hex, metadata: metadata, action: action)
            }
        }
        if outcome.action != .unchanged,
           let failure = runHook(.postCommit, environment: hookEnvironment.merging(["STEMMA_COMMIT": outcome.commit]) { $1 }) {
            warn("post-commit hook failed: \(failure)")
        }
        return outcome
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
        let deadline = Date(timeIntervalSinceNow: lockTimeout)
        var attempt = 0
        while true {
            do {
                try repository.updateReference(mainRef, to: target, expecting: expected, message: message)
                return
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
