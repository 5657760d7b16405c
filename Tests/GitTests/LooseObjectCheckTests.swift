import Foundation
import Testing
import TestSupport
@testable import Git

/// A loose object cut short at any length is an error, never a hang (libgit2 1.5.1 loops forever
/// inflating one), for every read by id; a whole one reads as git wrote it.
@Suite struct LooseObjectCheckTests {
    @Test(.timeLimit(.minutes(1))) func aLooseObjectCutShortAtAnyLengthIsAnErrorForEveryRead() throws {
        let dir = TemporaryFolder()
        #expect(try git(["init", "--quiet", "--bare", dir.path]).status == 0)
        let text = String(repeating: "Việt Nam and Laos agreed to expand co-operation. ", count: 12)
        let file = dir.write("text.txt", text)
        let hex = try git(["--git-dir", dir.path, "hash-object", "-w", file]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(ObjectID(hex: hex))
        let loose = dir.path + "/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        let whole = try #require(FileManager.default.contents(atPath: loose))
        let repository = try Repository.open(at: dir.path)
        #expect(try repository.blobBytes(id) == Array(text.utf8))
        #expect(LooseObjectCheck.problem(id, objects: dir.path + "/objects") == nil)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: loose)
        for length in 0..<whole.count {
            try whole.prefix(length).write(to: URL(fileURLWithPath: loose))
            let fresh = try Repository.open(at: dir.path) // no object cached from the last round
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.blobBytes(id) }
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.verifyObject(id) }
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.kind(of: id) }
        }
        // A whole stream whose header and length disagree is named too.
        #expect(LooseObjectCheck.inflatedProblem(Self.deflated("blob 5\u{0}abc")) == "holds 3 bytes where its header says 5")
        #expect(LooseObjectCheck.inflatedProblem(Self.deflated("no header")) == "has no object header")
        #expect(LooseObjectCheck.inflatedProblem(Self.deflated("blob 3\u{0}abc")) == nil)
    }

    /// libgit2's own reads (a walk of history, an ancestry test) meet a damaged loose commit as
    /// an error too: it reads them itself, past any check of ours by id (`LooseObjectGuard`).
    @Test(.timeLimit(.minutes(1))) func aLooseCommitCutShortStopsAWalkOfHistoryWithAnError() throws {
        let dir = TemporaryFolder()
        #expect(try git(["init", "--quiet", "--bare", dir.path]).status == 0)
        let env = ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"]
        func plumbing(_ args: [String]) throws -> String {
            let r = try run("/usr/bin/git", ["--git-dir", dir.path] + args, environment: env)
            #expect(r.status == 0, "git \(args): \(r.stderr)")
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let tree = try plumbing(["mktree"])
        var chain: [String] = []
        for n in 1...3 { chain.append(try plumbing(["commit-tree", tree, "-m", "commit \(n)"] + (chain.last.map { ["-p", $0] } ?? []))) }
        let ids = try chain.map { try #require(ObjectID(hex: $0)) }
        let middle = dir.path + "/objects/" + chain[1].prefix(2) + "/" + chain[1].dropFirst(2)
        let whole = try #require(FileManager.default.contents(atPath: middle))
        var walked: [ObjectID] = []
        try Repository.open(at: dir.path).walkCommits(from: ids[2]) { walked.append($0); return true }
        #expect(walked == ids)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: middle)
        for length in 0..<whole.count {
            try whole.prefix(length).write(to: URL(fileURLWithPath: middle))
            let fresh = try Repository.open(at: dir.path)
            let named = "objects/\(chain[1].prefix(2))/\(chain[1].dropFirst(2))"
            #expect("cut to \(length) bytes", performing: { try fresh.walkCommits(from: ids[2]) { _ in true } },
                    throws: { ($0 as? GitError)?.message.contains(named) == true })
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.commitID(prefix: String(chain[1].prefix(7))) }
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.isAncestor(ids[0], of: ids[2]) }
            #expect(throws: GitError.self, "cut to \(length) bytes") { try fresh.commit(ids[1]) }
        }
        try whole.write(to: URL(fileURLWithPath: middle))
        #expect(try Repository.open(at: dir.path).isAncestor(ids[0], of: ids[2]))
    }

    static func deflated(_ text: String) -> [UInt8] {
        let deflater = Deflater(level: 6)
        return Array(text.utf8).withUnsafeBytes { deflater.compress($0) }
    }
}
