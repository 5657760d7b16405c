import Foundation
import Testing
import TestSupport

/// What a corpus must be after writers raced or were killed, as git and stemma see it.
extension CLIHarness {
    /// Texts in main's tree (each edition has one).
    func editionsInTree() throws -> Int {
        try git(["--git-dir", corpus, "ls-tree", "-r", "--name-only", "main"]).out.split(separator: "\n").filter { $0.hasSuffix(".txt") }.count
    }

    /// Editions as `stemma stories` counts them (from the derived index).
    func editionsInIndex() throws -> Int {
        let r = try ok(["stories", "--json"])
        let list = (try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [[String: Any]]) ?? []
        return list.reduce(0) { $0 + ($1["editions"] as? Int ?? 0) }
    }

    /// `git fsck --strict`'s complaints; nil when it accepts the corpus (dangling objects are fine).
    func fsckComplaint() throws -> String? {
        let r = try git(["--git-dir", corpus, "fsck", "--strict", "--no-dangling"])
        return r.status == 0 && r.stderr.isEmpty ? nil : "fsck \(r.status): \(r.out.prefix(500)) \(r.stderr.prefix(500))"
    }

    /// `stemma verify`'s complaints; nil when it accepts the corpus.
    func verifyComplaint() throws -> String? {
        let r = try stemma(["verify"])
        return r.status == 0 ? nil : "verify \(r.status): \(r.out.prefix(800)) \(r.stderr.prefix(300))"
    }

    /// Packs in objects/pack none of whose objects main reaches (what an import that gave up
    /// at a checkpoint used to leave).
    func unreferencedPacks() throws -> [String] {
        let reachable = Set(try git(["--git-dir", corpus, "rev-list", "--objects", "main"]).out.split(separator: "\n").map { String($0.prefix(40)) })
        let folder = corpus + "/objects/pack/"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".idx") }.filter { idx in
            let listed = try git(["show-index"], input: Array((FileManager.default.contents(atPath: folder + idx) ?? Data())))
            return !listed.out.split(separator: "\n").contains { reachable.contains(String($0.split(separator: " ")[1])) }
        }
    }

    /// Packs still being written, or left by a writer that died.
    func unfinishedPacks() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus + "/objects/pack")) ?? []).filter { $0.hasPrefix("tmp_") }
    }
}
