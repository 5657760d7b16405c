import Foundation
import Git

public struct ImportOptions: Sendable {
    /// Commit the good items and report the bad ones, instead of writing nothing when any is bad.
    public var keepGoing = false
    /// Finish a pack and move `main` after this many new or updated records. Objects stream
    /// into the pack as they come, so this bounds what a crash loses, not memory.
    public var checkpointEvery = 10_000
    public var maxBytes = EditionText.defaultMaxBytes
    /// For tests: stop as a crash would after this many written records, without a last checkpoint.
    public var interruptAfter: Int? = nil
    public init() {}
}

/// Counts while an import runs and when it ends.
public struct ImportProgress: Sendable {
    public var phase = "import"
    public var read = 0
    /// New records.
    public var created = 0
    /// Records already there that a line changed (its fields merged in, see `MetadataUpdate`).
    public var updated = 0
    /// Already in the corpus exactly as the line would leave it (a re-run resumes this way).
    public var skipped = 0
    /// Lines folded into a later line about the same record (same bytes, story and source).
    public var merged = 0
    public var failed = 0
    public var packBytes = 0
    public var checkpoints = 0
    /// Checkpoints re-applied on top of another writer's commits (see `CheckpointCommits`).
    public var rebases = 0
    /// Of `packSeconds`, the time spent holding main's lock to rebase (the rebases, their packs).
    public var rebaseSeconds = 0.0
    public var seconds = 0.0
    /// Of `seconds`, the time spent finishing packs at checkpoints (checksum, index, sync).
    public var packSeconds = 0.0
}

extension ImportProgress {
    mutating func count(_ written: CheckpointCommits.Written, by n: Int) {
        if written == .created { created += n } else { updated += n }
    }
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

/// Bulk import in two passes over the sources.
///
/// The check pass prepares every item, resolves its `derived_from` against the corpus and the
/// lines before it, refuses cycles, runs the pre-commit hook, and notes which lines are about
/// the same record; with any bad item nothing is written unless `keepGoing`. The write pass
/// then writes one commit per record into a packfile, finished at each checkpoint just before
/// `main` moves by compare-and-swap. Several lines about one record (same bytes, story and
/// source) are one update, written at the last of them, each merged into what came before by
/// `MetadataUpdate`, so running the same import again writes nothing and a crash loses at most
/// the records since the last checkpoint.
public final class Importer {
    let corpus: Corpus
    let options: ImportOptions
    let onProgress: (ImportProgress) -> Void
    private var progress = ImportProgress()
    private let clock = Date()

    public init(corpus: Corpus, options: ImportOptions, onProgress: @escaping (ImportProgress) -> Void = { _ in }) {
        self.corpus = corpus; self.options = options; self.onProgress = onProgress
    }

    /// A record: the edition id and `story:source`.
    struct RecordKey: Hashable {
        let edition: String
        let storySource: String
        init(_ p: PendingEdition) { edition = p.edition; storySource = p.metadata.story + ":" + p.metadata.source }
    }

    /// What the check pass tells the write pass, line by line (lines counted from 1 over all sources).
    struct Plan {
        var failed = Set<Int>()
        /// The resolved parent of each line that names one.
        var parents: [Int: ObjectID] = [:]
        /// For records named by more than one line: the last such line.
        var lastLine: [RecordKey: Int] = [:]
        /// The lines whose record, as given, the corpus held before the import.
        var recorded = Set<Int>()
    }

    /// Makes SIGINT and SIGTERM remove the pack an import is writing before the process dies
    /// (process-wide signal handlers, so the program decides: the CLI does).
    public static func removeUnfinishedPacksOnInterrupt() { PackCleanup.removePacksOnInterrupt() }

    public func run(_ sources: [ImportSource]) throws -> ImportReport {
        try corpus.checkWritable()
        PackCleanup.removeAbandonedPacks(inRepository: corpus.path) // a killed import's unfinished pack
        let index = try corpus.index()
        var failures: [String] = []
        progress.phase = "check"
        let plan = try check(sources, index: index, failures: &failures)
        if !failures.isEmpty && !options.keepGoing {
            progress.failed = failures.count
            return ImportReport(progress: progress, failures: failures, refused: true)
        }
        progress = ImportProgress()
        progress.phase = "import"
        try write(sources, plan: plan, index: index, failures: &failures)
        progress.failed = failures.count
        progress.seconds = Date().timeIntervalSince(clock)
        onProgress(progress)
        if let failure = corpus.runHook(.postImport, environment: [
            "STEMMA_IMPORTED": String(progress.created), "STEMMA_UPDATED": String(progress.updated),
            "STEMMA_SKIPPED": String(progress.skipped), "STEMMA_FAILED": String(progress.failed),
        ]) {
            corpus.warn("post-import hook failed: \(failure)")
        }
        return ImportReport(progress: progress, failures: failures, refused: false)
    }

