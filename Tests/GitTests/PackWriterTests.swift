import CLibGit2
import CZlib
import Foundation
import Testing
import TestSupport
@testable import Git

@Suite struct PackWriterTests {
    @Test func sha1MatchesKnownVectors() {
        func hex(_ s: String) -> String {
            var sha = SHA1()
            sha.update(Array(s.utf8))
            return sha.finish().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        #expect(hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(String(repeating: "a", count: 1_000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        // Fed in uneven pieces, the same digest.
        var sha = SHA1()
        let text = Array(String(repeating: "stemma ", count: 500).utf8)
        var i = 0
        for size in [1, 63, 64, 65, 200, 7] + Array(repeating: 500, count: 10) where i < text.count {
            let end = min(text.count, i + size)
            sha.update(Array(text[i..<end])); i = end
        }
        var whole = SHA1(); whole.update(text)
        #expect(sha.finish() == whole.finish())
    }

    /// Object ids on the bulk path come from our SHA-1: they must equal libgit2's for every
    /// kind and every length around the block boundaries.
    @Test func objectIDsMatchLibgit2() throws {
        var rng = SeededRandom(seed: 11)
        let kinds: [(ObjectKind, git_object_t)] = [(.blob, GIT_OBJECT_BLOB), (.tree, GIT_OBJECT_TREE), (.commit, GIT_OBJECT_COMMIT)]
        for length in Array(0...130) + [1_000, 4_095, 65_536, 100_003] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for (kind, type) in kinds {
                Libgit2.ensureInitialised()
                var oid = git_oid()
                bytes.withUnsafeBytes { _ = git_odb_hash(&oid, $0.baseAddress, $0.count, type) }
                #expect(SHA1.objectID(kind, bytes) == ObjectID(oid), "length \(length)")
            }
        }
    }

    /// Stored (small) and deflated inputs both come back through zlib's own inflate, with a
    /// stream reused across inputs of every size.
    @Test func deflaterOutputInflates() {
        var rng = SeededRandom(seed: 3)
        let deflater = Deflater(level: 1)
        for length in [0, 1, 100, 511, 512, 513, 4_000, 70_000, 3, 600] {
            let input = (0..<length).map { _ in UInt8(97 + rng.next() % 8) }
            let packed = deflater.compress(input)
            var size = uLong(length + 1)
            var output = [UInt8](repeating: 0, count: length + 1)
            let rc = output.withUnsafeMutableBufferPointer { o in packed.withUnsafeBufferPointer { uncompress(o.baseAddress, &size, $0.baseAddress, uLong(packed.count)) } }
            #expect(rc == Z_OK, "length \(length)")
            #expect(Array(output[..<Int(size)]) == input, "length \(length)")
        }
    }

