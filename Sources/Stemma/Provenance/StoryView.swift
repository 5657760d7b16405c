import Collation

/// A whole story at a glance (`stemma story`): its editions by source, its derivation graph,
/// each edition's change summary, and for each source how much of its text came from which
/// source before it (from sentence blame).
public struct StoryView: Sendable {
    public struct Source: Sendable {
        public var source: String
        /// The source's editions, newest first.
        public var editions: [LoggedEdition]
        /// Story sentences of all its editions, counted by the source of their origin (its own
        /// for new ones), most first.
        public var origins: [(source: String, sentences: Int)]
        public var sentences: Int { origins.reduce(0) { $0 + $1.sentences } }
    }

    public var story: String
    public var graph: DerivationGraph
    /// Per node of `graph`, its change against its parent.
    public var changes: [EditionChange]
    /// Sources in the order of their first edition (oldest first).
    public var sources: [Source]
}

extension Corpus {
    /// The story view of `story`: one blame per edition, each link of the graph collated once.
    public func storyView(_ story: String) throws -> StoryView {
        let editions = try log(story: story)
        if editions.isEmpty { throw StemmaError.user("no story '\(story)' in this corpus") }
        let graph = DerivationGraph(editions)
        var memo: [String: Collation] = [:]
        var counts: [String: [String: Int]] = [:]
        for e in editions {
            let blame = try self.blame(e, memo: &memo)
            for line in blame.lines where line.kind == .sentence {
                counts[e.metadata.source, default: [:]][blame.chain[line.origin].metadata.source, default: 0] += 1
            }
        }
        var order: [String] = []
        for e in editions.reversed() where !order.contains(e.metadata.source) { order.append(e.metadata.source) }
        let sources = order.map { source in
            StoryView.Source(source: source, editions: editions.filter { $0.metadata.source == source },
                             origins: (counts[source] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                 .map { ($0.key, $0.value) })
        }
        return StoryView(story: story, graph: graph, changes: try changes(of: graph.nodes), sources: sources)
    }
}
