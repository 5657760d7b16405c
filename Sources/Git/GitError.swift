import CLibGit2

/// A failed libgit2 call, with libgit2's own message.
///
/// Built at the failing call from `git_error_last()`, which libgit2 keeps per thread,
/// so it is read before anything else can run on this thread.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The negative `git_error_code` returned by libgit2 (for example -3 not found).
    public let code: Int32
    /// libgit2's `git_error_t` class (for example 2 for OS errors, 9 for references).
    public let errorClass: Int32
    /// libgit2's message, decoded leniently (a corpus written elsewhere may hold any bytes).
    public let message: String
    /// What we were doing, such as `"git_repository_open(/x/y)"`.
    public let operation: String

    public init(code: Int32, errorClass: Int32, message: String, operation: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    public var isExists: Bool { code == GIT_EEXISTS.rawValue }
    public var isAmbiguous: Bool { code == GIT_EAMBIGUOUS.rawValue }
    /// The reference moved since we read it, or another writer holds its lock file: the
    /// compare-and-swap lost a race.
    public var isModified: Bool { code == GIT_EMODIFIED.rawValue || code == GIT_ELOCKED.rawValue }
    /// Another writer holds the lock file (it is part way through its own update).
    public var isLocked: Bool { code == GIT_ELOCKED.rawValue }

    public var description: String { "\(operation): \(message)" }
}

/// Turns a libgit2 return value into a thrown `GitError`.
/// Failure is `< 0`: some calls return a positive count on success.
@inline(__always)
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    if result < 0 { throw lastError(code: result, operation: operation()) }
    return result
}

func lastError(code: Int32, operation: String) -> GitError {
    guard let last = git_error_last() else {
        return GitError(code: code, errorClass: 0, message: "libgit2 error \(code)", operation: operation)
    }
    let message = last.pointee.message.map { lenientString($0) } ?? "libgit2 error \(code)"
    return GitError(code: code, errorClass: last.pointee.klass, message: message, operation: operation)
}
