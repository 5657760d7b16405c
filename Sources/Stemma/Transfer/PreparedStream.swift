import Foundation

/// An import item after the corpus-free part of its preparation (reading, validation,
/// inference, hashing), in manifest order.
struct PreparedItem: Sendable {
    let location: String
    let result: Result<(pending: PendingEdition, parent: String?), StemmaError>
}

/// Runs `ImportSource`s and the corpus-free preparation of each item on a producer thread,
/// handing items over in order through a bounded buffer, so that a bulk import uses a second
/// core for reading and checking while the first writes git objects.
final class PreparedStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [PreparedItem] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private var failure: Error?
    private let capacity = 512

    init(sources: [ImportSource], maxBytes: Int) {
        let thread = Thread { [self] in
            do {
                for source in sources {
                    try source.forEach { result in
                        let item: PreparedItem
                        switch result {
                        case .failure(let error): item = PreparedItem(location: "", result: .failure(error))
                        case .success(let value):
                            do {
                                let (pending, parent, _) = try value.draft.preparedDeferringParent(maxBytes: maxBytes)
                                item = PreparedItem(location: value.location, result: .success((pending, parent)))
                            } catch let error as StemmaError {
                                item = PreparedItem(location: value.location, result: .failure(error))
                            }
                        }
                        try self.put(item)
                    }
                }
                self.finish(nil)
            } catch {
                self.finish(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private struct Cancelled: Error {}

    private func put(_ item: PreparedItem) throws {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        buffer.append(item)
        condition.broadcast()
    }

    private func finish(_ error: Error?) {
        condition.lock()
        finished = true
        if !(error is Cancelled) { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, nil at the end; rethrows what stopped a source (an unreadable manifest).
    func next() throws -> PreparedItem? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && !finished { condition.wait() }
        if head < buffer.count {
            let item = buffer[head]
            head += 1
            if head > 4_096 { buffer.removeFirst(head); head = 0 }
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the producer (the consumer gave up early).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    deinit { cancel() }
}
