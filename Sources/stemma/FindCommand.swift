import ArgumentParser
import Stemma

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find editions by metadata: story, source, dates, parent, title.",
        discussion: "Every condition given must hold. Newest first. One line per edition, or --json (the fields of log --json). At most --limit results (1,000 by default).")

    @OptionGroup var corpusOptions: CorpusOptions

    @Option(help: "Story id.") var story: String?
    @Option(help: "Source code, such as VNS.") var source: String?
    @Option(help: "Published on or after this date (YYYY-MM-DD).") var from: String?
    @Option(help: "Published on or before this date (YYYY-MM-DD).") var to: String?
    @Option(name: .customLong("derived-from"), help: ArgumentHelp("Editions derived from this edition.", valueName: "edition"))
    var derivedFrom: String?
    @Option(help: "Text the title contains, ignoring case, diacritics, spelling and how compounds are written ('vietnam' finds 'Việt Nam'); any part of a word counts.") var title: String?
    @Option(help: "At most this many results (0: no limit); stderr says when more were left out.") var limit = 1_000
    @Flag(help: "Print a JSON array.") var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 (no limit) or more") }
    }

    func run() throws {
        let query = EditionQuery(story: story, source: source, from: from, to: to, derivedFrom: derivedFrom, titleContains: title)
        let result = try corpusOptions.open().find(query, limit: limit == 0 ? nil : limit)
        let found = result.editions
        if json {
            Output.json(.array(found.map(\.json)))
        } else {
            for e in found {
                let m = e.metadata
                Output.line("\(e.edition)  \(m.date)  \(m.story):\(m.source)" + (m.title.map { "  \($0)" } ?? ""))
            }
        }
        if result.truncated { Output.note("stopped at --limit \(limit); more editions match (--limit 0 lists them all)") }
    }
}
