import ArgumentParser
import JSON
import Stemma

struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "List, install or remove the corpus's hooks.",
        discussion: """
        A hook is a script the corpus runs around its own events: pre-commit (sees each edition's text on stdin and \
        may refuse it), post-commit and post-import. Hooks live in the corpus's own git folder (CORPUS/hooks/stemma-EVENT) \
        and only there: a hook in a cloned tree, a working copy or git's core.hooksPath never runs, so a corpus \
        from elsewhere runs nothing until you install hooks yourself. 'install' copies the example Stemma ships; \
        edit the installed file to make it yours.
        """,
        subcommands: [List.self, Install.self, Show.self, Remove.self],
        defaultSubcommand: List.self)

    static var names: String { HookEvent.allCases.map(\.name).joined(separator: ", ") }

    static func event(_ name: String) throws -> HookEvent {
        guard let event = HookEvent(name: name) else {
            throw StemmaError.user("no hook '\(name)': the hooks are \(names)")
        }
        return event
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each hook and whether it is installed.")

        @OptionGroup var corpusOptions: CorpusOptions

        @Flag(help: "Print the hooks as JSON (name, installed, path).")
        var json = false

        func run() throws {
            let corpus = try corpusOptions.open()
            if json {
                Output.json(.array(HookEvent.allCases.map { event in
                    let installed = corpus.isHookInstalled(event)
                    return .object([("name", .string(event.name)), ("installed", .bool(installed)),
                                    ("path", installed ? .string(corpus.hookPath(event)) : .null)])
                }))
                return
            }
            for event in HookEvent.allCases {
                let state = corpus.isHookInstalled(event) ? "installed  \(corpus.hookPath(event))" : "not installed"
                Output.line("\(event.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(state)")
            }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the shipped example of each named hook into the corpus.",
            discussion: "Names: \(HooksCommand.names) (or with the stemma- prefix). An installed hook that differs from the example is kept unless --force.")

        @OptionGroup var corpusOptions: CorpusOptions

        @Argument(help: ArgumentHelp("The hooks to install.", valueName: "name"))
        var names: [String]

        @Flag(help: "Replace an installed hook that differs from the shipped example.")
        var force = false

        func run() throws {
            let events = try names.map(HooksCommand.event) // every name is checked before anything is written
            let corpus = try corpusOptions.open()
            for event in events {
                switch try corpus.installHook(event, replace: force) {
                case .installed: Output.line("installed \(corpus.hookPath(event))")
                case .replaced: Output.line("replaced \(corpus.hookPath(event))")
                case .alreadyInstalled: Output.line("\(corpus.hookPath(event)) is already the shipped \(event.name) hook")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the shipped example of a hook.")

        @Argument(help: ArgumentHelp("The hook: \(HooksCommand.names).", valueName: "name"))
        var name: String

        func run() throws { Output.write(ShippedHooks.script(for: try HooksCommand.event(name))) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove installed hooks from the corpus.")

        @OptionGroup var corpusOptions: CorpusOptions

        @Argument(help: ArgumentHelp("The hooks to remove.", valueName: "name"))
        var names: [String]

        func run() throws {
            let events = try names.map(HooksCommand.event)
            let corpus = try corpusOptions.open()
            for event in events {
                Output.line(try corpus.removeHook(event) ? "removed \(corpus.hookPath(event))" : "\(event.name) was not installed")
            }
        }
    }
}
