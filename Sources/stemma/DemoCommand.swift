import ArgumentParser
import Collation
import Stemma

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a small corpus from built-in sample texts and show what Stemma does with it.",
        discussion: """
        Commits a wire edition and its newspaper re-edit of one story, then prints stories, log, show --meta and the diff, \
        each after the command line that prints it. Running it again on its own corpus changes nothing; \
        a folder that holds a corpus with other stories is refused.
        """)

    @Argument(help: "Where to build the demo corpus (reused if it is a demo corpus already).")
    var directory: String?

    @Option(name: .long, help: ArgumentHelp("Same as DIR.", valueName: "path"))
    var corpus: String?

    @OptionGroup var colorOptions: ColorOptions

    var path: String { directory ?? corpus ?? GlobalOptions.corpus ?? "stemma-demo" }

    func run() throws {
        let demo = try Demo.build(at: path)
        let corpus = demo.corpus
        for field in demo.inferred { Output.note("inferred \(field.field) \(field.value) from \(field.reason)") }
        let story = DemoTexts.story
        // Each block is what the command printed before it prints: a user can paste the line.
        let prefix = "$ stemma --corpus \(Output.shellQuoted(path))"
        Output.line("\(prefix) stories")
        for s in try corpus.stories() { Output.line(StoriesCommand.line(s)) }
        Output.line("\n\(prefix) log \(story)")
        let log = try corpus.log(story: story)
        try LogCommand.print(log, corpus: corpus)
        Output.line("\n\(prefix) show \(story):VNS --meta")
        let paper = try corpus.resolve("\(story):VNS")
        Output.line(EditionDescription.text(paper, parent: log.first { $0.edition == paper.metadata.derivedFrom }))
        Output.line("\n\(prefix) diff \(story):VNA \(story):VNS")
        try DiffCommand.printDiff(corpus: corpus, a: "\(story):VNA", b: "\(story):VNS", format: .terminal,
                                  substantiveOnly: false, colour: colorOptions.enabled)
    }
}
