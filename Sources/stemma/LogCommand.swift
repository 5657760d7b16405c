import ArgumentParser
import JSON
import Stemma

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show provenance: every edition of a story (or of the corpus), its parent and what it changed.",
        discussion: """
        Newest first (by publication date, then by commit order). Each edition shows its change \
        summary against the edition it derives from, for example:

          vs VNA 2021-04-27: +4 sentences −1, 5 reworded, 23 accidentals (diacritics 14, …)

        Summaries are computed once and cached beside the corpus (stemma-summaries.sqlite). \
        --graph draws the story's derivation tree like 'git log --graph'. Output longer than the \
        terminal goes through $PAGER (default 'less -FRX'); never when piped.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The story id (default: every edition of the corpus).")
    var story: String?

    @Option(name: [.customShort("n"), .customLong("max-count")],
            help: ArgumentHelp("Show at most N editions (-N is short for -n N; a negative N shows all, as in git).", valueName: "N"))
    var maxCount: Int?

    @Flag(help: "One line per edition: short id, source, date, title, summary.")
    var oneline = false

    @Flag(help: "Draw the story's derivation graph (needs STORY); with --json, print {nodes, edges}.")
    var graph = false

    @Flag(help: "Print JSON: an array of edition objects, each with its summary.")
    var json = false

    @Flag(help: "Oldest first.")
    var reverse = false

    func validate() throws {
        if graph && story == nil { throw ValidationError("--graph draws one story: name it, as in 'stemma log STORY --graph'") }
        if graph && reverse { throw ValidationError("--graph is drawn newest first; it cannot be combined with --reverse") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        var editions: [LoggedEdition]
        if let story {
            editions = try corpus.log(story: story)
            if editions.isEmpty { throw StemmaError.user("no story '\(story)' in this corpus") }
        } else {
            editions = try corpus.find(EditionQuery(), limit: Int(Int64.max))
        }
        if let maxCount, maxCount >= 0 { editions = Array(editions.prefix(maxCount)) }
        // With -n, the graph of the N newest editions: a parent left out makes its child a root.
        if graph { try printGraph(DerivationGraph(editions), corpus: corpus); return }
        if reverse { editions.reverse() }
        let cache = try corpus.summaryCache()
        let idLength = ShortIDs.length(editions.map(\.edition))
        let out = Pager()
        defer { out.finish() }
        if json { out.line("[") }
        // In batches, so a long listing starts at once and computes what is missing as it goes.
        for start in stride(from: 0, to: editions.count, by: 500) where !out.closed {
            let batch = Array(editions[start..<min(start + 500, editions.count)])
            let changes = try corpus.changes(of: batch, cache: cache)
            for (k, (e, change)) in zip(batch, changes).enumerated() {
                let i = start + k
                if json {
                    let object = Self.withSummary(e.json, change)
                    let text = object.rendered(pretty: true).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
                    out.line(text + (i + 1 < editions.count ? "," : ""))
                } else if oneline {
                    out.line(Self.oneLine(e, change, idLength: idLength))
                } else {
                    if i > 0 { out.line() }
                    out.line(EditionDescription.text(e, parent: change.parent, change: change))
                }
            }
        }
        if json { out.line("]") }
    }

    func printGraph(_ graph: DerivationGraph, corpus: Corpus) throws {
        let changes = try corpus.changes(of: graph.nodes)
        if json { Output.json(Self.graphJSON(graph, changes)); return }
        let out = Pager()
        defer { out.finish() }
        for line in Self.graphLines(graph, changes) { out.line(line) }
    }

    /// `{"nodes": [...], "edges": [...]}` (also in `story --json`).
    static func graphJSON(_ graph: DerivationGraph, _ changes: [EditionChange]) -> JSONValue {
        let nodes: [JSONValue] = zip(graph.nodes, changes).map { e, change in
            .object([("edition", .string(e.edition)), ("source", .string(e.metadata.source)), ("date", .string(e.metadata.date)),
                     ("title", .optional(e.metadata.title)), ("derived_from", .optional(e.metadata.derivedFrom)),
                     ("summary", .string(change.text))])
        }
        let edges: [JSONValue] = graph.edges.map {
            .object([("parent", .string(graph.nodes[$0.parent].edition)), ("child", .string(graph.nodes[$0.child].edition))])
        }
        return .object([("nodes", .array(nodes)), ("edges", .array(edges))])
    }

    /// The drawing, a line per row: graph, then the edition's one-line description.
    static func graphLines(_ graph: DerivationGraph, _ changes: [EditionChange]) -> [String] {
        let idLength = ShortIDs.length(graph.nodes.map(\.edition))
        return graph.rows.map { row in row.node.map { row.graph + " " + oneLine(graph.nodes[$0], changes[$0], idLength: idLength) } ?? row.graph }
    }

    /// `b08dbce VNA 2021-04-27 Title — summary`.
    static func oneLine(_ e: LoggedEdition, _ change: EditionChange, idLength: Int = 7) -> String {
        let m = e.metadata
        return "\(e.edition.prefix(idLength)) \(m.source) \(m.date)" + (m.title.map { " \($0)" } ?? "") + " — " + change.text
    }

    /// A record's JSON with its change summary appended.
    static func withSummary(_ object: JSONValue, _ change: EditionChange) -> JSONValue {
        guard case .object(var fields) = object else { return object }
        fields.append(("summary", .string(change.text)))
        return .object(fields)
    }

    /// A story's editions as blocks separated by blank lines, with their change summaries, as
    /// `stemma log STORY` prints them (used by `demo`, whose printed command must paste back).
    static func print(_ editions: [LoggedEdition], corpus: Corpus) throws {
        let changes = try corpus.changes(of: editions, cache: corpus.summaryCache())
        for (i, (e, change)) in zip(editions, changes).enumerated() {
            if i > 0 { Output.line() }
            Output.line(EditionDescription.text(e, parent: change.parent, change: change))
        }
    }
}

extension EditionChange {
    var parent: LoggedEdition? { if case .changed(let p, _) = self { return p }; return nil }
}

/// The human-readable block `log`, `show --meta` and `demo` print for one edition.
enum EditionDescription {
    static func text(_ e: LoggedEdition, parent: LoggedEdition?, change: EditionChange? = nil) -> String {
        let m = e.metadata
        var lines = ["edition \(e.edition)  \(m.source)  \(m.date)"]
        if let t = m.title { lines.append("Title:        \(t)") }
        lines.append("Story:        \(m.story)")
        if let d = m.derivedFrom {
            lines.append("Derived-from: \(d)" + (parent.map { " (\($0.metadata.source) \($0.metadata.date))" } ?? ""))
        }
        if let change { lines.append("Changes:      \(change.text)") }
        if let u = m.url { lines.append("URL:          \(u)") }
        if let l = m.language { lines.append("Language:     \(l)") }
        lines.append("Bytes:        \(e.record.bytes)")
        lines.append("Commit:       \(e.commit)  \(e.committedAtISO8601)")
        return lines.joined(separator: "\n")
    }
}
