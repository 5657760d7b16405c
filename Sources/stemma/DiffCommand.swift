import ArgumentParser
import Collation
import Foundation
import Stemma

extension DiffFormat: ExpressibleByArgument {}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the editorial changes between two editions.",
        discussion: """
        Each change is labelled: accidental (diacritics, spelling, hyphenation, case, punctuation,
        typography, whitespace, unicode), substantive (insert, delete, replace, sentence-added,
        sentence-deleted, sentence-split, sentence-merged, moves) or boilerplate (date-header,
        caption, byline, dateline).

        A and B are edition references (id, abbreviation, STORY:SOURCE[~N], REF^) or, when they name
        no edition, plain files, so two files can be compared without a corpus. With A alone, the
        edition A is compared with the edition it derives from (A^).
        Formats: terminal (default on a terminal; honours NO_COLOR), unified, json, html, stats.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The earlier edition (reference or file); alone, the edition to compare with its parent.")
    var a: String

    @Argument(help: "The later edition (reference or file).")
    var b: String?

    @Option(help: "terminal, unified, json, html or stats.")
    var format: DiffFormat?

    @Flag(help: "Hide accidental (house-style) changes.")
    var substantiveOnly = false

    @Flag(help: "Same as --format json.")
    var json = false

    func run() throws {
        let chosen = json ? .json : (format ?? .terminal)
        let corpus = try? corpusOptions.open()
        if corpus == nil, corpusOptions.corpus != nil { _ = try corpusOptions.open() } // say why an explicit corpus failed
        // One edition alone: what it changed from its parent (it must be an edition of a corpus).
        var (a, b) = (self.a, self.b ?? "")
        if self.b == nil {
            let child = try corpusOptions.open().resolve(self.a)
            (a, b) = ("\(child.edition)^", child.edition)
        }
        try Self.printDiff(corpus: corpus, a: a, b: b, format: chosen, substantiveOnly: substantiveOnly,
                           colour: chosen == .terminal && Output.stdoutIsTerminal && !Output.noColour)
    }

    /// Resolves both sides, collates and prints: shared with `stemma demo`.
    static func printDiff(corpus: Corpus?, a: String, b: String, format: DiffFormat, substantiveOnly: Bool, colour: Bool) throws {
        let (aWitness, aLabel) = try witness(a, corpus: corpus)
        let (bWitness, bLabel) = try witness(b, corpus: corpus)
        let collation: Collation
        if let corpus, case .edition(let ea) = aWitness, case .edition(let eb) = bWitness {
            collation = try corpus.collate(ea, eb)
        } else {
            collation = Collator.collate(try aWitness.bytes(corpus), try bWitness.bytes(corpus))
        }
        let options = RenderOptions(a: aLabel, b: bLabel, substantiveOnly: substantiveOnly, colour: colour)
        Output.write(Renderers.render(collation, as: format, options: options))
    }

    /// One side of a diff: an edition of the corpus, or a file's bytes.
    enum Witness {
        case edition(LoggedEdition)
        case file([UInt8])

        func bytes(_ corpus: Corpus?) throws -> [UInt8] {
            switch self {
            case .edition(let e):
                guard let corpus else { throw StemmaError.corpus("no corpus to read edition \(e.edition) from") }
                return try corpus.text(of: e.edition)
            case .file(let bytes): return bytes
            }
        }
    }

    /// An edition from the corpus when `argument` names one, else a file.
    static func witness(_ argument: String, corpus: Corpus?) throws -> (Witness, WitnessLabel) {
        var referenceError: Error? = nil
        if let corpus {
            do {
                let edition = try corpus.resolve(argument)
                let m = edition.metadata
                return (.edition(edition),
                        WitnessLabel(id: edition.edition, title: "\(m.story):\(m.source) \(m.date) \(edition.edition.prefix(10))"))
            } catch let error as StemmaError {
                referenceError = error
            }
        }
        if FileManager.default.fileExists(atPath: argument) {
            let size = ((try? FileManager.default.attributesOfItem(atPath: argument))?[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Collator.maxTextBytes else {
                throw StemmaError.user("'\(argument)' is larger than the 4 GiB the diff engine compares")
            }
            return (.file(try Output.readInput(argument)), WitnessLabel(path: argument, title: argument))
        }
        if let referenceError { throw referenceError }
        throw StemmaError.user("'\(argument)' is neither an edition (no corpus found) nor a file")
    }
}
