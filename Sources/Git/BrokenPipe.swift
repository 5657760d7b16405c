#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` with SIGPIPE blocked on this thread, so a write to a connection the other side
/// closed fails with EPIPE (a `GitError` with libgit2's "Broken pipe") instead of killing the
/// process without a word: libgit2's socket stream sends without `MSG_NOSIGNAL`, and a server
/// that hangs up mid-push (or before the closing flush libgit2 writes) otherwise ends it there.
/// A SIGPIPE raised meanwhile is taken before the mask is restored, so it never arrives later.
/// The mask is per thread: the rest of the process keeps its own disposition.
func withBrokenPipeAsError<T>(_ body: () throws -> T) rethrows -> T {
    var blocked = sigset_t(), previous = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    defer {
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 && sigismember(&previous, SIGPIPE) == 0 {
            var taken: Int32 = 0
            sigwait(&blocked, &taken)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    return try body()
}
