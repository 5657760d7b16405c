import ArgumentParser
import Stemma

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a remote's editions without changing this corpus's main.",
        discussion: "The remote's main is kept as refs/remotes/REMOTE/main; 'stemma pull' merges it.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The remote (default: origin, or the only remote).")
    var remote: String?

    func run() throws {
        let corpus = try corpusOptions.open()
        let name = try remote ?? corpus.defaultRemoteName()
        let progress = RemoteProgress()
        let outcome = try corpus.fetch(remote: name, progress: progress.handler)
        progress.finish()
        Self.report(outcome)
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
