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
                      BlameCommand.self, StoryCommand.self, DiffCommand.self, MatchCommand.self, GrepCommand.self, SimilarCommand.self,
                      ImportCommand.self, ExportCommand.self, RmCommand.self, RemoteCommand.self, FetchCommand.self, PushCommand.self,
                      PullCommand.self, CloneCommand.self, VerifyCommand.self, HooksCommand.self, DemoCommand.self]
    )

    /// Runs the command, turning every error into one line on stderr and an exit status:
    /// users see messages, never stack traces.
    static func main() {
        do {
            let arguments = CountArguments.rewritten(try GlobalOptions.consume(Array(CommandLine.arguments.dropFirst())))
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
            // The parser's message on one line (a list of valid values included), and the help to read.
            let lines = self.message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let values = lines.filter { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
            var message = lines.isEmpty ? "\(error)" : lines.filter { !$0.hasPrefix("- ") }.joined(separator: " ")
            if !values.isEmpty { message += " " + values.joined(separator: ", ") }
            let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            let command = CommandLine.arguments.dropFirst().first { names.contains($0) }
            let unexpected = message.lowercased().contains("unexpected argument")
            // A mistyped command, as git says it: the nearest one.
            if command == nil, unexpected, let first = firstWord(CommandLine.arguments.dropFirst()) {
                Output.fail("'\(first)' is not a stemma command\(suggestion(for: first, among: names)) (see 'stemma help')", code: 1)
            }
            // The same for a subcommand of a command that has them (`stemma remote ad`).
            if unexpected, let command, let group = configuration.subcommands.first(where: { $0._commandName == command }),
               !group.configuration.subcommands.isEmpty,
               let at = CommandLine.arguments.indices.dropFirst().first(where: { CommandLine.arguments[$0] == command }),
               let word = firstWord(CommandLine.arguments[(at + 1)...]) {
                let subcommands = group.configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases }
                if !subcommands.contains(word) {
                    Output.fail("'\(word)' is not a 'stemma \(command)' command\(suggestion(for: word, among: subcommands)) (see 'stemma help \(command)')",
                                code: 1)
                }
            }
            Output.fail("\(message) (see 'stemma help\(command.map { " " + $0 } ?? "")')", code: 1)
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
    @Option(name: .long, help: ArgumentHelp("The corpus folder (default: $STEMMA_CORPUS, else the nearest .stemma folder upwards, or a bare repository met on the way).", valueName: "path"))
    var corpus: String?

    /// The corpus named on the command line, after the command or before it.
    var given: String? { corpus ?? GlobalOptions.corpus }

    func open() throws -> Corpus {
        let opened = try Corpus.open(at: Corpus.locate(explicit: given))
        opened.onWarning = { Output.note($0) }
        opened.onIndexProgress = { IndexProgress.show(done: $0, total: $1) }
        opened.onSearchIndexProgress = { IndexProgress.show(done: $0, total: $1, what: "texts for grep") }
        return opened
    }
}

/// The first argument that is neither an option nor the value of a global option (`-C DIR`).
func firstWord(_ arguments: ArraySlice<String>) -> String? {
    var skipNext = false
    for argument in arguments {
        if skipNext { skipNext = false; continue }
        if argument == "-C" || argument == "--corpus" { skipNext = true; continue }
        if !argument.hasPrefix("-") { return argument }
    }
    return nil
}

/// `; did you mean 'NAME'?` for the name nearest `word`, if it is near enough to be a typo.
func suggestion(for word: String, among names: [String]) -> String {
    let nearest = names.min { editDistance(word, $0) < editDistance(word, $1) }
    return nearest.flatMap { editDistance(word, $0) <= 2 ? "; did you mean '\($0)'?" : nil } ?? ""
}

/// Levenshtein distance, for suggesting the command a user meant.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    var row = Array(0...y.count)
    for i in 1...max(x.count, 1) where !x.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(y.count, 1) where !y.isEmpty {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return x.isEmpty ? y.count : row[y.count]
}
