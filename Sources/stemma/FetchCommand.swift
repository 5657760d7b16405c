import ArgumentParser
import JSON
import Stemma

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a remote's editions without changing this corpus's main.",
        discussion: "The remote's main is kept as refs/remotes/REMOTE/main; 'stemma pull' merges it.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The remote (default: origin, or the only remote).")
    var remote: String?

    @Flag(help: "Print what was fetched as JSON (remote, before, after, commits).")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        let name = try remote ?? corpus.defaultRemoteName()
        let progress = RemoteProgress()
        let outcome = try corpus.fetch(remote: name, progress: progress.handler)
        progress.finish()
        if json { Output.json(Self.json(outcome)) } else { Self.report(outcome) }
    }

    /// `fetch --json` (docs/CLI.md): the remote-tracking ref before (null: first fetch) and after,
    /// and how many of its commits local main lacks.
    static func json(_ outcome: FetchOutcome) -> JSONValue {
        .object([("remote", .string(outcome.remote)), ("before", .optional(outcome.before)), ("after", .string(outcome.after)),
                 ("commits", .int(outcome.commitsAhead))])
    }

    static func report(_ outcome: FetchOutcome) {
        if outcome.before == outcome.after {
            Output.line("\(outcome.remote)/main is unchanged (\(shortID(outcome.after)))")
        } else {
            Output.line("\(outcome.remote)/main: \(shortID(outcome.before))..\(shortID(outcome.after))")
        }
        if outcome.commitsAhead > 0 {
            Output.line("\(outcome.commitsAhead) commit\(outcome.commitsAhead == 1 ? "" : "s") not yet in main ('stemma pull \(outcome.remote)' merges them)")
        }
    }
}
