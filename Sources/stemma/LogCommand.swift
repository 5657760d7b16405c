import ArgumentParser
import Stemma

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show a story's provenance: every edition, its source, date and parent.",
        discussion: "Newest first (by publication date, then by commit order).")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The story id.")
    var story: String

    @Flag(help: "Print a JSON array of edition objects.")
    var json = false

    @Flag(help: "Oldest first.")
    var reverse = false

    func run() throws {
        let corpus = try corpusOptions.open()
        var editions = try corpus.log(story: story)
        if editions.isEmpty { throw StemmaError.user("no story '\(story)' in this corpus") }
        if reverse { editions.reverse() }
        if json { Output.json(.array(editions.map(\.json))); return }
        Self.print(editions)
    }

    /// A story's editions as blocks separated by blank lines (also used by `demo`).
    static func print(_ editions: [LoggedEdition]) {
        let byID = Dictionary(editions.map { ($0.edition, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, e) in editions.enumerated() {
            if i > 0 { Output.line() }
            Output.line(EditionDescription.text(e, parent: e.metadata.derivedFrom.flatMap { byID[$0] }))
        }
    }
}

/// The human-readable block `log`, `show --meta` and `demo` print for one edition.
enum EditionDescription {
    static func text(_ e: LoggedEdition, parent: LoggedEdition?) -> String {
        let m = e.metadata
        var lines = ["edition \(e.edition)  \(m.source)  \(m.date)"]
        if let t = m.title { lines.append("Title:        \(t)") }
        lines.append("Story:        \(m.story)")
        if let d = m.derivedFrom {
            lines.append("Derived-from: \(d)" + (parent.map { " (\($0.metadata.source) \($0.metadata.date))" } ?? ""))
        }
        if let u = m.url { lines.append("URL:          \(u)") }
        if let l = m.language { lines.append("Language:     \(l)") }
        lines.append("Bytes:        \(e.record.bytes)")
        lines.append("Commit:       \(e.commit)  \(e.committedAtISO8601)")
        return lines.joined(separator: "\n")
    }
}
