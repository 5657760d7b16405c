import ArgumentParser
import Foundation
import Stemma

@main
struct StemmaCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stemma",
        abstract: "Version a corpus of news editions and trace where each one came from.",
        discussion: """
        A corpus is a bare git repository: every edition is a git blob, every commit records one \
        edition with its story, source, date and the edition it derives from.

        \(GlobalOptions.help)

        Exit status: 0 success, 1 bad input or unknown reference, 2 corpus missing, read-only or corrupt.
        """,
        version: "0.1.0",
        subcommands: [InitCommand.self, CommitCommand.self, LogCommand.self, ShowCommand.self, StoriesCommand.self, FindCommand.self,
                      DiffCommand.self, MatchCommand.self, GrepCommand.self, SimilarCommand.self, ImportCommand.self, ExportCommand.self, HooksCommand.self, DemoCommand.self]
    )

    /// Runs the command, turning every error into one line on stderr and an exit status:
    /// users see messages, never stack traces.
    static func main() {
        do {
            let arguments = try GlobalOptions.consume(Array(CommandLine.arguments.dropFirst()))
            try checkHelpTopic(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as StemmaError {
            Output.fail(error.description, code: error.exitCode)
        } catch let error as GlobalOptionError {
            Output.fail("\(error) (see 'stemma help')", code: 1)
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

extension StemmaCLI {
    /// `stemma help TOPIC…` must name commands, as `git help NOSUCH` fails: the parser would print
    /// the closest help it knows and exit 0.
    static func checkHelpTopic(_ arguments: [String]) throws {
        guard arguments.first == "help" else { return }
        var commands: [ParsableCommand.Type] = configuration.subcommands
        for topic in arguments.dropFirst() where !topic.hasPrefix("-") {
            guard let command = commands.first(where: { $0._commandName == topic }) else {
                throw GlobalOptionError("no such command '\(topic)'")
            }
            commands = command.configuration.subcommands
        }
    }
}

/// Where to find the corpus: shared by every command that reads or writes one.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The corpus folder (default: $STEMMA_CORPUS, else the nearest .stemma folder upwards).", valueName: "path"))
    var corpus: String?

    /// The corpus named on the command line, after the command or before it.
    var given: String? { corpus ?? GlobalOptions.corpus }

    func open() throws -> Corpus {
        let opened = try Corpus.open(at: Corpus.locate(explicit: given))
        opened.onWarning = { Output.note($0) }
        return opened
    }
}
