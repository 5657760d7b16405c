extension Collation {
    /// Whether the texts differ in more than house style and boilerplate: a substantive change or a
    /// moved sentence (what `stemma diff --exit-code` reports with status 1).
    public var hasSubstantiveChanges: Bool {
        summary.sentencesMoved > 0 || changes.contains { $0.kind == .substantive || $0.move != nil }
    }
}
