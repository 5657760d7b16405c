/// Uninitialised storage that a hot loop fills element by element (the tokenizer's tokens, the
/// normaliser's words), written through one small type whose invariant — every write lands
/// inside the storage — is checked in debug and test builds (`assert`), and costs nothing in
/// release builds, where the loops' own arithmetic guarantees it.
struct CheckedOutput<Element> {
    let base: UnsafeMutablePointer<Element>
    let capacity: Int

    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    init(_ base: UnsafeMutablePointer<Element>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Initialises element `n` (which must not have been written yet).
    @inline(__always) func put(_ element: Element, at n: Int) {
        assert(n >= 0 && n < capacity, "write at \(n) outside storage of \(capacity)")
        (base + n).initialize(to: element)
    }
}
