import ArgumentParser
import JSON
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

    @Flag(help: "Print the new corpus as JSON (url, path, main).")
    var json = false

    func run() throws {
        let progress = RemoteProgress()
        let corpus = try Corpus.clone(from: url, to: directory ?? Corpus.defaultFolderName, progress: progress.handler)
        progress.finish()
        if json {
            // The URL as recorded for origin (a path made absolute), as `remote list` shows it.
            let origin = try corpus.remotes().first { $0.name == "origin" }?.url ?? url
            Output.json(.object([("url", .string(origin)), ("path", .string(corpus.path)),
                                 ("main", .optional(try corpus.mainCommit()?.hex))]))
        } else {
            Output.line("Cloned \(url) into \(corpus.path)")
        }
    }
}
