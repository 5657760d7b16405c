import Foundation
import Testing
import TestSupport
@testable import Git

/// `ReferenceLock` is git's own lock file: while it is held no one (libgit2 nor git) moves the
/// reference; moving through it is one step; letting it go unmoved changes nothing.
@Suite struct ReferenceLockTests {
    @Test func aHeldLockKeepsOthersOffAndMovesOnce() throws {
        let dir = TemporaryFolder()
        let repo = try Repository.createBare(at: dir.file("r.git"))
        let sig = Signature(name: "T", email: "t@example.invalid", time: 1_700_000_000)
        let tree = try repo.updateTree(nil, [TreeUpdate(path: "a.txt", action: .upsertBlob(try repo.writeBlob(Array("a".utf8))))])
        let first = try repo.createCommit(tree: tree, parents: [], message: "one\n", author: sig, committer: sig)
        let second = try repo.createCommit(tree: tree, parents: [first], message: "two\n", author: sig, committer: sig)
        try repo.updateReference("refs/heads/main", to: first, expecting: nil, message: "test")
        let lockFile = dir.file("r.git/refs/heads/main.lock")

        do {
            let lock = try repo.lockReference("refs/heads/main")
            #expect(FileManager.default.fileExists(atPath: lockFile))
            // Another handle (as another process would) finds the lock taken.
            let other = try Repository.open(at: dir.file("r.git"))
            do {
                try other.updateReference("refs/heads/main", to: second, expecting: first, message: "race")
                Issue.record("moved a locked reference")
            } catch let error as GitError { #expect(error.isLocked) }
            do {
                _ = try other.lockReference("refs/heads/main")
                Issue.record("locked a locked reference")
            } catch let error as GitError { #expect(error.isLocked) }
            #expect(try git(["--git-dir", dir.file("r.git"), "update-ref", "refs/heads/main", second.hex]).status != 0)
            try lock.move(to: second, message: "test")
        }
        #expect(try repo.referenceTarget("refs/heads/main") == second)
        #expect(!FileManager.default.fileExists(atPath: lockFile))

        // Let go without moving: the reference stays, the lock file goes.
        do { _ = try repo.lockReference("refs/heads/main") }
        #expect(!FileManager.default.fileExists(atPath: lockFile))
        #expect(try repo.referenceTarget("refs/heads/main") == second)
    }
}
