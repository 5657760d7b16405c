import Foundation

/// Options that go before the command, as in git: `stemma -C DIR --corpus PATH log STORY`.
///
/// swift-argument-parser only parses a command's own options after its name, so these are taken
/// off the front of the command line before it parses the rest. They apply in order: `-C` changes
/// folder at once, so a relative path after it is read from the new folder.
enum GlobalOptions {
    /// `--corpus` given before the command; a command's own `--corpus` wins over it.
    nonisolated(unsafe) static var corpus: String?

    static let help = """
        Global options, before the command: -C DIR runs as if stemma had been started in DIR \
        (repeatable; each is relative to the one before); --corpus PATH names the corpus for any command.
        """

    /// `arguments` (without the program name) with the leading global options applied and removed.
    static func consume(_ arguments: [String]) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first {
            if first == "-C" || first == "--corpus" {
                guard rest.count >= 2 else { throw GlobalOptionError("option \(first) needs a value") }
                try apply(first, rest[rest.index(after: rest.startIndex)])
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("-C") {
                try apply("-C", String(first.dropFirst(2)))
                rest = rest.dropFirst()
            } else if first.hasPrefix("--corpus=") {
                try apply("--corpus", String(first.dropFirst("--corpus=".count)))
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        return Array(rest)
    }

    private static func apply(_ option: String, _ value: String) throws {
        if option == "--corpus" { corpus = value; return }
        guard !value.isEmpty else { return } // git ignores `-C ""`
        // A relative --corpus given before this -C keeps naming the folder it named.
        if let given = corpus, !given.hasPrefix("/") { corpus = FileManager.default.currentDirectoryPath + "/" + given }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.changeCurrentDirectoryPath(value) else {
            throw GlobalOptionError("cannot change to '\(value)': no such folder")
        }
    }
}

struct GlobalOptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
