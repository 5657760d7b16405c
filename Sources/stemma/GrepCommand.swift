import ArgumentParser
import Foundation
import JSON
import Stemma

struct GrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Find the editions and sentences that contain a phrase.",
        discussion: """
        The phrase is matched word by word, ignoring case, diacritics, typography, British and \
        American spelling and how compounds are written: 'viet nam' and 'vietnam' find 'Việt Nam', \
        'ha noi' finds 'Hà Nội', 'cooperation' finds 'co-operation', 'organization' finds \
        'organisation'. Whole words only ('nam' does not find 'Vietnamese'), and numbers are not \
        joined ('35' does not find '3.5'). Punctuation in the phrase is ignored. Editions \
        are listed newest first, each with the sentences that contain the phrase. Exit status 1 \
        when nothing is found, as grep does.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The phrase to look for.")
    var pattern: String

    @Option(help: "Only editions of this story.")
    var story: String?

    @Option(help: "Only editions from this source, such as VNA.")
    var source: String?

    @Option(help: "At most this many editions (0: all).")
    var limit = 100

    @Flag(help: "Print the hits as a JSON array.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 (all) or more") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        // One more than the limit says whether the limit cut the list.
        let hits = try corpus.grep(pattern, story: story, source: source, limit: limit == 0 ? 0 : limit + 1)
        let shown = limit == 0 ? hits : Array(hits.prefix(limit))
        if json {
            Output.json(.array(shown.map { hit in
                .object([("edition", .string(hit.edition)), ("story", .string(hit.story)), ("source", .string(hit.source)),
                         ("date", .string(hit.date)), ("sentences", .array(hit.sentences.map { .string($0) }))])
            }))
        } else {
            for hit in shown {
                Output.line("\(hit.edition.prefix(12))  \(hit.story)  \(hit.source)  \(hit.date)")
                for sentence in hit.sentences { Output.line("    " + sentence.replacingOccurrences(of: "\n", with: " ")) }
            }
        }
        if hits.count > shown.count { Output.note("stopped at --limit \(limit); --limit 0 lists all") }
        if hits.isEmpty {
            Output.note("no edition contains '\(pattern)'")
            throw ExitCode(1)
        }
    }
}
