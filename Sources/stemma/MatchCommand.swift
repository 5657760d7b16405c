import ArgumentParser
import Foundation
import JSON
import Stemma

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "List the corpus editions most like a text, best first.",
        discussion: """
        Candidates share shingles (runs of words folded as the diff engine folds them: case, \
        diacritics, spelling, joiners), estimated by MinHash; each is then aligned with the text \
        sentence by sentence. 'aligned' is the share of the text's sentences that align to the \
        edition, 'contained' the share of its shingles the edition has, 'score' the shingle estimate. \
        A text joins an edition's story (commit or import without --story) when aligned is at least \
        50% and contained at least 35%; those editions are listed first. An edition argument is left \
        out of its own list. Nothing is written to the corpus.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "A text file ('-' for standard input) or an edition reference (id, abbreviation, STORY:SOURCE[~N]).")
    var query: String

    @Option(name: .short, help: "How many editions to list.")
    var n = 10

    @Flag(help: "Print the matches as a JSON array.")
    var json = false

    func validate() throws {
        if n < 1 { throw ValidationError("-n must be at least 1") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        let (text, itself) = try Self.read(query, in: corpus)
        let found = try corpus.match(text, limit: n, excluding: itself)
        if json {
            Output.json(.array(found.map(MatchOutput.json)))
            return
        }
        if found.isEmpty { Output.note("no edition in the corpus shares text with \(query)"); return }
        for m in found {
            Output.line("\(m.edition.prefix(12))  \(m.story)  \(m.source)  \(m.date)  aligned \(MatchOutput.percent(m.aligned))  contained \(MatchOutput.percent(m.contained))  score \(String(format: "%.2f", m.score))\(m.confirmed ? "" : "  (not enough to join its story)")")
        }
    }

    /// A file's bytes, or else an edition's bytes and id: a path that exists is a file, as `diff` reads its arguments.
    static func read(_ argument: String, in corpus: Corpus) throws -> (text: [UInt8], edition: String?) {
        if argument == "-" || FileManager.default.fileExists(atPath: argument) {
            let text = try Output.readInput(argument)
            try EditionText.validate(text, name: argument, maxBytes: .max) // as commit checks its text
            return (text, nil)
        }
        do {
            let edition = try corpus.resolve(argument)
            return (try corpus.text(of: edition.edition), edition.edition)
        } catch StemmaError.user {
            throw StemmaError.user("\(argument): no such file or edition")
        }
    }
}
