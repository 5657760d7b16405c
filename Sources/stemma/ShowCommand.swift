import ArgumentParser
import Stemma

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an edition's exact bytes, or its metadata.",
        discussion: "Without flags the output is byte for byte the committed file: 'stemma show X | cmp - FILE' holds.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "An edition id (7+ hex digits) or STORY:SOURCE[~N].")
    var edition: String

    @Flag(help: "Print the metadata instead of the text.")
    var meta = false

    @Flag(help: "Print the metadata as JSON.")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        let resolved: LoggedEdition
        do {
            resolved = try corpus.resolve(edition)
        } catch let error as StemmaError {
            // A commit id is not an edition id, but users copy them from `log`: say which edition it recorded.
            guard let commit = try corpus.recordingCommit(edition) else { throw error }
            guard let recorded = commit.edition else {
                throw StemmaError.user("\(edition) is a commit, not an edition, and records no edition (\(commit.subject))")
            }
            let name = [commit.story, commit.source].compactMap { $0 }.joined(separator: ":")
            throw StemmaError.user("\(edition) is a commit, not an edition: it recorded edition \(recorded)\(name.isEmpty ? "" : " (\(name))"); show it with 'stemma show \(recorded.prefix(12))'")
        }
        if json { Output.json(resolved.json); return }
        if meta {
            let parent = try resolved.metadata.derivedFrom.map { try corpus.resolve($0) }
            Output.line(EditionDescription.text(resolved, parent: parent))
            return
        }
        Output.bytes(try corpus.text(of: resolved.edition))
    }
}