    /// Every item of `sources`, prepared ahead on a second thread, in order, with its line number.
    private func each(_ sources: [ImportSource], _ body: (Int, PreparedItem) throws -> Void) throws {
        let stream = PreparedStream(sources: sources, maxBytes: options.maxBytes)
        defer { stream.cancel() }
        var line = 0
        while let item = try stream.next() {
            line += 1
            countRead()
            try body(line, item)
        }
    }

    /// One more item read, reported every thousand.
    private func countRead() {
        progress.read += 1
        if progress.read % 1_000 == 0 { progress.seconds = Date().timeIntervalSince(clock); onProgress(progress) }
    }

    /// An item's edition and `derived_from` reference; a source or date neither given nor in the
    /// text comes from the record already in the corpus, as `commit` takes it (an update).
    private func prepared(_ item: PreparedItem, index: CorpusIndex) throws -> (PendingEdition, String?) {
        try Self.prepared(item, index: index, maxBytes: options.maxBytes)
    }

    private static func prepared(_ item: PreparedItem, index: CorpusIndex, maxBytes: Int) throws -> (PendingEdition, String?) {
        guard case .failure = item.result, var draft = item.retry, let recorded = try draft.soleRecord(in: index) else {
            return try item.result.get()
        }
        draft.recorded = recorded
        let (pending, parent, _) = try draft.preparedDeferringParent(maxBytes: maxBytes)
        return (pending, parent)
    }

    /// The lines about one record (`Plan.lastLine`) folded as they come, until the last of them
    /// writes the record they leave. The stage's thread's alone.
    final class Folding: @unchecked Sendable {
        var folded: [RecordKey: (values: EditionMetadata, update: MetadataUpdate, recorded: Bool)] = [:]
    }

    /// The write pass's step for line `line` before the writer's (`MatchingStage`): the item as
    /// the check pass resolved it, given a story if it has none, folded with the lines before it
    /// about the same record.
    private static func step(_ line: Int, _ item: PreparedItem, plan: Plan, maxBytes: Int, folding: Folding,
                             matcher: ImportMatcher, index: CorpusIndex) throws -> MatchingStage.Step {
        if plan.failed.contains(line) { return .skipped } // reported by the check pass
        do {
            let (prepared, _) = try prepared(item, index: index, maxBytes: maxBytes)
            let given = try plan.parents[line].map { try prepared.withParent($0.hex) } ?? prepared
            // The check pass knew the line by its record as given: two lines of the same text
            // without a story are one record there, written at the last of them.
            let key = RecordKey(given)
            // An item without a story is given one here, from what it matches (Matching/).
            let (pending, matchedRecorded) = try matcher.assign(given, prepared: item.match)
            var values = pending.update.applied(pending.metadata, to: nil)
            var update = pending.update
            var recorded = matchedRecorded ?? plan.recorded.contains(line)
            if let last = plan.lastLine[key] {
                if let earlier = folding.folded.removeValue(forKey: key) {
                    values = pending.update.applied(pending.metadata, to: earlier.values)
                    update = earlier.update.followed(by: pending.update)
                    recorded = earlier.recorded
                }
                if line != last { folding.folded[key] = (values, update, recorded); return .merged }
            }
            matcher.willWrite(pending, as: values, line: line, recorded: recorded)
            return .ready(CheckpointCommits.Step(edition: pending.edition, bytes: pending.bytes.count, values: values, update: update),
                          text: pending.bytes)
        } catch let error as StemmaError {
            return .failed(error.description) // changed since the check pass
        }
    }

    private func check(_ sources: [ImportSource], index: CorpusIndex, failures: inout [String]) throws -> Plan {
        var plan = Plan()
        var ledger = ImportLedger(index: index)
        try each(sources) { line, item in
            do {
                let (prepared, reference) = try prepared(item, index: index)
                let pending = try reference.map { try prepared.withParent(try ledger.resolve($0, for: item.location)) } ?? prepared
                let m = pending.metadata
                let id = ObjectID(hex: pending.edition)!
                if let parent = m.derivedFrom {
                    plan.parents[line] = ObjectID(hex: parent)
                    do { try ledger.checkNoCycle(edition: pending.edition, parent: parent) } catch StemmaError.user(let message) {
                        throw StemmaError.user("\(item.location): \(message)")
                    }
                }
                // What the record is before this line: an earlier line's, else the corpus's.
                let recorded = try index.record(story: m.story, source: m.source, edition: pending.edition)?.metadata
                let earlier = ledger.entry(edition: id, story: m.story, source: m.source)
                var after = pending.update.applied(m, to: recorded)
                if let earlier, !pending.update.given.contains(.derivedFrom) && !pending.update.unset.contains(.derivedFrom) {
                    after.derivedFrom = earlier.parent?.hex
                }
                if after != recorded || earlier != nil {
                    let environment = Corpus.hookEnvironment(after, edition: pending.edition)
                    if let refusal = corpus.runHook(.preCommit, environment: environment, input: pending.bytes) {
                        throw StemmaError.user("\(item.location): the pre-commit hook refused the edition: \(refusal)")
                    }
                }
                let date = pending.update.given.contains(.date) ? ImportLedger.dateNumber(m.date)
                    : earlier?.date ?? ImportLedger.dateNumber(recorded?.date ?? m.date)
                // Only a good line can be the last about its record: the write pass writes the record there.
                if earlier != nil { plan.lastLine[RecordKey(pending)] = line }
                if recorded != nil { plan.recorded.insert(line) }
                ledger.note(edition: id, story: m.story, source: m.source, date: date,
                            parent: after.derivedFrom.flatMap(ObjectID.init(hex:)), order: line)
            } catch let error as StemmaError {
                failures.append(error.description)
                plan.failed.insert(line)
            }
        }
        return plan
    }

