import ArgumentParser
import JSON
import Stemma

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "List, add or remove the remotes a corpus shares its editions with.",
        discussion: """
        Remotes are git remotes in the corpus's own configuration ('git remote -v' shows them too). \
        A URL may be a local path, file://, git:// or, as far as this build's libgit2 allows, ssh:// and https://.
        """,
        subcommands: [List.self, Add.self, Remove.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show each remote's name and URL.")

        @OptionGroup var corpusOptions: CorpusOptions

        @Flag(help: "Print a JSON array of {name, url}.")
        var json = false

        func run() throws {
            let remotes = try corpusOptions.open().remotes()
            if json {
                Output.json(.array(remotes.map { .object([("name", .string($0.name)), ("url", .string($0.url))]) }))
                return
            }
            for remote in remotes { Output.line("\(remote.name)\t\(remote.url)") }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a remote.")

        @OptionGroup var corpusOptions: CorpusOptions

        @Argument(help: "A name for the remote, such as origin.")
        var name: String

        @Argument(help: "Where the other corpus is: a path or a file://, git://, ssh:// or https:// URL.")
        var url: String

        func run() throws { try corpusOptions.open().addRemote(name: name, url: url) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a remote and what was fetched from it.",
                                                        aliases: ["rm"])

        @OptionGroup var corpusOptions: CorpusOptions

        @Argument(help: "The remote's name.")
        var name: String

        func run() throws { try corpusOptions.open().removeRemote(name: name) }
    }
}
