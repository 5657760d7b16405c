import CLibGit2

/// What happened to one path between two trees.
public struct TreeDelta: Sendable, Equatable {
    public enum Status: Sendable { case added, deleted, modified, other }
    public let status: Status
    public let path: String
    public let oldID: ObjectID?
    public let newID: ObjectID?
}

extension Repository {
    /// Walks the commits reachable from `tip` and not from any of `hiding`, oldest first
    /// (parents before children), calling `body` with each id. `body` returns false to stop.
    public func walkCommits(from tip: ObjectID, hiding: [ObjectID] = [], _ body: (ObjectID) throws -> Bool) throws {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "git_revwalk_sorting")
        var tipOID = tip.gitOID
        try check(git_revwalk_push(walk, &tipOID), "git_revwalk_push(\(tip))")
        for hidden in hiding {
            var oid = hidden.gitOID
            try check(git_revwalk_hide(walk, &oid), "git_revwalk_hide(\(hidden))")
        }
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walk)
            if result == GIT_ITEROVER.rawValue { git_error_clear(); break }
            try check(result, "git_revwalk_next")
            if try !body(ObjectID(oid)) { break }
        }
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal to it).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var a = descendant.gitOID, b = ancestor.gitOID
        return try check(git_graph_descendant_of(pointer, &a, &b), "git_graph_descendant_of") == 1
    }
}
