import ArgumentParser
import JSON
import Stemma

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the whole corpus: objects, records, layout, trailers and the index.",
        discussion: """
        Reads back every object on main under its id and checks every pack file's checksum; checks \
        every record against docs/FORMAT.md (fields, the edition id against the file name and the \
        text, bytes, dates, derived_from, cycles), the layout, each commit's trailers and the \
        derived index. Prints one line per problem (kind, path, commit, what is wrong). \
        Exit status: 0 when nothing is wrong, 1 when anything is.
        """)

    @OptionGroup var corpusOptions: CorpusOptions

    @Flag(help: "Print a JSON object {ok, commits, objects, records, problems: [{kind, path, commit, message}]}.")
    var json = false

    func run() throws {
        let corpus = try corpusOptions.open()
        corpus.onWarning = { _ in } // verify reports bad records itself, with the rest
        let report = try corpus.verify()
        if json {
            Output.json(.object([
                ("ok", .bool(report.isClean)), ("commits", .int(report.commits)), ("objects", .int(report.objects)),
                ("records", .int(report.records)),
                ("problems", .array(report.problems.map { p in
                    .object([("kind", .string(p.kind.rawValue)), ("path", .string(p.path)),
                             ("commit", p.commit.map { .string($0) } ?? .null), ("message", .string(p.message))])
                })),
            ]))
        } else {
            for p in report.problems { Output.line("\(p.kind.rawValue)\t\(p.path)\t\(p.commit ?? "-")\t\(p.message)") }
        }
        if report.isClean {
            if !json { Output.line("ok: \(report.commits) commits, \(report.objects) objects, \(report.records) records") }
        } else {
            Output.note("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
    }
}
