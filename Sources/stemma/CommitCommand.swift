import ArgumentParser
import JSON
import Stemma

struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Record one edition of a story.",
        discussion: """
        The file's bytes are stored exactly. Without --date, the date comes from a leading \
        'date YYYY-MM-DD' header; without --source, from the text's conventions (a closing \
        '— VNS' byline, a '(VNA) –' dateline, VNA's 'date' header). What was inferred is said on stderr. \
        Committing the same bytes with the same metadata again changes nothing. Committing the same \
        bytes, story and source with other flags updates the record: the fields given replace the \
        recorded ones, the others keep their values, and --unset FIELD removes one; stderr says \
        what changed. The commit printed is the one that wrote the record as it now is.

        Without --story the edition joins the story of the corpus edition it matches (most of its \
        sentences align to it), derived from that story's most similar earlier edition from another \
        source; if nothing matches it starts a new story named from its date and title or first \
        words. What was chosen is said on stderr. --no-match always starts a new story.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @OptionGroup var hookOptions: HookOptions

    @Argument(help: "The edition's text file ('-' for standard input).")
    var file: String

    @Option(help: "Story id: a slug of a-z, 0-9 and '-' (default: the story the text matches, else a new one).")
    var story: String?

    @Flag(name: .customLong("no-match"), help: "Without --story, start a new story instead of matching the corpus.")
    var noMatch = false

    @Option(help: "Source code such as VNA or VNS (default: inferred from the text).")
    var source: String?

    @Option(help: "Publication date, YYYY-MM-DD (default: the text's 'date' header).")
    var date: String?

    @Option(help: "Headline or title.")
    var title: String?

    @Option(help: "Where the edition was published.")
    var url: String?

    @Option(name: .customLong("derived-from"), help: ArgumentHelp("The edition this one was edited from: an id, or STORY:SOURCE[~N].", valueName: "edition"))
    var derivedFrom: String?

    @Option(help: "Language tag such as en or vi.")
    var language: String?

    @Option(name: .customLong("unset"), help: ArgumentHelp("Remove this field from the record (title, url, derived-from, language); repeatable.", valueName: "field"))
    var unset: [String] = []

    @Option(name: .customLong("max-bytes"), help: "Refuse texts larger than this many bytes.")
    var maxBytes: Int = EditionText.defaultMaxBytes

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if noMatch && story != nil { throw ValidationError("--no-match only applies without --story") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        hookOptions.apply(to: corpus)
        let draft = EditionDraft(bytes: try Output.readInput(file), name: file, story: story ?? StoryProposal.placeholder, source: source,
                                 date: date, title: title, url: url, derivedFrom: derivedFrom, language: language,
                                 unset: Set(try unset.map(MetadataField.init(name:))))
        var (pending, inferred) = try corpus.prepare(draft, maxBytes: maxBytes)
        var proposal: StoryProposal? = nil
        if story == nil {
            let proposed = try corpus.proposeStory(for: pending, matching: !noMatch)
            pending = try proposed.applied(to: pending)
            proposal = proposed
        }
        let outcome = try corpus.commit(pending)
        corpus.noteCommitted(outcome, text: pending.bytes)
        // Said once the edition is in, so that a refusal stays one line.
        for field in inferred { Output.note("inferred \(field.field) \(field.value) from \(field.reason)") }
        if let proposal {
            Output.note(MatchOutput.describe(proposal, matching: !noMatch))
            for note in MatchOutput.passedOver(proposal, source: outcome.metadata.source) { Output.note(note) }
        }
        if outcome.action == .updated { Output.note("updated: " + outcome.changes.joined(separator: "; ")) }
        if json {
            var fields: [(String, JSONValue)] = [
                ("edition", .string(outcome.edition)), ("commit", .string(outcome.commit)),
                ("story", .string(outcome.metadata.story)), ("source", .string(outcome.metadata.source)),
                ("date", .string(outcome.metadata.date)), ("created", .bool(outcome.created)),
                ("updated", .bool(outcome.action == .updated)), ("changes", .array(outcome.changes.map { .string($0) })),
                ("derived_from", outcome.metadata.derivedFrom.map { .string($0) } ?? .null),
            ]
            if let proposal { fields.append(("matched", MatchOutput.matched(proposal))) }
            Output.json(.object(fields))
            return
        }
        switch outcome.action {
        case .created: Output.line("edition \(outcome.edition)\ncommit  \(outcome.commit)")
        case .updated: Output.line("edition \(outcome.edition) (metadata updated)\ncommit  \(outcome.commit)")
        case .unchanged: Output.line("edition \(outcome.edition) (already recorded, nothing to do)\ncommit  \(outcome.commit)")
        }
    }
}
