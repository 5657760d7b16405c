import Foundation
import Testing

/// A `stemma` process started without waiting for it, so a test can signal it part way.
/// Spawned with no signal blocked nor ignored (the test runner blocks some, and a child inherits
/// that) and its output sent to /dev/null.
struct SpawnedStemma {
    let pid: pid_t

    /// `args` should name files by absolute path: the process runs in the test's folder.
    init(_ args: [String]) throws {
        let argv0 = CLIHarness.binary
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults); sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = ([argv0] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        try #require(posix_spawn(&pid, argv0, &actions, &attributes, &argv, environ) == 0)
        self.pid = pid
    }

    /// Whether it is still running.
    var isRunning: Bool { waitpid(pid, nil, WNOHANG) == 0 }

    /// Waits for it; the signal that ended it, or nil if it exited.
    func signalThatEnded() -> Int32? {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status & 0x7F == 0 ? nil : status & 0x7F
    }

    /// Kills it with SIGKILL (nothing of it can clean up) and waits. Whether the signal ended it
    /// (false: it had already finished).
    @discardableResult
    func killHard() -> Bool {
        kill(pid, SIGKILL)
        return signalThatEnded() == SIGKILL
    }
}
