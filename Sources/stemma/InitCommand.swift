import ArgumentParser
import Stemma

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty corpus (a bare git repository).",
        discussion: "With no path, creates ./.stemma, which later commands find from this folder or any below it.")

    @Argument(help: "Where to create the corpus.")
    var path: String?

    @Option(name: .long, help: ArgumentHelp("Same as PATH.", valueName: "path"))
    var corpus: String?

    func validate() throws {
        if let path, let corpus, path != corpus { throw ValidationError("give the corpus path once: PATH or --corpus") }
    }

    func run() throws {
        let corpus = try Corpus.create(at: path ?? self.corpus ?? GlobalOptions.corpus ?? Corpus.defaultFolderName)
        Output.line("Created empty Stemma corpus in \(corpus.path)")
    }
}
