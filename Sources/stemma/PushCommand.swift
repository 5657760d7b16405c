import ArgumentParser
import Stemma

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send this corpus's main to a remote.",
        discussion: "Refused when the remote has editions this corpus lacks: pull first, or --force to replace them.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The remote (default: origin, or the only remote).")
    var remote: String?

    @Flag(help: "Replace the remote's main even when that drops commits from it (like git push --force).")
    var force = false

    func run() throws {
        let corpus = try corpusOptions.open()
        let name = try remote ?? corpus.defaultRemoteName()
        let progress = RemoteProgress()
        let outcome = try corpus.push(remote: name, force: force, progress: progress.handler)
        progress.finish()
        if outcome.before == outcome.after {
            Output.line("\(name)/main is up to date (\(shortID(outcome.after)))")
        } else {
            Output.line("\(name)/main: \(shortID(outcome.before))..\(shortID(outcome.after))\(force ? " (forced)" : "")")
        }
    }
}
