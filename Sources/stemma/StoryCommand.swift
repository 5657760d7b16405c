import ArgumentParser
import Stemma

struct StoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "story", abstract: "placeholder")
    func run() throws {}
}
