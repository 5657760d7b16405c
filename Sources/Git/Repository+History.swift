import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Walks like `walkCommits`, handing `body` each commit's summary instead of its id: what
    /// a history pass over thousands of commits needs, without copying out every message and
    /// signature as `commit(_:)` does.
    public func walkCommitSummaries(from tip: ObjectID, hiding: [ObjectID] = [], _ body: (CommitSummary) throws -> Void) throws {
        try walkCommits(from: tip, hiding: hiding) { id in
            try withCommit(id) { commit in
                let committer = git_commit_committer(commit)!.pointee.when
                try body(CommitSummary(id: id, tree: ObjectID(git_commit_tree_id(commit).pointee), parents: Self.parents(of: commit),
                                       committerTime: committer.time, committerOffsetMinutes: Int(committer.offset),
                                       trailerParagraph: git_commit_message(commit).flatMap(CommitSummary.lastParagraph)))
            }
            return true
        }
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal to it).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var a = descendant.gitOID, b = ancestor.gitOID
        return try check(git_graph_descendant_of(pointer, &a, &b), "git_graph_descendant_of") == 1
    }
}

/// What a walk over many commits reads of each: its tree and parents, when it was committed, and
/// the paragraph git reads trailers from.
public struct CommitSummary: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    /// The committer's time (seconds since 1970, UTC) and zone (minutes east of UTC).
    public let committerTime: Int64
    public let committerOffsetMinutes: Int
    /// The message's last paragraph (after its last blank line), where git puts trailers; nil
    /// when the message is one paragraph. Bytes that are not UTF-8 are replaced.
    public let trailerParagraph: String?

    /// The text after the last pair of newlines in `message`, or nil when there is none.
    static func lastParagraph(_ message: UnsafePointer<CChar>) -> String? {
        let bytes = UnsafeRawBufferPointer(start: message, count: strlen(message))
        var start: Int?
        var previousWasNewline = false
        for (i, byte) in bytes.enumerated() {
            if byte == 10 && previousWasNewline { start = i + 1 }
            previousWasNewline = byte == 10
        }
        return start.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0...]), as: UTF8.self) }
    }
}
