import Foundation
import Testing
import TestSupport
@testable import Git

/// `diffTrees` lists what `git diff-tree -r` lists, on trees whose names test git's order
/// (a folder `a` sorts as `a/`: after `a.txt`, before `a0`), with folders that appear, vanish,
/// turn into a blob of the same name and back.
@Suite struct TreeDiffTests {
    static let paths = ["a.txt", "a/x.json", "a/y.txt", "a0", "a-b/c.json", "b/a/deep.txt", "b/a.txt", "b.txt",
                        "story/VNA.1.json", "story/VNA.1.txt", "story-2/VNS.2.json", "story.json", "z/z/z/z.txt"]

    /// `git diff-tree -r` between two trees, as deltas.
    static func gitDiff(_ old: ObjectID?, _ new: ObjectID, in repository: String) throws -> [TreeDelta] {
        let empty = "4b825dc642cb6eb9a060e54bf8d69288fbee4904" // git's empty tree, known to every repository
        let out = try git(["--git-dir", repository, "diff-tree", "-r", "--no-renames", old?.hex ?? empty, new.hex]).out
        return out.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            let meta = fields[0].split(separator: " ")
            let status: TreeDelta.Status = meta[4] == "A" ? .added : meta[4] == "D" ? .deleted : meta[4] == "M" ? .modified : .other
            let zero = String(repeating: "0", count: 40)
            return TreeDelta(status: status, path: String(fields[1]),
                             oldID: meta[2] == zero ? nil : ObjectID(hex: String(meta[2])),
                             newID: meta[3] == zero ? nil : ObjectID(hex: String(meta[3])))
        }
    }

    @Test func listsWhatGitDiffTreeLists() throws {
        let dir = TemporaryFolder()
        let path = dir.file("r.git")
        let repo = try Repository.createBare(at: path)
        var rng = SeededRandom(seed: 18)
        var trees: [ObjectID] = []
        var tree: ObjectID? = nil
        var present = Set<String>()
        for step in 0..<60 {
            var updates: [TreeUpdate] = []
            var touched = Set<String>()
            for _ in 0..<(step % 10 == 9 ? 0 : 1 + Int(rng.next() % 4)) {
                let p = Self.paths[Int(rng.next() % UInt64(Self.paths.count))]
                guard touched.insert(p).inserted, p != "a" else { continue }
                // A path whose folder is a blob here (or the reverse) is removed first, as a commit would.
                let clashes = present.filter { $0.hasPrefix(p + "/") || p.hasPrefix($0 + "/") }
                if present.contains(p) && rng.next() % 3 == 0 {
                    updates.append(TreeUpdate(path: p, action: .remove)); present.remove(p)
                } else if clashes.isEmpty {
                    updates.append(TreeUpdate(path: p, action: .upsertBlob(try repo.writeBlob(Array("\(p) \(step)".utf8))))); present.insert(p)
                }
            }
            if step % 10 == 9 { // a folder that becomes a blob of the same name (libgit2 wants two edits)
                tree = try repo.updateTree(tree, present.filter { $0.hasPrefix("a/") }.map { TreeUpdate(path: $0, action: .remove) })
                present = present.filter { !$0.hasPrefix("a/") }
                updates = [TreeUpdate(path: "a", action: .upsertBlob(try repo.writeBlob(Array("a blob \(step)".utf8))))]
                present.insert("a")
            } else if present.contains("a") {
                updates.append(TreeUpdate(path: "a", action: .remove)); present.remove("a")
            }
            tree = try repo.updateTree(tree, updates)
            trees.append(tree!)
        }
        var compared = 0
        for (k, new) in trees.enumerated() {
            for old in [nil, k > 0 ? trees[k - 1] : nil, trees[Int(rng.next() % UInt64(trees.count))]] as [ObjectID?] {
                let expected = try Self.gitDiff(old, new, in: path)
                #expect(try repo.diffTrees(old, new) == expected, "\(old?.hex ?? "empty") → \(new.hex)")
                compared += expected.count
            }
        }
        #expect(compared > 500)
    }
}
