import Foundation
import Testing
import TestSupport

/// `stemma verify` (issue 18 §4) and the index that names bad records instead of failing (§4, §5):
/// a corpus damaged the ways the issue lists, with plain git and by flipping bytes.
@Suite struct VerifyTests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    func stemma(_ args: [String]) throws -> ProcessResult {
        try run(CLITests.binary, args + ["--corpus", corpus], directory: folder.path)
    }

    /// Commits `record` (the bytes of a record file) at `path` on main with plain git plumbing.
    @discardableResult
    func gitReplace(_ path: String, with record: String) throws -> String {
        let env = ["GIT_INDEX_FILE": folder.file("git-index"), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                   "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"]
        func g(_ args: [String], _ input: String? = nil) throws -> String {
            let r = try run("/usr/bin/git", ["--git-dir", corpus] + args, environment: env, input: input.map { Array($0.utf8) })
            #expect(r.status == 0, "git \(args): \(r.stderr)")
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let blob = try g(["hash-object", "-w", "--stdin"], record)
        _ = try g(["read-tree", "main"])
        _ = try g(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(path)"])
        let tree = try g(["write-tree"])
        let commit = try g(["commit-tree", tree, "-p", "main", "-m", "Hand edit of \(path)"])
        _ = try g(["update-ref", "refs/heads/main", commit])
        return commit
    }

    func records() throws -> [String: [String: Any]] {
        let r = try run("/usr/bin/git", ["--git-dir", corpus, "ls-tree", "-r", "--name-only", "main"])
        var out: [String: [String: Any]] = [:]
        for path in r.out.split(separator: "\n") where path.hasSuffix(".json") && path.hasPrefix("stories/") {
            let bytes = try run("/usr/bin/git", ["--git-dir", corpus, "show", "main:\(path)"]).stdout
            out[String(path)] = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        }
        return out
    }

    func recordJSON(_ fields: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }

    @Test func everyKindOfDamageIsReportedWithPathAndCommit() throws {
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        // Six editions written by an import (one pack), two by commit (loose objects).
        let lines = (0..<6).map { i in
            "{\"text\": \"Story \(i) text. — VNS\\n\", \"story\": \"s\(i)\", \"source\": \"VNS\", \"date\": \"2024-01-0\(i + 1)\"}"
        }
        let manifest = folder.write("m.jsonl", lines.joined(separator: "\n") + "\n")
        let imported = try stemma(["import", manifest, "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        for i in 6..<8 {
            let file = folder.write("e\(i).txt", "Story \(i) text. — VNS\n")
            #expect(try stemma(["commit", file, "--story", "s\(i)", "--date", "2024-01-0\(i + 1)"]).status == 0)
        }
        #expect(try stemma(["verify"]).status == 0, "a sound corpus verifies")
        let byStory = Dictionary(try records().map { ($0.value["story"] as! String, (path: $0.key, fields: $0.value)) }, uniquingKeysWith: { a, _ in a })

        // Records broken in each listed way, committed with plain git.
        var wrongEdition = byStory["s0"]!.fields; wrongEdition["edition"] = String(repeating: "a", count: 40)
        var wrongBytes = byStory["s1"]!.fields; wrongBytes["bytes"] = 999
        var badDate = byStory["s2"]!.fields; badDate["date"] = "2024-02-30"
        var phantom = byStory["s3"]!.fields; phantom["derived_from"] = String(repeating: "b", count: 40)
        var commits: [String: String] = [:]
        commits["s0"] = try gitReplace(byStory["s0"]!.path, with: try recordJSON(wrongEdition))
        commits["s1"] = try gitReplace(byStory["s1"]!.path, with: try recordJSON(wrongBytes))
        commits["s2"] = try gitReplace(byStory["s2"]!.path, with: try recordJSON(badDate))
        commits["s3"] = try gitReplace(byStory["s3"]!.path, with: try recordJSON(phantom))
        commits["s4"] = try gitReplace(byStory["s4"]!.path, with: "{\"edition\": ")
        // A text changed by hand, its record left as it was.
        let s6Text = String(byStory["s6"]!.path.dropLast(5)) + ".txt"
        commits["s6"] = try gitReplace(s6Text, with: "Changed by hand. — VNS\n")

        // One unparsable record: commands name it and answer for the rest.
        let stories = try stemma(["stories"])
        #expect(stories.status == 0, "\(stories.stderr)")
        #expect(stories.stderr.contains(byStory["s4"]!.path), "\(stories.stderr)")
        #expect(stories.out.contains("s5\t1 edition") && !stories.out.contains("s4\t"), "\(stories.out)")
        #expect(try stemma(["log", "s5"]).status == 0)

        // A loose object damaged (a commit's text) and a byte of the import's pack flipped.
        let looseText = try #require(byStory["s7"]).fields["edition"] as! String
        let loose = corpus + "/objects/" + looseText.prefix(2) + "/" + looseText.dropFirst(2)
        try flipByte(in: loose, at: nil)
        // And the loose record of another commit, which the index (built above) lists.
        let s7Record = try git(["--git-dir", corpus, "rev-parse", "main:" + byStory["s7"]!.path]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try flipByte(in: corpus + "/objects/" + s7Record.prefix(2) + "/" + s7Record.dropFirst(2), at: nil)
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: corpus + "/objects/pack").first { $0.hasSuffix(".pack") })
        // Inside the deflated data of one text in the pack (git verify-pack gives its offset and size).
        let packedText = try #require(byStory["s5"]).fields["edition"] as! String
        let listing = try git(["verify-pack", "-v", corpus + "/objects/pack/" + pack]).out
        let entry = try #require(listing.split(separator: "\n").first { $0.hasPrefix(packedText) }?.split(separator: " ", omittingEmptySubsequences: true))
        let (inPack, offset) = (Int(entry[3])!, Int(entry[4])!)
        try flipByte(in: corpus + "/objects/pack/" + pack, at: offset + inPack / 2 + 1)
        let r = try stemma(["verify", "--json"])
        #expect(r.status == 1, "\(r.out) \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [String: Any])
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(report["ok"] as? Bool == false)
        func found(_ path: String, _ words: String, commit: String? = nil) -> Bool {
            problems.contains { p in
                (p["path"] as? String) == path && (p["message"] as? String ?? "").contains(words)
                    && (commit == nil || p["commit"] as? String == commit)
            }
        }
        #expect(found(byStory["s0"]!.path, "does not match the file name", commit: commits["s0"]), "\(problems)")
        #expect(found(byStory["s1"]!.path, "bytes says 999", commit: commits["s1"]), "\(problems)")
        #expect(found(byStory["s2"]!.path, "not a real date", commit: commits["s2"]), "\(problems)")
        #expect(found(byStory["s3"]!.path, "not an edition of this corpus", commit: commits["s3"]), "\(problems)")
        #expect(found(byStory["s4"]!.path, "cannot be read", commit: commits["s4"]), "\(problems)")
        #expect(found(s6Text, "not the edition id", commit: commits["s6"]), "\(problems)")
        #expect(found("objects/pack/" + pack, "checksum"), "\(problems)")
        for damaged in [looseText, packedText] {
            #expect(problems.contains { ($0["path"] as? String ?? "").hasSuffix("VNS.\(damaged).txt") && $0["kind"] as? String == "object"
                && $0["commit"] is String }, "\(problems)")
        }
        #expect(found(byStory["s7"]!.path, "cannot be read back"), "\(problems)")
        // Every damaged record is still on main: the index listing it is no second problem.
        #expect(!problems.contains { ($0["message"] as? String ?? "").contains("not on main") }, "\(problems)")
        // The text form: one line a problem, the count on stderr.
        let text = try stemma(["verify"])
        #expect(text.status == 1 && text.stderr.contains("problems found"))
        #expect(text.out.split(separator: "\n").count == problems.count)
    }

    @Test func aCycleOfDerivationIsReported() throws {
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        let a = folder.write("a.txt", "First text. — VNA\n"), b = folder.write("b.txt", "Second text. — VNS\n")
        #expect(try stemma(["commit", a, "--story", "loop", "--date", "2024-01-01"]).status == 0)
        #expect(try stemma(["commit", b, "--story", "loop", "--date", "2024-01-02", "--derived-from", "loop:VNA"]).status == 0)
        let all = try records()
        let first = try #require(all.first { $0.value["source"] as? String == "VNA" })
        let second = try #require(all.first { $0.value["source"] as? String == "VNS" })
        var looped = first.value; looped["derived_from"] = second.value["edition"]
        try gitReplace(first.key, with: try recordJSON(looped))
        let r = try stemma(["verify"])
        #expect(r.status == 1 && r.out.contains("cycle"), "\(r.out)")
    }

    @Test func theIndexHealsAndNeverDeletesAFolder() throws {
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        let file = folder.write("a.txt", "Text. — VNA\n")
        #expect(try stemma(["commit", file, "--story", "heal", "--date", "2024-01-01"]).status == 0)
        let index = corpus + "/stemma-index.sqlite"
        #expect(try stemma(["stories"]).out == "heal\t1 edition\n")
        // Damaged mid-file: rebuilt without being asked.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int)
        let handle = try #require(FileHandle(forUpdatingAtPath: index))
        try handle.seek(toOffset: UInt64(size / 2))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: min(4096, size / 2)))
        try handle.close()
        let healed = try stemma(["stories"])
        #expect(healed.status == 0 && healed.out == "heal\t1 edition\n", "\(healed.stderr)")
        #expect(try stemma(["verify"]).status == 0)
        // A folder where the index goes: refused, and everything in it kept.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: index + suffix) }
        folder.write("corpus/stemma-index.sqlite/keep.txt", "precious")
        let refused = try stemma(["stories"])
        #expect(refused.status == 2 && refused.stderr.contains("not a file"), "\(refused.stderr)")
        #expect(FileManager.default.contents(atPath: index + "/keep.txt") == Data("precious".utf8))
    }

    /// A commit's loose file cut short (a crash mid-write, a disk that filled): every command that
    /// walks history (rebuilding the index, `log`, `verify`) says which file, never hangs.
    @Test(.timeLimit(.minutes(1))) func aLooseCommitCutShortIsNamedByEveryWalkOfHistory() throws {
        #expect(try run(CLITests.binary, ["init", corpus]).status == 0)
        let a = folder.write("a.txt", "First text. — VNA\n"), b = folder.write("b.txt", "Second text. — VNS\n")
        #expect(try stemma(["commit", a, "--story", "cut", "--date", "2024-01-01"]).status == 0)
        #expect(try stemma(["commit", b, "--story", "cut", "--date", "2024-01-02"]).status == 0)
        let first = try run("/usr/bin/git", ["--git-dir", corpus, "rev-parse", "main~1"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let loose = corpus + "/objects/" + first.prefix(2) + "/" + first.dropFirst(2)
        let whole = try #require(FileManager.default.contents(atPath: loose))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: loose)
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: loose))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: corpus + "/stemma-index.sqlite" + suffix) }
        let named = "objects/\(first.prefix(2))/\(first.dropFirst(2))"
        for command in [["log"], ["stories"], ["log", "cut"]] {
            let r = try stemma(command)
            #expect(r.status == 2 && r.stderr.contains(named) && r.stderr.split(separator: "\n").count == 1, "\(command): \(r.stderr)")
        }
        let verified = try stemma(["verify"])
        #expect(verified.status == 1 && verified.out.contains("history") && verified.out.contains(named), "\(verified.out)")
    }

    /// Inverts one byte of `file` (the middle when `offset` is nil), making it writable first.
    func flipByte(in file: String, at offset: Int?) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: file)))
        let at = offset ?? bytes.count / 2
        bytes[at] ^= 0xFF
        #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
    }
}
