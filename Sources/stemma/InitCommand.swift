import ArgumentParser
import Stemma

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty corpus (a bare git repository).",
        discussion: "With no path, creates ./.stemma, which later commands find from this folder or any below it.")

    @Argument(help: "Where to create the corpus.")
    var path: String = Corpus.defaultFolderName

    func run() throws {
        let corpus = try Corpus.create(at: path)
        Output.line("Created empty Stemma corpus in \(corpus.path)")
    }
}
