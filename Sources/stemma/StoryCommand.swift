import ArgumentParser
import JSON
import Stemma

struct StoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "story",
        abstract: "Show a whole story: editions per source, the derivation graph, and whose text each source carries.",
        discussion: """
        For each source, its story sentences (boilerplate left out) over all its editions are \
        counted by the source of their origin, as 'stemma blame' finds it: how much of VNS's text \
        is VNA's. Costs one collation per derivation link.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The story id.")
    var story: String

    @Flag(help: "Print {story, sources: [{source, editions, sentences, origins}], graph: {nodes, edges}}.")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        try EditionMetadata.validateStory(story)
        let view = try corpus.storyView(story)
        if json { Output.json(Self.json(view)); return }
        let editions = view.graph.nodes
        let dates = editions.map(\.metadata.date).sorted()
        let out = Pager()
        defer { out.finish() }
        out.line("story \(view.story): \(plural(editions.count, "edition")) from \(plural(view.sources.count, "source")), "
                 + (dates.first == dates.last ? dates[0] : "\(dates[0]) to \(dates[dates.count - 1])"))
        out.line()
        out.line("Editions per source")
        let width = view.sources.map(\.source.count).max() ?? 0
        let idLength = ShortIDs.length(view.sources.flatMap { $0.editions.map(\.edition) })
        func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        for s in view.sources {
            out.line("  \(pad(s.source))  \(plural(s.editions.count, "edition")): " + s.editions.map { "\($0.edition.prefix(idLength)) \($0.metadata.date)" }.joined(separator: ", "))
        }
        out.line()
        out.line("Derivation")
        for line in LogCommand.graphLines(view.graph, view.changes) { out.line("  " + line) }
        out.line()
        out.line("Where each source's sentences come from")
        for s in view.sources {
            let shares = s.origins.map { "\(percent($0.sentences, s.sentences)) \($0.source)" }.joined(separator: ", ")
            out.line("  \(pad(s.source))  \(shares.isEmpty ? "no sentences" : shares) (\(plural(s.sentences, "sentence")))")
        }
    }

    static func json(_ view: StoryView) -> JSONValue {
        .object([
            ("story", .string(view.story)),
            ("sources", .array(view.sources.map { s in
                .object([("source", .string(s.source)), ("editions", .array(s.editions.map { .string($0.edition) })),
                         ("sentences", .int(s.sentences)),
                         ("origins", .array(s.origins.map { o in
                             .object([("source", .string(o.source)), ("sentences", .int(o.sentences)),
                                      ("share", .double(s.sentences == 0 ? 0 : (Double(o.sentences) / Double(s.sentences) * 1000).rounded() / 1000))])
                         }))])
            })),
            ("graph", LogCommand.graphJSON(view.graph, view.changes)),
        ])
    }
}

private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
private func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "0%" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%" }
