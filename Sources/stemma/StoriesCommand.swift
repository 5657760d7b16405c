import ArgumentParser
import Stemma

struct StoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stories", abstract: "List the stories with their edition counts.")

    @OptionGroup var corpusOptions: CorpusOptions

    @Flag(help: "Print a JSON array of {story, editions}.")
    var json = false

    func run() throws {
        let stories = try corpusOptions.open().stories()
        if json {
            Output.json(.array(stories.map { .object([("story", .string($0.story)), ("editions", .int($0.editions))]) }))
            return
        }
        for s in stories { Output.line(Self.line(s)) }
    }

    /// One story's line (also printed by `demo`).
    static func line(_ s: (story: String, editions: Int)) -> String { "\(s.story)\t\(s.editions) edition\(s.editions == 1 ? "" : "s")" }
}
