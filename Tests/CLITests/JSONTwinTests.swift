import Foundation
import Testing
import TestSupport

/// The `--json` twins of `clone`, `fetch` and `hooks list` (docs/CLI.md), each figure checked
/// against what plain git and the file system say.
@Suite struct JSONTwinTests {
    let folder = TemporaryFolder()

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult {
        let r = try run(CLITests.binary, args, directory: folder.path)
        #expect(r.status == 0, "stemma \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    func object(_ r: ProcessResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
    }

    func head(_ repository: String) throws -> String {
        try git(["--git-dir", repository, "rev-parse", "main"]).out.trimmingCharacters(in: .newlines)
    }

    func commit(_ corpus: String, _ text: String, source: String) throws {
        try stemma(["commit", folder.write("in-\(UUID().uuidString).txt", text), "--story", "rice-talks",
                    "--source", source, "--date", "2024-03-12", "--corpus", corpus])
    }

    @Test func cloneAndFetchSayWhatTheyGot() throws {
        let origin = folder.file("origin")
        try stemma(["init", origin])
        try commit(origin, "Hanoi (VNA) – Rice exports rose.\n", source: "VNA")

        let cloned = try object(try stemma(["clone", origin, "copy", "--json"]))
        #expect(cloned["url"] as? String == origin)
        #expect(cloned["path"] as? String == "copy")
        #expect(cloned["main"] as? String == (try head(origin)))
        #expect(try head(folder.file("copy")) == (try head(origin)))

        let copy = folder.file("copy")
        let unchanged = try object(try stemma(["fetch", "--json", "--corpus", copy]))
        #expect(unchanged["remote"] as? String == "origin")
        #expect(unchanged["before"] as? String == (try head(origin)))
        #expect(unchanged["after"] as? String == (try head(origin)))
        #expect(unchanged["commits"] as? Int == 0)

        let before = try head(origin)
        try commit(origin, "Rice exports rose by 3 per cent. — VNS\n", source: "VNS")
        try commit(origin, "Rice exports rose by 4 per cent. — VNS\n", source: "VNT")
        let fetched = try object(try stemma(["fetch", "origin", "--json", "--corpus", copy]))
        #expect(fetched["before"] as? String == before)
        #expect(fetched["after"] as? String == (try head(origin)))
        #expect(fetched["commits"] as? Int == 2)
        #expect(try head(copy) == before, "fetch leaves main alone")
    }

    @Test func hooksListSaysWhichAreInstalled() throws {
        let corpus = folder.file("corpus")
        try stemma(["init", corpus])
        try stemma(["hooks", "install", "pre-commit", "--corpus", corpus])
        let r = try stemma(["hooks", "list", "--json", "--corpus", corpus])
        let hooks = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]] ?? []
        let text = try stemma(["hooks", "list", "--corpus", corpus]).out
        #expect(hooks.count == text.split(separator: "\n").count)
        for hook in hooks {
            let name = hook["name"] as? String ?? "?"
            let installed = hook["installed"] as? Bool
            #expect(installed == (name == "pre-commit"), "\(name)")
            if installed == true {
                let path = hook["path"] as? String ?? ""
                #expect(FileManager.default.isExecutableFile(atPath: path), "\(path)")
            } else {
                #expect(hook["path"] is NSNull)
            }
        }
    }
}
