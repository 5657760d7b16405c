import CLibGit2

extension Repository {
    /// The objects a repository that has `hiding` (and everything they reach) lacks to have
    /// `tip`: what `git rev-list --objects tip --not hiding…` lists, in no particular order,
    /// each once. Commits reachable from `hiding` are not entered; ids in `hiding` this
    /// repository does not have are skipped (they cannot hide anything here).
    ///
    /// For each commit walked: the commit, and the trees and blobs of its tree that its first
    /// parent's tree lacks (`diffTrees` enters only subtrees whose ids differ); a root commit
    /// sends its whole tree. That covers everything: an object of a commit's tree is either new
    /// there, or in the first parent's tree, whose commit is walked too or is on the other side.
    /// A few objects the other side already has may be listed (one that a second parent
    /// brought, say, reappearing after being deleted); sending them is harmless.
    public func objectsToSend(tip: ObjectID, hiding: [ObjectID]) throws -> [ObjectID] {
        var seen = Set<ObjectID>()
        var out: [ObjectID] = []
        func add(_ id: ObjectID) { if seen.insert(id).inserted { out.append(id) } }
        let present = hiding.filter { contains($0) }
        try walkCommits(from: tip, hiding: present) { commit in
            let (tree, firstParent) = try withCommit(commit) { c in
                (ObjectID(git_commit_tree_id(c).pointee), git_commit_parentcount(c) > 0 ? git_commit_parent_id(c, 0).map { ObjectID($0.pointee) } : nil)
            }
            add(commit)
            let parentTree = try firstParent.map { parent in try withCommit(parent) { ObjectID(git_commit_tree_id($0).pointee) } }
            if parentTree == tree { return true }
            add(tree)
            for change in try diffTrees(parentTree, tree, onNewTree: add) {
                if let id = change.newID { add(id) }
            }
            return true
        }
        return out
    }
}
