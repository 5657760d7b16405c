import ArgumentParser
import Stemma

struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove an edition's record from the corpus.",
        discussion: """
        The record (its text and metadata) is removed in a commit of its own, 'Remove …' with the \
        same trailers as the commit that added it; history keeps it, and the index follows. An \
        edition that another record derives from is kept unless --force.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The edition: an id (7+ hex digits) or STORY:SOURCE[~N].")
    var edition: String

    @Option(help: "The story of the record to remove, when the same bytes are recorded in several.")
    var story: String?

    @Option(help: "The source of the record to remove, when the same bytes are recorded from several.")
    var source: String?

    @Flag(help: "Remove it even if other records derive from it (they keep naming it).")
    var force = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        let outcome = try corpus.remove(edition, story: story, source: source, force: force)
        let m = outcome.record.metadata
        if json {
            Output.json(.object([
                ("edition", .string(outcome.record.edition)), ("commit", .string(outcome.commit)),
                ("story", .string(m.story)), ("source", .string(m.source)), ("date", .string(m.date)),
            ]))
            return
        }
        Output.line("removed \(m.story):\(m.source) edition \(outcome.record.edition) (\(m.date))\ncommit  \(outcome.commit)")
    }
}
