import ArgumentParser
import JSON
import Stemma

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a remote's editions and merge them into this corpus.",
        discussion: """
        Different editions merge as a union (a merge commit joins the two histories, or main simply \
        moves forward when it had nothing new). A record changed on both sides stops the pull with \
        both versions shown and nothing merged: rerun with --ours or --theirs to choose. Either way \
        the other version stays in history.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The remote (default: origin, or the only remote).")
    var remote: String?

    @Flag(help: "Settle records changed on both sides with this corpus's version.")
    var ours = false

    @Flag(help: "Settle records changed on both sides with the remote's version.")
    var theirs = false

    @Flag(help: "Print what came in as JSON (action, commits, new editions, conflicts).")
    var json = false

    func validate() throws {
        if ours && theirs { throw ValidationError("choose one of --ours and --theirs") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        let name = try remote ?? corpus.defaultRemoteName()
        let progress = RemoteProgress()
        let outcome = try corpus.pull(remote: name, resolution: ours ? .ours : theirs ? .theirs : .none, progress: progress.handler)
        progress.finish()
        if json {
            Output.json(Self.json(outcome, kept: ours ? "ours" : theirs ? "theirs" : nil))
            if outcome.action == .conflicted { throw conflictError(outcome) }
            return
        }
        var editions = "\(outcome.editionsFromRemote) new edition\(outcome.editionsFromRemote == 1 ? "" : "s") from \(name)"
        if outcome.editionsRemoved > 0 {
            editions += ", \(outcome.editionsRemoved) edition\(outcome.editionsRemoved == 1 ? "" : "s") removed there and here"
        }
        switch outcome.action {
        case .upToDate: Output.line("Already up to date with \(name)/main.")
        case .fastForward: Output.line("Fast-forward to \(shortID(outcome.main)): \(editions)")
        case .merged:
            Output.line("Merged \(name)/main as \(shortID(outcome.main)): \(editions)")
            for conflict in outcome.conflicts {
                Output.line("kept \(ours ? "ours" : "theirs") for \(conflict.path)")
            }
        case .conflicted:
            for conflict in outcome.conflicts {
                Output.line("conflict: \(conflict.path) changed on both sides")
                Output.line("--- ours (main)")
                Output.write(conflict.ours.map { String(decoding: $0, as: UTF8.self) } ?? "(removed)\n")
                Output.line("--- theirs (\(name)/main)")
                Output.write(conflict.theirs.map { String(decoding: $0, as: UTF8.self) } ?? "(removed)\n")
            }
            throw conflictError(outcome)
        }
    }

    private func conflictError(_ outcome: PullOutcome) -> StemmaError {
        let count = outcome.conflicts.count
        return StemmaError.user("pull from \(outcome.remote) stopped: \(count) record\(count == 1 ? "" : "s") changed on both sides; nothing was merged. Rerun with --ours or --theirs to choose")
    }

    /// The outcome as `pull --json` prints it (docs/CLI.md): `kept` is the side that settled the
    /// conflicts (nil: none was chosen, so a conflict stopped the pull).
    static func json(_ outcome: PullOutcome, kept: String?) -> JSONValue {
        func text(_ bytes: [UInt8]?) -> JSONValue { bytes.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null }
        return .object([
            ("remote", .string(outcome.remote)), ("action", .string(outcome.action.rawValue)),
            ("before", .optional(outcome.before)), ("main", .string(outcome.main)),
            ("remote_main", .optional(outcome.fetched?.after)),
            ("commits", .int(outcome.fetched?.commitsAhead ?? 0)), ("new_editions", .int(outcome.editionsFromRemote)),
            ("removed_editions", .int(outcome.editionsRemoved)),
            ("conflicts", .array(outcome.conflicts.map {
                .object([("path", .string($0.path)), ("ours", text($0.ours)), ("theirs", text($0.theirs)),
                         ("kept", outcome.action == .conflicted ? .null : .optional(kept))])
            })),
        ])
    }
}
