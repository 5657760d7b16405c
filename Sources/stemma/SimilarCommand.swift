import ArgumentParser
import Foundation
import JSON
import Stemma

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List pairs of editions in different stories that share text.",
        discussion: """
        A corpus-wide text-reuse report: wire copy re-used across stories, or one story filed twice \
        under two ids. 'score' is the shingle estimate of the text the two share (0 to 1), \
        'aligned' the share of the later edition's sentences that align to the earlier one. Pairs \
        are listed best first.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Option(help: "Only pairs whose shingle score is at least this (0 to 1).")
    var min = 0.5

    @Flag(help: "Print the pairs as a JSON array.")
    var json = false

    func validate() throws {
        if !(min > 0 && min <= 1) { throw ValidationError("--min must be above 0 and at most 1") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        let pairs = try corpus.similar(minimum: min)
        if json {
            func side(_ s: SimilarPair.Side) -> JSONValue {
                .object([("edition", .string(s.edition)), ("story", .string(s.story)), ("source", .string(s.source)), ("date", .string(s.date))])
            }
            Output.json(.array(pairs.map { .object([("a", side($0.a)), ("b", side($0.b)), ("score", MatchOutput.rounded($0.score)),
                                                    ("aligned", MatchOutput.rounded($0.aligned))]) }))
            return
        }
        if pairs.isEmpty { Output.note("no two editions in different stories share a score of \(min) or more") }
        for p in pairs {
            Output.line("\(String(format: "%.2f", p.score))  aligned \(MatchOutput.percent(p.aligned))  \(p.a.edition.prefix(12)) \(p.a.story) \(p.a.source) \(p.a.date)  ~  \(p.b.edition.prefix(12)) \(p.b.story) \(p.b.source) \(p.b.date)")
        }
    }
}
