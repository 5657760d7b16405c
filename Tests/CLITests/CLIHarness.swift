import Foundation
import Testing
import TestSupport

/// A temporary folder with a corpus in it, and the built `stemma` binary to run there, for the
/// import/commit/rm tests. `STEMMA_TEST_BINARY` runs them against another build (say, main's,
/// to see that they fail there).
final class CLIHarness {
    static let binary = ProcessInfo.processInfo.environment["STEMMA_TEST_BINARY"] ?? CLITests.binary

    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    init(corpus: Bool = true) throws {
        if corpus { #expect(try stemma(["init", self.corpus]).status == 0) }
    }

    /// Runs stemma in `dir` (default: the folder) with `--corpus` added after the subcommand.
    @discardableResult
    func stemma(_ args: [String], input: [UInt8]? = nil, in dir: String? = nil, withCorpus: Bool = true) throws -> ProcessResult {
        let full = withCorpus && args.first != "init" ? args + ["--corpus", corpus] : args
        return try run(Self.binary, full, directory: dir ?? folder.path, input: input)
    }

    /// Runs stemma and expects it to succeed.
    @discardableResult
    func ok(_ args: [String], input: [UInt8]? = nil, in dir: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let r = try stemma(args, input: input, in: dir)
        #expect(r.status == 0, "stemma \(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// Writes a text file (relative to the folder) and returns its path.
    @discardableResult
    func text(_ name: String, _ body: String) -> String { folder.write(name, body) }

    /// A manifest of the given JSON objects, one a line.
    @discardableResult
    func manifest(_ name: String, _ lines: [[String: Any]]) throws -> String {
        let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            .joined(separator: "\n") + "\n"
        return folder.write(name, text)
    }

    /// `stemma log STORY --json`, parsed.
    func log(_ story: String) throws -> [[String: Any]] {
        let r = try ok(["log", story, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [[String: Any]]) ?? []
    }

    /// Another corpus clones `url`, records one edition and pushes it first: this corpus's next
    /// push is then not a fast-forward.
    func anotherClonePushesFirst(_ url: String, text: String, story: String, source: String, date: String) throws {
        let other = folder.file("other")
        #expect(try run(Self.binary, ["clone", url, other]).status == 0)
        #expect(try run(Self.binary, ["commit", self.text("other-\(source).txt", text), "--story", story, "--source", source,
                                      "--date", date, "--corpus", other]).status == 0)
        #expect(try run(Self.binary, ["push", "--corpus", other]).status == 0)
    }

    /// Refs and objects: what must not change when a command is refused.
    func state() throws -> String {
        try git(["--git-dir", corpus, "for-each-ref", "--format=%(objectname) %(refname)"]).out
            + git(["--git-dir", corpus, "count-objects", "-v"]).out
    }

    func commitCount() throws -> Int {
        Int(try git(["--git-dir", corpus, "rev-list", "--count", "main"]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The edition id `commit` printed.
    static func edition(_ r: ProcessResult) -> String {
        String(r.out.split(separator: "\n").first?.split(separator: " ").dropFirst().first ?? "")
    }

    static func commitID(_ r: ProcessResult) -> String {
        String(r.out.split(separator: "\n").first { $0.hasPrefix("commit") }?.split(separator: " ").last ?? "")
    }
}
