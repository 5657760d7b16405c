import Foundation
import Testing
import TestSupport
@testable import Git

/// The `.idx` reader and the pack that reuses stored entries (issue 18: push at git's speed),
/// on packs git itself wrote (`git repack -adf` stores OFS deltas) and on a mix of packs and
/// loose objects; every pack written is checked by git's own `index-pack --strict` and `fsck`.
@Suite struct ReusingPackTests {
    let folder = TemporaryFolder()

    /// A repository with `commits` commits editing a few growing files (so git finds deltas).
    func history(_ name: String, commits: Range<Int>, into existing: String? = nil,
                 lines: (Int, Int) -> Int = { commit, file in commit + file }) throws -> String {
        let work = existing ?? folder.file(name)
        if existing == nil { #expect(try git(["init", "--quiet", "--initial-branch=main", work]).status == 0) }
        for i in commits {
            for f in 0..<3 {
                let lines = (0...lines(i, f)).map { "line \($0) of file \(f): the ministry said exports rose by \($0 * 7 % 13) per cent" }
                _ = folder.write("\(name)-\(f).tmp", lines.joined(separator: "\n") + "\n")
                try FileManager.default.createDirectory(atPath: work + "/dir\(f % 2)", withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: work + "/dir\(f % 2)/file\(f).txt")
                try FileManager.default.copyItem(atPath: folder.file("\(name)-\(f).tmp"), toPath: work + "/dir\(f % 2)/file\(f).txt")
            }
            if i % 4 == 3 { try? FileManager.default.removeItem(atPath: work + "/dir1/file1.txt") }
            #expect(try git(["-C", work, "add", "-A"]).status == 0)
            #expect(try git(["-C", work, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "c\(i)"]).status == 0)
        }
        return work
    }

    func rev(_ work: String, _ name: String) throws -> ObjectID {
        try #require(ObjectID(hex: try git(["-C", work, "rev-parse", name]).out.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// `git rev-list --objects` of `tip` not reachable from `hiding`, as ids.
    func revList(_ work: String, _ tip: String, not hiding: [String] = []) throws -> Set<String> {
        let out = try git(["-C", work, "rev-list", "--objects", tip] + hiding.map { "^" + $0 }).out
        return Set(out.split(separator: "\n").map { String($0.prefix(40)) })
    }

    /// Writes the pack of `ids` and has git index it into an empty repository, which must then
    /// hold exactly what `tip` needs beyond `base` (a repository that already has `hiding`).
    func sendAndCheck(_ repository: Repository, _ ids: [ObjectID], tip: ObjectID, receiver: String) throws -> ReusingPackWriter.Summary {
        let packFile = folder.file("out-\(UUID().uuidString).pack")
        _ = FileManager.default.createFile(atPath: packFile, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: packFile))
        let summary = try ReusingPackWriter(repository: repository).write(ids, to: { handle.write(Data($0)) })
        try handle.close()
        #expect(summary.objects == ids.count)
        #expect(summary.bytes == (try FileManager.default.attributesOfItem(atPath: packFile)[.size] as? Int))
        let indexed = try run("/bin/sh", ["-c", "git --git-dir '\(receiver)' index-pack --strict --stdin < '\(packFile)'"])
        #expect(indexed.status == 0, "index-pack: \(indexed.stderr)")
        #expect(try git(["--git-dir", receiver, "update-ref", "refs/heads/main", tip.hex]).status == 0)
        let fsck = try git(["--git-dir", receiver, "fsck", "--strict", "--no-dangling"])
        #expect(fsck.status == 0, "fsck: \(fsck.out) \(fsck.stderr)")
        return summary
    }

    func bareReceiver(_ name: String) throws -> String {
        let path = folder.file(name)
        #expect(try git(["init", "--quiet", "--bare", path]).status == 0)
        return path
    }

    /// Entry headers and OFS distances as written read back as they were, at every length of
    /// their encodings (git's vectors: 127 is one byte, 128 is 0x80 0x00).
    @Test func headersAndDistancesReadBack() throws {
        #expect(PackWriter.offsetEncoding(127) == [0x7F])
        #expect(PackWriter.offsetEncoding(128) == [0x80, 0x00])
        #expect(PackWriter.header(type: 3, size: 15) == [0x3F])
        #expect(PackWriter.header(type: 3, size: 16) == [0xB0, 0x01])
        for value in [1, 2, 15, 16, 127, 128, 129, 16_511, 16_512, 2_113_663, 2_113_664, 1 << 31, (1 << 40) + 12_345] {
            let bytes = PackWriter.header(type: 6, size: value) + PackWriter.offsetEncoding(value) + [0x78, 0x01]
            let entry = try bytes.withUnsafeBytes { try #require(StoredEntry($0)) }
            #expect(entry.type == 6 && entry.size == value && entry.base == .offsetDelta(value), "\(value)")
            #expect(entry.dataStart == bytes.count - 2)
        }
    }

    @Test func theIndexReaderAgreesWithVerifyPack() throws {
        let work = try history("w", commits: 0..<12)
        #expect(try git(["-C", work, "repack", "-adf", "--quiet"]).status == 0)
        let packs = PackIndex.all(in: work + "/.git/objects/pack")
        try #require(packs.count == 1)
        let pack = packs[0]
        let listing = try git(["verify-pack", "-v", String(pack.packPath.dropLast(5)) + ".idx"]).out
        var checked = 0, deltas = 0
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, let id = ObjectID(hex: fields[0]), let offset = Int(fields[4]), let stored = Int(fields[3]) else { continue }
            let position = try #require(pack.position(of: id))
            #expect(pack.id(at: position) == id)
            #expect(pack.offset(at: position) == offset)
            let entry = try #require(pack.entry(at: position))
            #expect(entry.bytes.count == stored, "entry length of \(id)")
            if fields.count >= 7 {
                deltas += 1
                #expect(entry.isDelta && entry.baseID == ObjectID(hex: fields[6]), "base of \(id)")
            } else {
                #expect(!entry.isDelta && Int(fields[2]) == entry.size)
            }
            checked += 1
        }
        #expect(checked == pack.count && checked > 40)
        #expect(deltas > 10, "git stored deltas: \(deltas)")
        // An id the pack lacks.
        #expect(pack.position(of: ObjectID(bytes: [UInt8](repeating: 0xAB, count: 20))) == nil)
    }

    @Test func aFirstPushCopiesGitsDeltasAndIndexPackAcceptsIt() throws {
        let work = try history("w", commits: 0..<12)
        #expect(try git(["-C", work, "repack", "-adf", "--quiet"]).status == 0)
        let repository = try Repository.open(at: work + "/.git")
        let tip = try rev(work, "main")
        let ids = try repository.objectsToSend(tip: tip, hiding: [])
        #expect(Set(ids.map(\.hex)) == (try revList(work, "main")))
        #expect(Set(ids).count == ids.count)
        let summary = try sendAndCheck(repository, ids, tip: tip, receiver: try bareReceiver("r.git"))
        #expect(summary.deflated == 0, "everything is in one pack and sent: nothing to rebuild")
        #expect(summary.copiedDeltas > 10)
        #expect(try revList(folder.file("r.git"), "main") == revList(work, "main"))
    }

    @Test func anIncrementalPushSendsWholeWhatDeltasOnTheRemote() throws {
        // Files that shrink after the first push: git stores the new, smaller versions as deltas
        // against the old ones, which the remote has and the pack does not carry.
        let shrinking: (Int, Int) -> Int = { i, f in i < 8 ? 40 + i + f : 40 - i + f }
        let work = try history("w", commits: 0..<8, lines: shrinking)
        let receiver = try bareReceiver("r.git")
        #expect(try git(["-C", work, "push", "--quiet", receiver, "main"]).status == 0)
        let old = try rev(work, "main")
        _ = try history("w", commits: 8..<14, into: work, lines: shrinking)
        #expect(try git(["-C", work, "repack", "-adf", "--quiet"]).status == 0)
        let repository = try Repository.open(at: work + "/.git")
        let tip = try rev(work, "main")
        let ids = try repository.objectsToSend(tip: tip, hiding: [old])
        let wanted = try revList(work, "main", not: [old.hex])
        #expect(Set(ids.map(\.hex)).isSuperset(of: wanted))
        #expect(!Set(ids.map(\.hex)).contains(old.hex))
        let summary = try sendAndCheck(repository, ids, tip: tip, receiver: receiver)
        #expect(summary.deflated > 0, "some deltas' bases stay on the remote: those go whole")
        #expect(try revList(receiver, "main") == revList(work, "main"))
    }

    @Test func objectsInSeveralPacksAndLooseFiles() throws {
        let work = try history("w", commits: 0..<6)
        #expect(try git(["-C", work, "repack", "-adf", "--quiet"]).status == 0)
        _ = try history("w", commits: 6..<10, into: work)
        #expect(try git(["-C", work, "repack", "-d", "--quiet"]).status == 0) // a second pack of the new objects
        _ = try history("w", commits: 10..<13, into: work) // and loose ones
        let packs = PackIndex.all(in: work + "/.git/objects/pack")
        #expect(packs.count == 2)
        let loose = try git(["-C", work, "count-objects"]).out
        #expect(!loose.hasPrefix("0 objects"), "\(loose)")
        // A merge too: a second branch's commits reach main through its second parent.
        #expect(try git(["-C", work, "checkout", "--quiet", "-b", "side", "HEAD~2"]).status == 0)
        _ = folder.write("side.tmp", "a file only the side branch adds\n")
        try FileManager.default.copyItem(atPath: folder.file("side.tmp"), toPath: work + "/side.txt")
        #expect(try git(["-C", work, "add", "-A"]).status == 0)
        #expect(try git(["-C", work, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "side"]).status == 0)
        #expect(try git(["-C", work, "checkout", "--quiet", "main"]).status == 0)
        #expect(try git(["-C", work, "-c", "user.name=T", "-c", "user.email=t@example.org", "merge", "--quiet", "--no-edit", "side"]).status == 0)

        let repository = try Repository.open(at: work + "/.git")
        let tip = try rev(work, "main")
        let ids = try repository.objectsToSend(tip: tip, hiding: [])
        #expect(Set(ids.map(\.hex)) == (try revList(work, "main")))
        let summary = try sendAndCheck(repository, ids, tip: tip, receiver: try bareReceiver("r.git"))
        #expect(summary.copiedWhole + summary.copiedDeltas > 0 && summary.deflated > 0)
        #expect(try revList(folder.file("r.git"), "main") == revList(work, "main"))
    }

    /// A pack Stemma's bulk writer made (as an import does: versions of a text stored as deltas
    /// along their `deltaKey`, trees likewise), two checkpoints, then sent and indexed by git.
    @Test func packsFromStemmasBulkWriterAreCopiedAsStored() throws {
        let path = folder.file("bulk.git")
        _ = try Repository.createBare(at: path)
        let repository = try Repository.openForBulkWrite(at: path)
        let who = Signature(name: "T", email: "t@example.org", time: 1_700_000_000)
        var parent: ObjectID?
        var files: [(String, ObjectID)] = []
        for checkpoint in 0..<2 {
            for i in 0..<20 {
                let text = (0...(checkpoint * 20 + i)).map { "Rice exports rose \($0 * 3) per cent in the province, the ministry said.\n" }.joined()
                files.append(("edition-\(checkpoint)-\(i).txt", try repository.writeRaw(.blob, Array(text.utf8), deltaKey: "story")))
            }
            var tree: [UInt8] = []
            for (name, id) in files.sorted(by: { $0.0 < $1.0 }) {
                tree += Array("100644 \(name)".utf8) + [0]
                id.append(to: &tree)
            }
            let treeID = try repository.writeRaw(.tree, tree, deltaKey: "/")
            let commit = try repository.writeCommitRaw(tree: treeID, parents: parent.map { [$0] } ?? [], message: "checkpoint \(checkpoint)\n",
                                                       author: who, committer: who)
            try repository.finishPack()
            try repository.updateReference("refs/heads/main", to: commit, expecting: parent, message: "test")
            parent = commit
        }
        let packs = PackIndex.all(in: path + "/objects/pack")
        #expect(packs.count == 2)
        let deltas = packs.reduce(0) { sum, pack in sum + (0..<pack.count).filter { pack.entry(at: $0)?.isDelta == true }.count }
        #expect(deltas > 20, "the bulk writer stored deltas: \(deltas)")

        let reader = try Repository.open(at: path)
        let tip = try #require(parent)
        let ids = try reader.objectsToSend(tip: tip, hiding: [])
        #expect(Set(ids.map(\.hex)) == Set(try git(["--git-dir", path, "rev-list", "--objects", "main"]).out.split(separator: "\n").map { String($0.prefix(40)) }))
        let receiver = try bareReceiver("r.git")
        let summary = try sendAndCheck(reader, ids, tip: tip, receiver: receiver)
        #expect(summary.deflated == 0 && summary.copiedDeltas == deltas, "\(summary)")
    }

    @Test func aDamagedEntryIsNotCopied() throws {
        let work = try history("w", commits: 0..<6)
        #expect(try git(["-C", work, "repack", "-adf", "--quiet"]).status == 0)
        let pack = try #require(PackIndex.all(in: work + "/.git/objects/pack").first)
        let packPath = pack.packPath
        // The last entry's compressed bytes, one flipped: its CRC-32 no longer matches the index.
        let offsets = (0..<pack.count).map { pack.offset(at: $0) }.sorted()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: packPath)))
        let victim = offsets.last! + 4
        bytes[victim] ^= 0xFF
        let position = try #require((0..<pack.count).first { pack.offset(at: $0) == offsets.last! })
        #expect(pack.entry(at: position) != nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: packPath)
        try Data(bytes).write(to: URL(fileURLWithPath: packPath))
        let reopened = try #require(PackIndex(indexPath: String(packPath.dropLast(5)) + ".idx"))
        #expect(reopened.entry(at: position) == nil, "a damaged entry is refused, never copied")
    }
}
