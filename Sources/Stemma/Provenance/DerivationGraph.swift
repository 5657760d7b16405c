/// A story's editions linked by `derived_from`, drawn like `git log --graph`.
///
/// Each edition has at most one parent, so the graph is a forest: several wire editions are
/// several roots, a paper's edition and a second paper's edition of one wire are two children of
/// it. Two parents (a true diamond) cannot be expressed by one `derived_from`; what comes
/// nearest, several children of one edition, is drawn as branches that join at that edition.
public struct DerivationGraph: Sendable {
    /// The editions in drawing order: every edition above the one it derives from, newest first
    /// otherwise, each subtree kept together so no two branches cross.
    public let nodes: [LoggedEdition]
    /// Per node, the index of its parent in `nodes`, or nil when it has none in the story.
    public let parentOf: [Int?]

    /// One line of the drawing: the graph characters, and the node the line is for (nil for a
    /// line that only joins branches).
    public struct Row: Sendable, Equatable {
        public var graph: String
        public var node: Int?
    }

    /// `editions`: a story's editions, newest first (as `Corpus.log(story:)` gives them).
    public init(_ editions: [LoggedEdition]) {
        // An edition id may be recorded twice in a story (two sources): the oldest record is the parent.
        var byID: [String: Int] = [:]
        for (k, e) in editions.enumerated() { byID[e.edition] = k }
        let parent: [Int?] = editions.enumerated().map { k, e in e.metadata.derivedFrom.flatMap { byID[$0] }.flatMap { $0 == k ? nil : $0 } }
        var children = [[Int]](repeating: [], count: editions.count)
        for (k, p) in parent.enumerated() { if let p { children[p].append(k) } }

        // Subtrees are ordered by their newest edition, so the newest line is on top.
        var newest = Array(editions.indices)
        var order: [Int] = []
        var visited = [Bool](repeating: false, count: editions.count)
        func settle(_ n: Int) -> Int {
            visited[n] = true
            for c in children[n] where !visited[c] { newest[n] = min(newest[n], settle(c)) }
            return newest[n]
        }
        var roots = editions.indices.filter { parent[$0] == nil }
        for r in roots { _ = settle(r) }
        // A cycle of `derived_from` (a corrupt corpus) has no root: break it at its newest edition.
        for k in editions.indices where !visited[k] { roots.append(k); _ = settle(k) }
        visited = [Bool](repeating: false, count: editions.count)
        func emit(_ n: Int) {
            visited[n] = true
            for c in children[n].sorted(by: { newest[$0] < newest[$1] }) where !visited[c] { emit(c) }
            order.append(n)
        }
        for r in roots.sorted(by: { newest[$0] < newest[$1] }) where !visited[r] { emit(r) }

        var position = [Int](repeating: 0, count: editions.count)
        for (p, n) in order.enumerated() { position[n] = p }
        nodes = order.map { editions[$0] }
        parentOf = order.map { n in parent[n].flatMap { p in roots.contains(n) ? nil : position[p] } }
    }

    /// Parent → child links, in drawing order of the child.
    public var edges: [(parent: Int, child: Int)] { parentOf.enumerated().compactMap { k, p in p.map { ($0, k) } } }

    /// The drawing, top to bottom: `*` marks a node, `|` a branch passing by, `/` a branch joining
    /// the one to its left. Because subtrees are kept together, the branches waiting for a node
    /// are always the rightmost ones when it is reached, so joins never cross.
    public var rows: [Row] {
        var rows: [Row] = []
        var columns: [Int] = [] // per column, the node its branch leads to
        for n in nodes.indices {
            var waiting = columns.indices.filter { columns[$0] == n }
            // Several children of n: their branches join, rightmost first.
            while waiting.count > 1 {
                let p = waiting.removeLast()
                rows.append(Row(graph: Array(repeating: "|", count: p).joined(separator: " ") + "/", node: nil))
                columns.remove(at: p)
            }
            let column: Int
            if let w = waiting.first { column = w } else { column = columns.count; columns.append(n) }
            rows.append(Row(graph: columns.indices.map { $0 == column ? "*" : "|" }.joined(separator: " "), node: n))
            if let p = parentOf[n] { columns[column] = p } else { columns.remove(at: column) }
        }
        return rows
    }
}
