import Foundation

/// The write pass's first step for each item — its preparation against the corpus, folding the
/// lines about one record and, for an item given without a story, matching (`ImportMatcher`) —
/// on a thread of its own, ahead of the writer: matching an item and writing the one before it
/// then use two cores. (On the writer's thread, matching was two fifths of it, and it was the
/// import's critical path.)
///
/// The stage works on the corpus through a `Corpus` of its own (one thread each); the writer tells
/// it about each checkpoint (`checkpointed`), which it takes in before its next item. Steps are
/// handed over in order through a bounded buffer.
final class MatchingStage: @unchecked Sendable {
    /// One line of the write pass, as the writer is to take it.
    enum Step: Sendable {
        /// Refused by the check pass, which reported it.
        case skipped
        /// Bad now (it changed since the check pass): the reason, for the import's failures.
        case failed(String)
        /// Folded into a later line about the same record (`Importer.Folding`).
        case merged
        /// To write: the record, folded with the lines before it about it, and the text.
        case ready(CheckpointCommits.Step, text: [UInt8])
    }

    /// Room to go on while the writer finishes a checkpoint (0.35–0.8 s at 10^5 records): about
    /// half a second of matching there; with 256 steps the stage soon waited, a core idle (see
    /// DESIGN, "Import in bulk").
    private let steps = BoundedHandoff<(line: Int, step: Step)>(capacity: 4096)
    private let stream: PreparedStream
    // Between the writer and the stage's thread, under `condition`.
    private let condition = NSCondition()
    private var checkpoints: [WrittenCheckpoint] = []
    private var writerDone = false
    private var cancelled = false
    private var stopped = false // the thread has returned
    private var failure: Error?
    private var matcherSummary: String?

    /// `step`: an item's step, run on the stage's thread with its matcher and its corpus index.
    init(corpus: Corpus, stream: PreparedStream,
         step: @escaping @Sendable (Int, PreparedItem, ImportMatcher, CorpusIndex) throws -> Step) throws {
        self.stream = stream
        let own: Corpus
        do { own = try corpus.sibling() } catch { stream.cancel(); throw error }
        nonisolated(unsafe) let reader = own // used on the stage's thread alone from here on
        let thread = Thread { [self] in
            let matcher = ImportMatcher(corpus: reader)
            do {
                let index = try reader.index()
                var line = 0
                while let item = try stream.next() {
                    line += 1
                    for c in try takeCheckpoints(waitingForWriter: false) { try matcher.checkpointed(c) }
                    try matcher.takeStoredCheckpoint()
                    try steps.put((line, try step(line, item, matcher, index)))
                }
                steps.finish(nil)
                // The writer's last checkpoints, up to the end of the import.
                while true {
                    let taken = try takeCheckpoints(waitingForWriter: true)
                    if taken.isEmpty { break }
                    for c in taken { try matcher.checkpointed(c) }
                }
                try matcher.finish()
                stop(nil, summary: matcher.summary)
            } catch {
                stream.cancel()
                steps.finish(error)
                try? matcher.finish() // a checkpoint's write still going on its thread
                stop(error, summary: nil)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next line and its step, nil at the end; rethrows what stopped the stage.
    func next() throws -> (line: Int, step: Step)? { try steps.next() }

    /// Tells the stage what a checkpoint wrote; it takes it in before its next item.
    func checkpointed(_ c: WrittenCheckpoint) {
        condition.lock()
        checkpoints.append(c)
        condition.broadcast()
        condition.unlock()
    }

    /// The writer is done: waits until the stage has taken in every checkpoint (the matching
    /// index holds them), and rethrows what stopped it.
    func finish() throws {
        condition.lock()
        defer { condition.unlock() }
        writerDone = true
        condition.broadcast()
        while !stopped { condition.wait() }
        if let failure, !(failure is HandoffCancelled) { throw failure }
    }

    /// What matching did, for the user (`ImportMatcher.summary`), once finished.
    var summary: String? {
        condition.lock()
        defer { condition.unlock() }
        return matcherSummary
    }

    /// Stops the stage (the writer gave up) and waits for its thread to return, so nothing of
    /// the import writes once the import has returned (the reader thread, which only reads the
    /// sources, stops at its next item).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        steps.cancel()
        stream.cancel() // the stage may be waiting for an item
        condition.lock()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    /// The checkpoints told since the last call; `waitingForWriter`: waits for one, or for the
    /// writer to be done (then none).
    private func takeCheckpoints(waitingForWriter: Bool) throws -> [WrittenCheckpoint] {
        condition.lock()
        defer { condition.unlock() }
        while waitingForWriter && checkpoints.isEmpty && !writerDone && !cancelled { condition.wait() }
        if cancelled { throw HandoffCancelled() }
        let taken = checkpoints
        checkpoints.removeAll()
        return taken
    }

    private func stop(_ error: Error?, summary: String?) {
        condition.lock()
        failure = error
        matcherSummary = summary
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
