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
        let resolved: LoggedEdition
        do {
            resolved = try corpus.resolve(edition)
        } catch let error as StemmaError {
            throw try Self.commitGivenForEdition(edition, in: corpus) ?? error
        }
        if json { Output.json(resolved.json); return }
        if meta {
            let parent = try resolved.metadata.derivedFrom.map { try corpus.resolve($0) }
            Output.line(EditionDescription.text(resolved, parent: parent))
            return
        }
        Output.bytes(try corpus.text(of: resolved.edition))
    }

    /// A commit id is not an edition id, but users copy commit ids from `log`: the error that says
    /// which edition `argument` recorded, when it names a commit (also used by `diff`).
    static func commitGivenForEdition(_ argument: String, in corpus: Corpus, command: String = "show") throws -> StemmaError? {
        guard let commit = try corpus.recordingCommit(argument) else { return nil }
        guard let recorded = commit.edition else {
            return .user("\(argument) is a commit, not an edition, and records no edition (\(commit.subject))")
        }
        let name = [commit.story, commit.source].compactMap { $0 }.joined(separator: ":")
        return .user("\(argument) is a commit, not an edition: it recorded edition \(recorded)\(name.isEmpty ? "" : " (\(name))"); \(command) it with 'stemma \(command) \(recorded.prefix(12))'")
    }
}
