import ArgumentParser
import Foundation
import Stemma

@main
struct StemmaCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stemma",
        abstract: "Version a corpus of news editions and trace where each one came from.",
        discussion: """
        A corpus is a bare git repository: every edition is a git blob, every commit records one
        edition with its story, source, date and the edition it derives from.

        Exit status: 0 success, 1 bad input or unknown reference, 2 corpus missing, read-only or corrupt.
        """,
        version: "0.1.0",
        subcommands: [InitCommand.self, CommitCommand.self, LogCommand.self, ShowCommand.self, StoriesCommand.self, FindCommand.self,
                      DiffCommand.self, ImportCommand.self, ExportCommand.self, DemoCommand.self,
                      RemoteCommand.self, FetchCommand.self, PushCommand.self, PullCommand.self, CloneCommand.self, VerifyCommand.self]
    )

    /// Runs the command, turning every error into one line on stderr and an exit status:
    /// users see messages, never stack traces.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as StemmaError {
            Output.fail(error.description, code: error.exitCode)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue) // the command has already said why (import's bad items)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Output.fail("\(message) (see 'stemma help')", code: 1)
        }
    }
}

/// Where to find the corpus: shared by every command that reads or writes one.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The corpus folder (default: $STEMMA_CORPUS, else the nearest .stemma folder upwards).", valueName: "path"))
    var corpus: String?

    func open() throws -> Corpus {
        let opened = try Corpus.open(at: Corpus.locate(explicit: corpus))
        opened.onWarning = { Output.note($0) }
        opened.onIndexProgress = IndexProgress.show
        return opened
    }
}
