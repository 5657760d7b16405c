import Foundation
import Testing
import TestSupport
import JSON
@testable import Stemma

/// The index rebuild's own readers (issue 18 §5): the record JSON reader, the record path parser
/// and the commit attribution that reads a tree only for records written more than once.
@Suite struct IndexRebuildTests {
    /// Documents Foundation accepts and refuses; `JSONReader` must agree on every one, and read
    /// the same strings and numbers.
    static let documents: [String] = [
        #"{"edition": "abc", "story": "s", "source": "VNA", "date": "2024-01-02", "bytes": 12}"#,
        #"  {"a":"x\"y\\z\/w\b\f\n\r\t","b":-0.5e+3,"c":[1,2,{"d":null}],"e":true,"f":false}  "#,
        #"{"é": "Việt Nam — \u00e9\u20ac\ud83d\ude00", "n": 12345678901234, "z": 0, "m": -7}"#,
        #"{"dup": "first", "dup": "last"}"#, "{}", "[]", #"{"a":{}}"#, #"{"x":1E2,"y":0.25}"#,
        #"{"a": "x",}"#, #"{"a" "x"}"#, #"{"a": 01}"#, #"{"a": 1.}"#, #"{"a": .5}"#, #"{"a": +1}"#, "{\"a\": \"tab\tin\"}",
        #"{"a": "\ud800"}"#, #"{"a": "\udc00"}"#, #"{"a": "\x"}"#, #"{"a": "\u12"}"#, #"{"a": "open}"#, #"{"a": tru}"#,
        #"{"a": 1} x"#, #"{'a': 1}"#, "", "   ", #"{"a":[1,]}"#, #"{"a":[,]}"#, #"{,}"#, #"{"a":1,,}"#, #"{"a":[1 2]}"#, "{\"a\": \"\u{0}\"}",
    ]

    @Test(arguments: documents) func readerAgreesWithFoundation(_ text: String) throws {
        let bytes = Array(text.utf8)
        let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        let ours = JSONReader.parse(bytes)
        #expect((ours == nil) == (foundation == nil), "\(text): ours \(String(describing: ours)), Foundation \(String(describing: foundation))")
        guard let object = foundation as? [String: Any], let ours else { return }
        for (key, value) in object {
            switch value {
            case let s as String: #expect(ours.field(key)?.stringValue == s, "\(text): \(key)")
            case let n as NSNumber where !(value is Bool):
                switch ours.field(key) {
                case .int(let i)?: #expect(Double(i) == n.doubleValue, "\(text): \(key)")
                case .double(let d)?: #expect(d == n.doubleValue, "\(text): \(key)")
                default: Issue.record("\(text): \(key) should be a number")
                }
            default: break
            }
        }
    }

    @Test func readerRefusesBadUTF8AndDeepNesting() {
        #expect(JSONReader.parse(Array(#"{"a": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)) == nil)
        #expect(JSONReader.parse(Array(String(repeating: "[", count: 100_000).utf8)) == nil)
        #expect(JSONReader.parse(Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)) != nil)
    }

    @Test func recordPathsParseAsTheLayoutWritesThem() {
        let edition = String(repeating: "ab", count: 20)
        let written = CorpusLayout.recordPath(story: "rice-talks", source: "VNA", edition: edition)
        #expect(CorpusLayout.parseRecordPath(written)! == ("rice-talks", "VNA", edition))
        #expect(CorpusLayout.parseRecordPath("stories/1/2/3/s/VNS.\(edition).json")! == ("s", "VNS", edition))
        #expect(CorpusLayout.parseRecordPath("stories/1/2/3/s/X.Y.\(edition).json") == nil, "the source ends at the first dot")
        for path in ["stories/1/2/3/s/VNA.\(edition).txt", "stories/1/2/s/VNA.\(edition).json", "stories/1/2/3/4/s/VNA.\(edition).json",
                     "other/1/2/3/s/VNA.\(edition).json", "stories/1/2/3/s/VNA.\(edition.dropLast()).json", "stemma.json", ""] {
            #expect(CorpusLayout.parseRecordPath(path) == nil, "\(path)")
        }
    }

    /// Records written once, updated, removed and added again, and edited by plain git: after a
    /// rebuild, each row names the commit git's own history gives for its record file.
    @Test func rebuiltRowsNameTheCommitsGitShows() throws {
        let f = try Fixture()
        let once = try f.commit("Written once.")
        let updated = try f.commit("Updated later.", source: "VNS")
        try f.commit("Updated later.", source: "VNS", title: "A title now")
        let readded = try f.commit("Removed and added again.", source: "TT")
        _ = try f.corpus.remove(readded.edition)
        try f.commit("Removed and added again.", source: "TT")
        let plain = try f.commit("Edited with plain git.", source: "AFP")
        try f.commit("Another edition.", source: "XYZ")
        let path = CorpusLayout.recordPath(story: "story-one", source: "AFP", edition: plain.edition)
        try editWithPlainGit(f.path, path: path, title: "Set by git")

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f.path + "/" + CorpusIndex.fileName + suffix) }
        let rows = try Corpus.open(at: f.path).log(story: "story-one")
        #expect(rows.count == 5)
        for row in rows {
            let file = CorpusLayout.recordPath(story: row.metadata.story, source: row.metadata.source, edition: row.edition)
            let history = try git(["--git-dir", f.path, "log", "--reverse", "--format=%H", "main", "--", file]).out.split(separator: "\n").map(String.init)
            #expect(row.commit == history.last, "\(row.metadata.source): the last commit that wrote its record")
            #expect(row.firstCommit == history.first, "\(row.metadata.source): the first commit that added it")
        }
        #expect(rows.first { $0.edition == plain.edition }?.metadata.title == "Set by git")
        #expect(Set(rows.map(\.edition)).isSuperset(of: [once.edition, updated.edition, readded.edition]))
    }

    /// Rewrites the record at `path` on main with a new title, as a plain git commit (no trailers).
    private func editWithPlainGit(_ repository: String, path: String, title: String) throws {
        let old = try git(["--git-dir", repository, "show", "main:\(path)"]).out
        let record = old.replacingOccurrences(of: "\"date\"", with: "\"title\": \"\(title)\",\n  \"date\"")
        let blob = try git(["--git-dir", repository, "hash-object", "-w", "--stdin"], input: Array(record.utf8)).out.trimmingCharacters(in: .newlines)
        let index = repository + "/plain-index"
        let env = "GIT_INDEX_FILE=\(index)"
        func gitWithIndex(_ args: [String]) throws -> ProcessResult {
            try run("/usr/bin/env", [env, "git", "--git-dir", repository] + args)
        }
        #expect(try gitWithIndex(["read-tree", "main"]).status == 0)
        #expect(try gitWithIndex(["update-index", "--cacheinfo", "100644,\(blob),\(path)"]).status == 0)
        let tree = try gitWithIndex(["write-tree"]).out.trimmingCharacters(in: .newlines)
        let commit = try git(["--git-dir", repository, "-c", "user.name=T", "-c", "user.email=t@example.org",
                              "commit-tree", tree, "-p", "main", "-m", "retitle by hand"]).out.trimmingCharacters(in: .newlines)
        #expect(try git(["--git-dir", repository, "update-ref", "refs/heads/main", commit]).status == 0)
        try? FileManager.default.removeItem(atPath: index)
    }
}
