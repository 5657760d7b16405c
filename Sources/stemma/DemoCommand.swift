import ArgumentParser
import Collation
import Stemma

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a small corpus from built-in sample texts and show what Stemma does with it.",
        discussion: "Commits a wire edition and its newspaper re-edit of one story, then prints stories, log, show --meta and the diff.")

    @Argument(help: "Where to build the demo corpus (reused if it is already there).")
    var directory: String?

    @Option(name: .long, help: ArgumentHelp("Same as DIR.", valueName: "path"))
    var corpus: String?

    var path: String { directory ?? corpus ?? "stemma-demo" }

    func run() throws {
        let demo = try Demo.build(at: path)
        let corpus = demo.corpus
        for field in demo.inferred { Output.note("inferred \(field.field) \(field.value) from \(field.reason)") }
        let story = DemoTexts.story
        Output.line("$ stemma --corpus \(path) stories")
        for s in try corpus.stories() { Output.line("\(s.story)\t\(s.editions) editions") }
        Output.line("\n$ stemma --corpus \(path) log \(story)")
        let log = try corpus.log(story: story)
        LogCommand.print(log)
        Output.line("\n$ stemma --corpus \(path) show \(story):VNS --meta")
        let paper = try corpus.resolve("\(story):VNS")
        Output.line(EditionDescription.text(paper, parent: log.first { $0.edition == paper.metadata.derivedFrom }))
        Output.line("\n$ stemma --corpus \(path) diff \(story):VNA \(story):VNS")
        try DiffCommand.printDiff(corpus: corpus, a: "\(story):VNA", b: "\(story):VNS", format: .terminal,
                                  substantiveOnly: false, colour: Output.stdoutIsTerminal && !Output.noColour)
    }
}
