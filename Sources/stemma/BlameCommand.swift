import ArgumentParser
import Collation
import JSON
import Stemma

struct BlameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blame",
        abstract: "Show where each sentence of an edition came from.",
        discussion: """
        For each sentence (and each piece of boilerplate) of EDITION: its origin, the earliest \
        edition in its derivation ancestry (derived_from, then its derived_from, …) holding it, \
        and how it arrived: unchanged, accidental_only (with the classes), reworded (with its \
        similarity), split, merged, or new in this edition. A sentence dropped by an intermediate \
        edition and reinstated later keeps its first origin. Costs one collation per ancestor.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Argument(help: "The edition to blame: an id, STORY:SOURCE[~N] or REF^.")
    var edition: String

    @Flag(help: "Print a JSON array, one object per sentence in order.")
    var json = false

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        let corpus = try corpusOptions.open()
        let blame = try corpus.blame(try corpus.resolve(edition))
        if let missing = blame.missingAncestor {
            Output.note("the ancestry stops at \(blame.chain[0].edition.prefix(10)): its parent \(missing.prefix(10)) is not in this corpus")
        }
        if json { Output.json(.array(blame.lines.map { Self.json($0, blame) })); return }
        let colour = colorOptions.enabled
        let sourceWidth = blame.chain.map(\.metadata.source.count).max() ?? 0
        let idLength = ShortIDs.length(blame.chain.map(\.edition))
        let out = Pager()
        defer { out.finish() }
        for line in blame.lines {
            let origin = blame.chain[line.origin].metadata
            let status = line.status.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
            let margin = "\(blame.chain[line.origin].edition.prefix(idLength)) \(origin.source.padding(toLength: sourceWidth, withPad: " ", startingAt: 0)) \(origin.date) \(status)"
            let text = line.text.replacingOccurrences(of: "\n", with: " ")
            out.line((colour ? Self.paint(margin, line.status) : margin) + " │ " + text)
        }
    }

    static func json(_ line: BlameLine, _ blame: EditionBlame) -> JSONValue {
        let origin = blame.chain[line.origin]
        return .object([
            ("range", .array([.int(line.range.lowerBound), .int(line.range.upperBound)])), ("text", .string(line.text)),
            ("status", .string(line.status.rawValue)),
            ("origin", .object([("edition", .string(origin.edition)), ("source", .string(origin.metadata.source)),
                                ("date", .string(origin.metadata.date))])),
            ("classes", .array(line.classes.map { .string($0.rawValue) })),
            ("similarity", line.similarity.map { .double(($0 * 1000).rounded() / 1000) } ?? .null),
        ])
    }

    /// The margin in the status's colour: new green, accidental cyan, reworded yellow, split/merged magenta, unchanged dim.
    static func paint(_ text: String, _ status: BlameLine.Status) -> String {
        let code: String
        switch status {
        case .unchanged: code = "2"
        case .accidentalOnly: code = "36"
        case .reworded: code = "33"
        case .split, .merged: code = "35"
        case .new: code = "32"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
