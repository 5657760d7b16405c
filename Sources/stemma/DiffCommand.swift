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
        Each change is labelled: accidental (diacritics, spelling, hyphenation, case, punctuation, \
        typography, whitespace, unicode), substantive (insert, delete, replace, sentence-added, \
        sentence-deleted, sentence-split, sentence-merged, moves) or boilerplate (date-header, \
        caption, byline, dateline).

        A and B are edition references (id, abbreviation, STORY:SOURCE[~N], REF^) or, when they name \
        no edition, plain files, so two files can be compared without a corpus. With A alone, the \
        edition A is compared with the edition it derives from (A^). \
        Formats: terminal (the default; coloured as --color says), unified (a line-based patch that patch(1) applies), \
        hunks (one hunk per editorial change, with byte offsets), json, html, stats.

        Exit status: 0, or with --exit-code 1 when there is a substantive change (as git diff --exit-code); \
        accidental and boilerplate changes alone give 0.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The earlier edition (reference or file); alone, the edition to compare with its parent.")
    var a: String

    @Argument(help: "The later edition (reference or file).")
    var b: String?

    @Option(help: "The view (default: terminal).")
    var format: DiffFormat?

    @Flag(help: "Hide accidental (house-style) changes.")
    var substantiveOnly = false

    @Flag(help: "Same as --format json.")
    var json = false

    @Flag(help: "Exit with status 1 when there is any substantive change, 0 when there is none.")
    var exitCode = false

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        let chosen = json ? .json : (format ?? .terminal)
        let corpus = try? corpusOptions.open()
        if corpus == nil, corpusOptions.given != nil { _ = try corpusOptions.open() } // say why an explicit corpus failed
        let colour = chosen == .terminal && colorOptions.enabled
        let collation: Collation
        if let b {
            collation = try Self.printDiff(corpus: corpus, a: a, b: b, format: chosen, substantiveOnly: substantiveOnly, colour: colour)
        } else {
            // One edition alone: what it changed from its parent (it must be an edition of a corpus).
            let corpus = try corpusOptions.open()
            let child: LoggedEdition
            do {
                child = try corpus.resolve(a)
            } catch let error as StemmaError {
                if let commit = try ShowCommand.commitGivenForEdition(a, in: corpus, command: "diff") { throw commit }
                // A file alone has no parent to be compared with.
                if FileManager.default.fileExists(atPath: a) {
                    throw StemmaError.user("'\(printable(a))' is a file: alone, diff compares an edition of the corpus with its parent; give two files or editions to compare them")
                }
                throw error
            }
            // `REF^` of the reference as typed: the record it names, and its parent's own message when there is none.
            let parent = try corpus.resolve(a + "^")
            collation = try Self.printDiff(corpus: corpus, .edition(parent), Self.label(parent), .edition(child), Self.label(child),
                                           format: chosen, substantiveOnly: substantiveOnly, colour: colour)
        }
        if exitCode && collation.hasSubstantiveChanges { throw ExitCode(1) }
    }

    /// Resolves both sides, collates and prints: shared with `stemma demo`.
    @discardableResult
    static func printDiff(corpus: Corpus?, a: String, b: String, format: DiffFormat, substantiveOnly: Bool, colour: Bool) throws -> Collation {
        let (aWitness, aLabel) = try witness(a, corpus: corpus)
        let (bWitness, bLabel) = try witness(b, corpus: corpus)
        return try printDiff(corpus: corpus, aWitness, aLabel, bWitness, bLabel, format: format, substantiveOnly: substantiveOnly, colour: colour)
    }

    /// Collates two resolved sides and prints.
    static func printDiff(corpus: Corpus?, _ aWitness: Witness, _ aLabel: WitnessLabel, _ bWitness: Witness, _ bLabel: WitnessLabel,
                          format: DiffFormat, substantiveOnly: Bool, colour: Bool) throws -> Collation {
        let collation: Collation
        if let corpus, case .edition(let ea) = aWitness, case .edition(let eb) = bWitness {
            collation = try corpus.collate(ea, eb)
        } else {
            collation = Collator.collate(try aWitness.bytes(corpus), try bWitness.bytes(corpus))
        }
        var options = RenderOptions(a: aLabel, b: bLabel, substantiveOnly: substantiveOnly, colour: colour)
        options.escapeControls = Output.stdoutIsTerminal
        // Long diffs for a person go through the pager, as git's do; HTML and JSON are for programs.
        if format == .terminal || format == .unified || format == .hunks || format == .stats {
            let out = Pager()
            Renderers.render(collation, as: format, options: options) { out.write($0) }
            out.finish()
        } else {
            Renderers.render(collation, as: format, options: options) { Output.write($0) }
        }
        return collation
    }

    static func label(_ edition: LoggedEdition) -> WitnessLabel {
        let m = edition.metadata
        return WitnessLabel(id: edition.edition, title: "\(m.story):\(m.source) \(m.date) \(edition.edition.prefix(10))")
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
                return (.edition(edition), label(edition))
            } catch let error as StemmaError {
                referenceError = error
            }
        }
        if FileManager.default.fileExists(atPath: argument) {
            let size = ((try? FileManager.default.attributesOfItem(atPath: argument))?[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Collator.maxTextBytes else {
                throw StemmaError.user("'\(argument)' is larger than the \(Collator.maxTextSize) the diff engine compares")
            }
            let bytes = try Output.readInput(argument)
            try EditionText.validateText(bytes, name: argument) // an empty file is compared: all added or deleted
            return (.file(bytes), WitnessLabel(path: argument, title: argument))
        }
        // Not a file either: say both were tried, with why the reference failed when it was one.
        if let corpus, let commit = try ShowCommand.commitGivenForEdition(argument, in: corpus, command: "diff") { throw commit }
        let parsed = try? EditionReference(parsing: argument)
        // A reference that names something, but not one edition (an ambiguous id, `REF^` of an
        // edition with no parent), says so in its own words.
        if let referenceError, case .parent = parsed { throw referenceError }
        if let referenceError, "\(referenceError)".contains("ambiguous") { throw referenceError }
        let reason: String
        if corpus == nil { reason = " (no corpus found, so no edition)" }
        else if parsed != nil, let referenceError { reason = " (\(referenceError))" }
        else { reason = "" }
        throw StemmaError.user("'\(argument)': no such file or edition\(reason)")
    }
}
