import CLibGit2

extension Repository {
    /// The object a reference points to (following symbolic references), or nil when it does not exist.
    public func referenceTarget(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try check(result, "git_reference_name_to_id(\(name))")
        return ObjectID(oid)
    }

    /// Moves (or creates) reference `name` to `target` only if it still points to `expected`
    /// (nil: only if it does not exist yet). Throws a `GitError` with `isModified` or `isExists`
    /// when another writer got there first: the caller re-reads and retries.
    public func updateReference(_ name: String, to target: ObjectID, expecting expected: ObjectID?, message: String) throws {
        var newOID = target.gitOID
        var ref: OpaquePointer?
        if var old = expected?.gitOID {
            try check(git_reference_create_matching(&ref, pointer, name, &newOID, 1, &old, message),
                      "git_reference_create_matching(\(name))")
        } else {
            try check(git_reference_create(&ref, pointer, name, &newOID, 0, message), "git_reference_create(\(name))")
        }
        git_reference_free(ref)
    }
}
