import ArgumentParser
import Stemma

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole corpus as JSONL (the inverse of import).",
        discussion: "One edition a line, text inline, in the order recorded but with every parent before the editions derived from it, so that import of the output rebuilds the same records. Output ending in .gz is gzip-compressed.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let corpus = try corpusOptions.open()
        let count = try Exporter(corpus: corpus).export(to: output) { Output.bytes($0) }
        if output != nil { Output.note("exported \(count) edition(s) to \(output!)") }
    }
}
