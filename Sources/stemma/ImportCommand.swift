import ArgumentParser
import Foundation
import Stemma

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Commit many editions at once from JSONL manifests or folders.",
        discussion: """
        A manifest has one JSON object a line: {"path": "…"} or {"text": "…"}, with story, source, \
        date and optional title, url, derived_from (any edition reference: an id, STORY:SOURCE, \
        STORY:SOURCE~N, naming the corpus or an earlier line), language; unknown keys are ignored. \
        Paths are read from the manifest's folder ('-' reads a manifest from standard input, its \
        paths from the current folder) and must stay inside it unless --allow-outside. A .jsonl.gz \
        manifest is read compressed, and must be complete. A folder is read for .txt files, each \
        with an optional .json sidecar of the same keys; without one, the text's folder names its story.

        A line about an edition already recorded (same bytes, story and source) is an update: the \
        keys it has replace the recorded ones, the others are kept, a key set to null is removed. \
        Several such lines are one update, so running the same import again writes nothing.

        Every record is one commit, and the pre-commit hook sees each item. By default every item \
        is checked first and nothing is written if any is bad; --keep-going commits the good ones. \
        main moves at each checkpoint, so an interrupted import loses at most the last checkpoint, \
        and running it again resumes. Other writers (commits, imports) may write at the same time: \
        a checkpoint that finds main moved puts the import's commits since the last one on top of \
        theirs, merging into any record they changed meanwhile, and moves main then.

        Exit status: 0 all imported, 1 bad items (nothing written, or with --keep-going some skipped).
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @OptionGroup var hookOptions: HookOptions

    @Argument(help: "Manifests (.jsonl, .jsonl.gz), folders, or '-' for a manifest on standard input.")
    var sources: [String]

    @Flag(help: "Read paths outside the manifest's folder (or outside the folder imported).")
    var allowOutside = false

    @Flag(help: "Commit the good items and report the bad ones.")
    var keepGoing = false

    @Option(help: "Editions between checkpoints: each finishes a pack and moves main.")
    var checkpoint = ImportOptions().checkpointEvery

    @Option(name: .customLong("max-bytes"), help: "Refuse texts larger than this many bytes.")
    var maxBytes = EditionText.defaultMaxBytes

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "Print the final counts as JSON.")
    var json = false

    func validate() throws {
        if checkpoint < 1 { throw ValidationError("--checkpoint must be at least 1") }
        if sources.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        hookOptions.apply(to: corpus)
        var options = ImportOptions()
        options.keepGoing = keepGoing
        options.checkpointEvery = checkpoint
        options.maxBytes = maxBytes
        if let stop = ProcessInfo.processInfo.environment["STEMMA_TEST_INTERRUPT_AFTER"].flatMap(Int.init) { options.interruptAfter = stop }
        let inputs = try sources.map { $0 == "-" ? try ImportSource.standardInput(allowOutside: allowOutside)
                                                 : ImportSource(path: $0, allowOutside: allowOutside) }
        Importer.removeUnfinishedPacksOnInterrupt()
        let meter = ProgressMeter(enabled: !quiet)
        let report: ImportReport
        do {
            report = try Importer(corpus: corpus, options: options, onProgress: meter.show).run(inputs)
        } catch is ImportInterrupted {
            meter.finish()
            Output.fail("import interrupted (test hook); run it again to resume", code: 3)
        }
        meter.finish()
        for failure in report.failures.prefix(200) { Output.note(failure) }
        if report.failures.count > 200 { Output.note("… and \(report.failures.count - 200) more bad items") }
        let p = report.progress
        if json {
            Output.line(#"{"created": \#(p.created), "updated": \#(p.updated), "skipped": \#(p.skipped), "merged": \#(p.merged), "failed": \#(p.failed), "refused": \#(report.refused), "checkpoints": \#(p.checkpoints), "rebases": \#(p.rebases), "pack_bytes": \#(p.packBytes), "seconds": \#(String(format: "%.3f", p.seconds)), "pack_seconds": \#(String(format: "%.3f", p.packSeconds)), "rebase_seconds": \#(String(format: "%.3f", p.rebaseSeconds))}"#)
        } else if report.refused {
            Output.note("nothing imported: \(p.failed) bad item(s); fix them or use --keep-going")
        } else {
            // Items a second, as the progress line counts them: every item read, whatever became of it.
            let items = p.created + p.updated + p.skipped + p.merged + p.failed
            let rate = p.seconds > 0 ? Int(Double(items) / p.seconds) : 0
            let merged = p.merged > 0 ? " (\(p.merged) merged into later lines about the same edition)" : ""
            func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            Output.line("import: \(p.created) added, \(p.updated) updated, \(p.skipped) already present\(merged), \(p.failed) bad; "
                        + "\(count(p.checkpoints, "checkpoint"))\(p.rebases > 0 ? " (\(count(p.rebases, "rebase")) onto other writers' commits)" : ""), \(p.packBytes) pack bytes, \(String(format: "%.1f", p.seconds)) s (\(rate) items/s)")
        }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}

/// Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise.
final class ProgressMeter {
    let enabled: Bool
    let terminal = isatty(STDERR_FILENO) == 1
    var lastLine = Date.distantPast
    var drew = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ImportProgress) {
        guard enabled else { return }
        let now = Date()
        let interval = terminal ? 0.2 : 5.0
        guard now.timeIntervalSince(lastLine) >= interval else { return }
        lastLine = now
        let done = p.phase == "check" ? p.read : p.created + p.updated + p.skipped + p.merged
        let rate = p.seconds > 0 ? Double(done) / p.seconds : 0
        let line = "\(p.phase): \(done) items, \(Int(rate))/s, \(p.failed) bad, \(String(format: "%.0f", p.seconds)) s"
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            drew = true
        } else {
            FileHandle.standardError.write(Data("stemma: \(line)\n".utf8))
        }
    }

    func finish() {
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