    @Test func deltasReconstructTheirTargets() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let base = (0..<Int(rng.next() % 3000)).map { _ in UInt8(97 + rng.next() % 6) }
            var target = base
            for _ in 0..<Int(rng.next() % 6) where !target.isEmpty {
                let at = Int(rng.next() % UInt64(target.count))
                if rng.next() % 2 == 0 { target.insert(contentsOf: Array("inserted text".utf8), at: at) } else { target.remove(at: at) }
            }
            #expect(apply(PackWriter.delta(from: base, to: target), to: base) == target)
        }
    }

    /// A minimal delta applier, written from git's pack-format description, to check ours.
    func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8] {
        var i = 0
        func varint() -> Int { var n = 0, shift = 0; while true { let b = delta[i]; i += 1; n |= Int(b & 0x7F) << shift; shift += 7; if b & 0x80 == 0 { return n } } }
        _ = varint()
        let size = varint()
        var out: [UInt8] = []
        while i < delta.count {
            let op = delta[i]; i += 1
            if op & 0x80 != 0 {
                var offset = 0, length = 0
                for k in 0..<4 where op & (1 << UInt8(k)) != 0 { offset |= Int(delta[i]) << (8 * k); i += 1 }
                for k in 0..<3 where op & (0x10 << UInt8(k)) != 0 { length |= Int(delta[i]) << (8 * k); i += 1 }
                if length == 0 { length = 0x10000 }
                out += base[offset..<(offset + length)]
            } else {
                out += delta[i..<(i + Int(op))]; i += Int(op)
            }
        }
        #expect(out.count == size)
        return out
    }

    @Test func bulkWritesMakePacksGitAccepts() throws {
        let dir = TemporaryFolder()
        let path = dir.file("bulk.git")
        _ = try Repository.createBare(at: path)
        let repo = try Repository.openForBulkWrite(at: path)
        let editor = BulkTreeEditor(repository: repo, root: nil)
        let sig = Signature(name: "T", email: "t@example.invalid", time: 1_700_000_000, offsetMinutes: 420)
        var tip: ObjectID? = nil
        var previous: ObjectID? = nil
        var texts: [ObjectID: [UInt8]] = [:]
        for round in 0..<3 {
            for i in 0..<40 {
                let story = "story-\(i % 7)"
                let text = Array("Edition \(i) of \(story), round \(round). A long shared paragraph about the same events, repeated so editions delta well against each other.\n".utf8)
                let blob = try repo.writeRaw(.blob, text, deltaKey: story)
                texts[blob] = text
                let tree = try editor.upsertBlobs(in: "stories/\(story.suffix(1))/\(story)", [("e\(round)-\(i).txt", blob)])
                tip = try repo.writeCommitRaw(tree: tree, parents: tip.map { [$0] } ?? [], message: "edition \(i)\n", author: sig, committer: sig)
            }
            #expect(try editor.finishPack() > 0)
            try repo.updateReference("refs/heads/main", to: tip!, expecting: previous, message: "bulk")
            previous = tip
        }
        #expect(try git(["--git-dir", path, "fsck", "--strict"]).status == 0)
        let packs = try FileManager.default.contentsOfDirectory(atPath: path + "/objects/pack").filter { $0.hasSuffix(".idx") }
        #expect(packs.count == 3)
        for idx in packs { #expect(try git(["--git-dir", path, "verify-pack", path + "/objects/pack/" + idx]).status == 0) }
        for (id, text) in texts.prefix(10) {
            #expect(try git(["--git-dir", path, "cat-file", "blob", id.hex]).stdout == text)
        }
        #expect(try git(["--git-dir", path, "rev-list", "--count", tip!.hex]).out == "120\n")
        #expect(try git(["--git-dir", path, "log", "-1", "--format=%ci", tip!.hex]).out.hasSuffix("+0700\n"))
    }

    /// A pack spanning several batches: deltas reach back across batch boundaries, offsets keep
    /// counting, and git reads every object back.
    @Test func packsSpanningManyBatchesAreValid() throws {
        let dir = TemporaryFolder()
        let path = dir.file("many.git")
        _ = try Repository.createBare(at: path)
        let repo = try Repository.openForBulkWrite(at: path)
        var rng = SeededRandom(seed: 9)
        var written: [(ObjectID, [UInt8])] = []
        let count = PackStream.batchObjects * 2 + 123
        for i in 0..<count {
            let key = "story-\(i % 50)"
            let words = (0..<(20 + Int(rng.next() % 200))).map { _ in ["rice", "trade", "Việt Nam", "co-operation", "talks"][Int(rng.next() % 5)] }
            let text = Array("\(key) version \(i / 50): \(words.joined(separator: " "))\n".utf8)
            written.append((try repo.writeRaw(.blob, text, deltaKey: key), text))
        }
        #expect(repo.pendingObjectCount == count)
        #expect(try repo.finishPack() > 0)
        #expect(repo.pendingObjectCount == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: path + "/objects/pack")
        #expect(files.filter { $0.hasSuffix(".pack") }.count == 1)
        #expect(!files.contains { $0.hasPrefix("tmp_") })
        let idx = files.first { $0.hasSuffix(".idx") }!
        let verify = try git(["--git-dir", path, "verify-pack", "-v", path + "/objects/pack/" + idx])
        #expect(verify.status == 0)
        #expect(verify.out.contains("chain length = 1:")) // deltas were made
        for (id, text) in written.shuffled(using: &rng).prefix(200) {
            #expect(try repo.blobBytes(id) == text)
        }
    }

    /// A bulk write abandoned before `finishPack()` (an error, an interrupted import) leaves
    /// no file behind.
    @Test func abandonedPacksLeaveNothing() throws {
        let dir = TemporaryFolder()
        let path = dir.file("abandoned.git")
        _ = try Repository.createBare(at: path)
        do {
            let repo = try Repository.openForBulkWrite(at: path)
            for i in 0..<100 { try repo.writeRaw(.blob, Array("object \(i)".utf8)) }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: path + "/objects/pack")
        #expect(files.isEmpty)
    }
}
