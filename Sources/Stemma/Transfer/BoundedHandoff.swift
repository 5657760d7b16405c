import Foundation

/// Values handed from one thread to another in order through a bounded buffer: the producer
/// waits while it is full, the consumer while it is empty.
final class BoundedHandoff<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [Element] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    private var failure: Error?

    init(capacity: Int) { self.capacity = capacity }

    func put(_ element: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { throw HandoffCancelled() }
        buffer.append(element)
        condition.broadcast()
    }

    /// No more values; `error`: what stopped the producer, which `next` throws after the values
    /// put before it.
    func finish(_ error: Error?) {
        condition.lock()
        finished = true
        if !(error is HandoffCancelled) { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The next value, nil at the end; throws `HandoffCancelled` once cancelled (a consumer
    /// waiting on behalf of another that gave up).
    func next() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && !finished && !cancelled { condition.wait() }
        if cancelled { throw HandoffCancelled() }
        if head < buffer.count {
            let element = buffer[head]
            head += 1
            if head > 4_096 { buffer.removeFirst(head); head = 0 }
            condition.broadcast()
            return element
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer gives up: the producer's next `put` throws, and so does a `next` waiting.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// What a producer's `put` throws once its consumer has given up (`BoundedHandoff.cancel`).
struct HandoffCancelled: Error {}
