import Foundation

/// An import item after the corpus-free part of its preparation (reading, validation,
/// inference, hashing), in manifest order.
struct PreparedItem: Sendable {
    let location: String
    let result: Result<(pending: PendingEdition, parent: String?), StemmaError>
    /// A draft without a source or date that could not be prepared: the record already in the
    /// corpus may supply them (the importer looks).
    var retry: EditionDraft? = nil
    /// What matching needs of an item given without a story, worked out here (`ImportMatcher.prepare`).
    var match: PreparedMatch? = nil
}

/// Runs `ImportSource`s and the corpus-free preparation of each item on a producer thread,
/// handing items over in order through a bounded buffer, so that a bulk import uses a second
/// core for reading and checking while the first writes git objects.
final class PreparedStream: @unchecked Sendable {
    /// Enough for the matching stage to draw on while it runs ahead of the writer
    /// (`MatchingStage`): it takes ~8,000 items a second, 512 of them in 60 ms.
    private let items = BoundedHandoff<PreparedItem>(capacity: 2048)

    /// `matching`: also prepare what story matching needs of items without a story.
    init(sources: [ImportSource], maxBytes: Int, matching: Bool = false) {
        let thread = Thread { [self] in
            // Items are read in order on this thread and prepared in batches on every core
            // (validation, inference and hashing are the costly part), then handed over in order.
            var batch: [Result<ImportItem, StemmaError>] = []
            func flush() throws {
                guard !batch.isEmpty else { return }
                let prepared = Self.prepare(batch, maxBytes: maxBytes, matching: matching)
                batch.removeAll(keepingCapacity: true)
                for item in prepared { try self.items.put(item) }
            }
            do {
                for source in sources {
                    try source.forEach(maxBytes: maxBytes) { result in
                        batch.append(result)
                        if batch.count == 64 { try flush() }
                    }
                }
                try flush()
                self.items.finish(nil)
            } catch {
                self.items.finish(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private static func prepare(_ batch: [Result<ImportItem, StemmaError>], maxBytes: Int, matching: Bool) -> [PreparedItem] {
        let slots = UnsafeMutableBufferPointer<PreparedItem?>.allocate(capacity: batch.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots // each worker writes only its own slots
        let workers = min(batch.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: batch.count, by: workers) {
                switch batch[i] {
                case .failure(let error): out[i] = PreparedItem(location: "", result: .failure(error))
                case .success(let value):
                    do {
                        let (pending, parent, _) = try value.draft.preparedDeferringParent(maxBytes: maxBytes)
                        out[i] = PreparedItem(location: value.location, result: .success((pending, parent)),
                                              match: matching ? ImportMatcher.prepare(pending) : nil)
                    } catch let error as StemmaError {
                        let draft = value.draft
                        out[i] = PreparedItem(location: value.location, result: .failure(error),
                                              retry: draft.source == nil || draft.date == nil ? draft : nil)
                    } catch {
                        out[i] = PreparedItem(location: value.location, result: .failure(.user("\(value.location): \(error)")))
                    }
                }
            }
        }
        return slots.map { $0! }
    }

    /// The next item, nil at the end; rethrows what stopped a source (an unreadable manifest).
    func next() throws -> PreparedItem? { try items.next() }

    /// Stops the producer (the consumer gave up early).
    func cancel() { items.cancel() }

    deinit { cancel() }
}
