import Foundation
import Testing
import TestSupport
@testable import Git

@Suite struct GitLayerTests {
    @Test func blobIDsMatchGitHashObject() throws {
        let dir = TemporaryFolder()
        let samples: [[UInt8]] = [[], Array("hello\n".utf8), [0xEF, 0xBB, 0xBF] + Array("BOM\r\nCRLF".utf8), Array("Việt Nam".utf8)]
        for (i, bytes) in samples.enumerated() {
            let path = dir.write("f\(i)", bytes)
            let expected = try git(["hash-object", path]).out.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try Repository.blobID(of: bytes).hex == expected)
        }
    }

    @Test func objectIDRoundTripsThroughHex() throws {
        let hex = "b08dbce982998bc69e0fe68fb9bc8c00d2464cca"
        let id = try #require(ObjectID(hex: hex))
        #expect(id.hex == hex)
        #expect(ObjectID(hex: "B08DBCE982998BC69E0FE68FB9BC8C00D2464CCA") == id)
        #expect(ObjectID(hex: "xyz") == nil)
        #expect(ObjectID(hex: String(hex.dropLast())) == nil)
        #expect(ObjectID(bytes: id.bytes) == id)
    }

    @Test func openingANonRepositoryIsATypedError() throws {
        let dir = TemporaryFolder()
        do {
            _ = try Repository.open(at: dir.path)
            Issue.record("opened a folder that is no repository")
        } catch let error as GitError {
            #expect(error.isNotFound)
            #expect(!error.message.isEmpty)
            #expect(error.operation.contains("git_repository_open"))
        }
    }

    @Test func blobsTreesCommitsAndReferences() throws {
        let dir = TemporaryFolder()
        let repo = try Repository.createBare(at: dir.file("r.git"))
        #expect(repo.isBare)
        let blob = try repo.writeBlob(Array("text".utf8))
        #expect(try repo.blobBytes(blob) == Array("text".utf8))
        #expect(try repo.kind(of: blob) == .blob)
        let tree = try repo.updateTree(nil, [TreeUpdate(path: "a/b/c.txt", action: .upsertBlob(blob))])
        #expect(try repo.treeEntry(in: tree, path: "a/b/c.txt")?.id == blob)
        #expect(try repo.treeEntry(in: tree, path: "a/missing") == nil)
        let sig = Signature(name: "T", email: "t@example.invalid", time: 1_700_000_000)
        let first = try repo.createCommit(tree: tree, parents: [], message: "one\n", author: sig, committer: sig)
        try repo.updateReference("refs/heads/main", to: first, expecting: nil, message: "test")
        #expect(try repo.referenceTarget("refs/heads/main") == first)

        let blob2 = try repo.writeBlob(Array("more".utf8))
        let tree2 = try repo.updateTree(tree, [TreeUpdate(path: "a/d.txt", action: .upsertBlob(blob2))])
        let deltas = try repo.diffTrees(tree, tree2)
        #expect(deltas == [TreeDelta(status: .added, path: "a/d.txt", oldID: nil, newID: blob2)])
        let second = try repo.createCommit(tree: tree2, parents: [first], message: "two\n", author: sig, committer: sig)
        #expect(try repo.commit(second).parents == [first])
        #expect(try repo.commit(second).message == "two\n")

        // Compare-and-swap: moving main from a stale value fails with isModified.
        try repo.updateReference("refs/heads/main", to: second, expecting: first, message: "test")
        do {
            try repo.updateReference("refs/heads/main", to: first, expecting: first, message: "stale")
            Issue.record("a stale compare-and-swap succeeded")
        } catch let error as GitError {
            #expect(error.isModified)
        }
        // Creating a reference that exists fails with isExists.
        do {
            try repo.updateReference("refs/heads/main", to: first, expecting: nil, message: "create")
            Issue.record("created an existing reference")
        } catch let error as GitError {
            #expect(error.isExists)
        }
        var walked: [ObjectID] = []
        try repo.walkCommits(from: second) { walked.append($0); return true }
        #expect(walked == [first, second])
        #expect(try repo.isAncestor(first, of: second))
        #expect(try !repo.isAncestor(second, of: first))
        #expect(try git(["--git-dir", repo.path, "fsck", "--strict"]).status == 0)
    }
}
