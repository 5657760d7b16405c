import ArgumentParser
import Foundation
import Stemma

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Commit many editions at once from JSONL manifests or folders.",
        discussion: """
        A manifest has one JSON object a line: {"path": "…"} or {"text": "…"}, with story, source, \
        date and optional title, url, derived_from (an edition id or STORY:SOURCE), language; \
        unknown keys are ignored. Relative paths are read from the manifest's folder. A .jsonl.gz \
        manifest is read compressed. A folder is read for .txt files, each with an optional .json \
        sidecar of the same keys; without one, the text's folder names its story.

        Every edition is still one commit. By default every item is checked first and nothing is \
        written if any is bad; --keep-going commits the good ones. main moves at each checkpoint, \
        so an interrupted import loses at most the last checkpoint, and running it again resumes.

        Exit status: 0 all imported, 1 bad items (nothing written, or with --keep-going some skipped).
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @OptionGroup var hookOptions: HookOptions

    @Argument(help: "Manifests (.jsonl, .jsonl.gz) or folders.")
    var sources: [String]

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
    }

    func run() throws {
        let corpus = try corpusOptions.open()
        hookOptions.apply(to: corpus)
        var options = ImportOptions()
        options.keepGoing = keepGoing
        options.checkpointEvery = checkpoint
        options.maxBytes = maxBytes
        if let stop = ProcessInfo.processInfo.environment["STEMMA_TEST_INTERRUPT_AFTER"].flatMap(Int.init) { options.interruptAfter = stop }
        let meter = ProgressMeter(enabled: !quiet)
        let report: ImportReport
        do {
            report = try Importer(corpus: corpus, options: options, onProgress: meter.show).run(sources.map(ImportSource.init))
        } catch is ImportInterrupted {
            meter.finish()
            Output.fail("import interrupted (test hook); run it again to resume", code: 3)
        }
        meter.finish()
        for failure in report.failures.prefix(200) { Output.note(failure) }
        if report.failures.count > 200 { Output.note("… and \(report.failures.count - 200) more bad items") }
        let p = report.progress
        if json {
            Output.line(#"{"created": \#(p.created), "skipped": \#(p.skipped), "failed": \#(p.failed), "refused": \#(report.refused), "checkpoints": \#(p.checkpoints), "pack_bytes": \#(p.packBytes), "seconds": \#(String(format: "%.3f", p.seconds)), "pack_seconds": \#(String(format: "%.3f", p.packSeconds))}"#)
        } else if report.refused {
            Output.line("nothing imported: \(p.failed) bad item(s); fix them or use --keep-going")
        } else {
            let rate = p.seconds > 0 ? Int(Double(p.created) / p.seconds) : 0
            Output.line("imported \(p.created) edition(s), skipped \(p.skipped) already present, \(p.failed) bad; \(p.checkpoints) checkpoint(s), \(p.packBytes) pack bytes, \(String(format: "%.1f", p.seconds)) s (\(rate)/s)")
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
        let done = p.phase == "check" ? p.read : p.created + p.skipped
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
