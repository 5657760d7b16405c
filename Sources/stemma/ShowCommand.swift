import ArgumentParser
import Stemma

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an edition's exact bytes, or its metadata.",
        discussion: "Without flags the output is byte for byte the committed file: 'stemma show X | cmp - FILE' holds.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "An edition id (7+ hex digits), STORY:SOURCE[~N], or REF^ (the edition REF derives from).")
    var edition: String

    @Flag(help: "Print the metadata instead of the text.")
    var meta = false

    @Flag(help: "Print the metadata as JSON.")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        let resolved = try corpus.resolve(edition)
        if json { Output.json(resolved.json); return }
        if meta {
            let parent = try resolved.metadata.derivedFrom.map { try corpus.resolve($0) }
            Output.line(EditionDescription.text(resolved, parent: parent))
            return
        }
        Output.bytes(try corpus.text(of: resolved.edition))
    }
}
