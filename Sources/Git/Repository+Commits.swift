import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// Who made a commit, and when.
public struct Signature: Sendable, Equatable {
    public var name: String
    public var email: String
    /// Seconds since 1970 (UTC).
    public var time: Int64
    /// Minutes east of UTC.
    public var offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name; self.email = email; self.time = time; self.offsetMinutes = offsetMinutes
    }

    init(_ sig: UnsafePointer<git_signature>) {
        name = lenientString(sig.pointee.name)
        email = lenientString(sig.pointee.email)
        time = sig.pointee.when.time
        offsetMinutes = sig.pointee.when.offset
    }
}

/// A commit, copied out of libgit2.
public struct Commit: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    /// The full message; bytes that are not UTF-8 are replaced, never trapped on.
    public let message: String
    public let author: Signature
    public let committer: Signature
}

extension Repository {
    /// The identity from git configuration (`user.name`, `user.email`) at the current time,
    /// or `fallback` when git has none configured.
    public func defaultSignature(fallbackName: String, fallbackEmail: String) -> Signature {
        var sig: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&sig, pointer) >= 0, let sig {
            defer { git_signature_free(sig) }
            return Signature(UnsafePointer(sig))
        }
        git_error_clear()
        return Signature(name: fallbackName, email: fallbackEmail, time: Int64(time(nil)), offsetMinutes: 0)
    }

    /// Writes a commit object (no reference moves; see `updateReference`).
    public func createCommit(tree: ObjectID, parents: [ObjectID], message: String,
                             author: Signature, committer: Signature) throws -> ObjectID {
        precondition(!isBulk, "a bulk-write repository writes commits with writeCommitRaw")
        var treeOID = tree.gitOID
        var treeObject: OpaquePointer?
        try check(git_tree_lookup(&treeObject, pointer, &treeOID), "git_tree_lookup(\(tree))")
        defer { git_tree_free(treeObject) }

        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var oid = parent.gitOID
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup(\(parent))")
            parentObjects.append(commit)
        }
        var authorSig: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&authorSig, author.name, author.email, author.time, author.offsetMinutes), "git_signature_new(author)")
        defer { git_signature_free(authorSig) }
        var committerSig: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&committerSig, committer.name, committer.email, committer.time, committer.offsetMinutes), "git_signature_new(committer)")
        defer { git_signature_free(committerSig) }

        var out = git_oid()
        let result = parentObjects.withUnsafeMutableBufferPointer { parentsBuffer in
            git_commit_create(&out, pointer, nil, authorSig, committerSig, "UTF-8", message, treeObject,
                              parents.count, parentsBuffer.baseAddress)
        }
        try check(result, "git_commit_create")
        return ObjectID(out)
    }

    /// Reads commit `id`.
    public func commit(_ id: ObjectID) throws -> Commit {
        try withCommit(id) { commit in
            let message = git_commit_message(commit).map(lenientString) ?? ""
            return Commit(id: id, tree: ObjectID(git_commit_tree_id(commit).pointee), parents: Self.parents(of: commit), message: message,
                          author: Signature(git_commit_author(commit)), committer: Signature(git_commit_committer(commit)))
        }
    }

    /// Runs `body` with commit `id` looked up, and frees it after: every read of a commit goes
    /// through here.
    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var oid = id.gitOID
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup(\(id))")
        defer { git_commit_free(commit) }
        return try body(commit)
    }

    static func parents(of commit: OpaquePointer?) -> [ObjectID] {
        (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map { ObjectID($0.pointee) } }
    }
}
