import ArgumentParser
import Foundation

/// When to colour output, as git's `--color`.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case auto, always, never
}

/// `--color=auto|always|never`, shared by every command that colours (pull it in with `@OptionGroup`).
struct ColorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Colour the output: auto (when standard output is a terminal, NO_COLOR is unset and TERM is not dumb), always or never.",
                               valueName: "when"))
    var color: ColorChoice = .auto

    /// Whether to colour what goes to standard output.
    var enabled: Bool { Self.enabled(color, environment: ProcessInfo.processInfo.environment, terminal: isatty(STDOUT_FILENO) == 1) }

    /// The rule behind `enabled`: https://no-color.org for NO_COLOR (set and non-empty), and, as git
    /// does, no colour for a TERM that is unset or `dumb`.
    static func enabled(_ choice: ColorChoice, environment: [String: String], terminal: Bool) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            let term = environment["TERM"] ?? ""
            return terminal && (environment["NO_COLOR"] ?? "").isEmpty && !term.isEmpty && term != "dumb"
        }
    }
}
