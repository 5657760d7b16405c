import CLibGit2

/// A reference's lock file (`refs/heads/main.lock`, as git takes it), held from `lock` until
/// `move(to:message:)` or until this is released. While it is held, no other writer, stemma
/// or git, can move the reference: they find the lock and wait or fail. A writer that must do
/// work between reading a reference and moving it, and cannot afford to lose the race again,
/// holds this. A process killed while holding it leaves the lock file behind, as git does.
public final class ReferenceLock {
    private let repository: Repository // the transaction uses its handle: it must outlive it
    private let transaction: OpaquePointer
    public let name: String
    private var moved = false

    init(repository: Repository, name: String) throws {
        var tx: OpaquePointer?
        _ = try check(git_transaction_new(&tx, repository.pointer), "git_transaction_new")
        do {
            _ = try check(git_transaction_lock_ref(tx, name), "git_transaction_lock_ref(\(name))")
        } catch {
            git_transaction_free(tx)
            throw error
        }
        self.repository = repository; self.transaction = tx!; self.name = name
    }

    /// Removes the lock file without moving the reference, unless it was moved.
    deinit { git_transaction_free(transaction) }

    /// Points the reference at `target` and removes the lock. Once only.
    public func move(to target: ObjectID, message: String) throws {
        precondition(!moved, "a reference lock moves its reference once")
        var oid = target.gitOID
        _ = try check(git_transaction_set_target(transaction, name, &oid, nil, message), "git_transaction_set_target(\(name))")
        _ = try check(git_transaction_commit(transaction), "git_transaction_commit(\(name))")
        moved = true
    }
}

extension Repository {
    /// Takes reference `name`'s lock file. Throws a `GitError` with `isLocked` when another
    /// writer holds it.
    public func lockReference(_ name: String) throws -> ReferenceLock {
        try ReferenceLock(repository: self, name: name)
    }
}