    private func write(_ sources: [ImportSource], plan: Plan, index: CorpusIndex, failures: inout [String]) throws {
        let repository = try gitCall { try Repository.openForBulkWrite(at: corpus.path) }
        let signature = repository.defaultSignature(fallbackName: Corpus.fallbackName, fallbackEmail: Corpus.fallbackEmail)
        let commits = try gitCall { try CheckpointCommits(repository: repository, base: try repository.referenceTarget(Corpus.mainRef), signature: signature) }
        let (maxBytes, fixedPlan, folding) = (options.maxBytes, plan, Folding())
        let stage = try MatchingStage(corpus: corpus, stream: PreparedStream(sources: sources, maxBytes: maxBytes, matching: true)) {
            try Self.step($0, $1, plan: fixedPlan, maxBytes: maxBytes, folding: folding, matcher: $2, index: $3)
        }
        defer { stage.cancel() }
        /// The lines written as new records since the last checkpoint, for the matcher (`WrittenCheckpoint`).
        var created = Set<Int>()
        var line = 0

        /// Finishes the pack and moves main to the import's tip. When another writer moved main
        /// since the last checkpoint, the import takes main's lock, re-applies its commits since
        /// then on top of the other writer's (`CheckpointCommits.rebase`) and moves main before
        /// letting go: one rebase, whose pack main then reaches, however fast others commit.
        func checkpoint() throws {
            guard commits.hasCommits, let tip = commits.tip else { return }
            let started = Date()
            progress.packBytes += try gitCall { try commits.finishPack() }
            do {
                // Waits out a writer holding main's lock.
                try Corpus.moveMain(repository, to: tip, expecting: commits.base, message: "stemma import")
            } catch let error as GitError where error.isModified || error.isExists {
                // Rebasing without the lock could lose the race again, and each lost try would
                // leave a pack nothing refers to. Held until moved, and let go before the index work.
                let lock = try gitCall { try Corpus.lockMain(repository) }
                let locked = Date()
                defer { progress.rebaseSeconds += Date().timeIntervalSince(locked) }
                try withExtendedLifetime(lock) {
                    let moved = try gitCall { try repository.referenceTarget(Corpus.mainRef) }
                    for change in try gitCall({ try commits.rebase(onto: moved) }) {
                        progress.count(change.was, by: -1)
                        if let now = change.now { progress.count(now, by: 1) } else { progress.skipped += 1 }
                    }
                    progress.packBytes += try gitCall { try commits.finishPack() }
                    if commits.hasCommits, let rebasedTip = commits.tip {
                        try gitCall { try lock.move(to: rebasedTip, message: "stemma import") }
                    }
                }
                progress.rebases += 1
            } catch let error as GitError {
                throw StemmaError.corpus("git: \(error.message)")
            }
            progress.packSeconds += Date().timeIntervalSince(started)
            if let newTip = commits.tip {
                if try !index.record(commits.rows, movingFrom: commits.base?.hex, to: newTip.hex) {
                    // Another process moved the index meanwhile (it indexed another writer's
                    // commits, or ours): it catches up from git, other writers' commits included.
                    try index.catchUp()
                }
                // From the commit the rows now sit on: after a rebase, the other writer's tip, so
                // a matching index still behind it catches up over that writer's commits too.
                stage.checkpointed(WrittenCheckpoint(throughLine: line, created: created, rows: commits.rows,
                                                     from: commits.base?.hex, to: newTip.hex))
                created.removeAll(keepingCapacity: true)
            }
            commits.checkpointed()
            progress.checkpoints += 1
        }

        while let (next, step) = try stage.next() {
            line = next
            countRead()
            let (write, text): (CheckpointCommits.Step, [UInt8])
            switch step {
            case .skipped: continue
            case .failed(let reason): failures.append(reason); continue
            case .merged: progress.merged += 1; continue
            case .ready(let w, let t): (write, text) = (w, t)
            }
            guard let written = try gitCall({ try commits.write(write, text: text) }) else { progress.skipped += 1; continue }
            progress.count(written, by: 1)
            if written == .created { created.insert(line) }
            if let stop = options.interruptAfter, progress.created + progress.updated >= stop { throw ImportInterrupted() }
            if commits.rows.count >= options.checkpointEvery { try checkpoint() }
        }
        try checkpoint()
        try stage.finish()
        if let summary = stage.summary { corpus.warn(summary) }
    }
}
