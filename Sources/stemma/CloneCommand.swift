import ArgumentParser
import Stemma

struct CloneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Copy a corpus from a remote into a new corpus.",
        discussion: """
        The new corpus is a bare git repository with URL as its remote 'origin'. Its derived index \
        is built by the first command that needs it. Without DIR it is ./.stemma, which later \
        commands find from this folder or any below it.
        """)

    @Argument(help: "Where the corpus is: a path or a file://, git://, ssh:// or https:// URL.")
    var url: String

    @Argument(help: "The new corpus folder (default: ./.stemma); it must not exist or be empty.")
    var directory: String?

    func run() throws {
        let progress = RemoteProgress()
        let corpus = try Corpus.clone(from: url, to: directory ?? Corpus.defaultFolderName, progress: progress.handler)
        progress.finish()
        Output.line("Cloned \(url) into \(corpus.path)")
    }
}
