import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a hook script as a child process: the input on its stdin, its stdout on our stderr,
/// its stderr collected. Spawned here rather than with Foundation's `Process`, which hands the
/// child a socket it watches to learn of the exit: a background child of the hook inherits that
/// socket, and the hook's exit would go unseen until that child ended too.
struct HookProcess {
    enum Outcome: Equatable {
        case exited(status: Int32, stderr: Data)
        case killed(signal: Int32, stderr: Data)
        case timedOut
        case failedToStart(String)
    }

    /// Runs `executable` in `directory`. `timeout` 0 waits for ever.
    static func run(_ executable: String, in directory: String, environment: [String: String], input: [UInt8],
                    timeout: TimeInterval) -> Outcome {
        var stdinPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard makePipe(&stdinPipe) else { return .failedToStart(String(cString: strerror(errno))) }
        guard makePipe(&stderrPipe) else {
            close(stdinPipe[0]); close(stdinPipe[1])
            return .failedToStart(String(cString: strerror(errno)))
        }
        closeOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1) // the hook's stdout goes to our stderr
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE) // the hook gets SIGPIPE as usual whatever this process does with it
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // A shell changes folder and then becomes the hook (glibc's spawn-with-chdir is not visible to Swift).
        let arguments = ["/bin/sh", "-c", "cd -- \"$1\" && exec \"$2\"", "stemma-hook", directory, executable]
        let variables = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(variables) { envp in posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp) }
        }
        close(stdinPipe[0])
        close(stderrPipe[1])
        guard result == 0 else {
            close(stdinPipe[1]); close(stderrPipe[0])
            return .failedToStart(String(cString: strerror(result)))
        }
        let errors = CollectedOutput()
        collect(stderrPipe[0], into: errors)
        feed(input, to: stdinPipe[1])

        guard let status = waitForExit(pid, timeout: timeout) else {
            kill(pid, SIGTERM)
            if waitForExit(pid, timeout: 2) == nil { kill(pid, SIGKILL); _ = waitForExit(pid, timeout: 0) }
            return .timedOut
        }
        // What the hook wrote is in the pipe by the time it exits; a child it left running may hold
        // the pipe open for ever, so the end of the stream is waited for only briefly.
        errors.waitForEnd(upTo: 0.2)
        let signal = status & 0x7F
        return signal == 0 ? .exited(status: (status >> 8) & 0xFF, stderr: errors.data) : .killed(signal: signal, stderr: errors.data)
    }

    /// A pipe whose ends other children do not inherit (the spawn's dup2 gives the hook its own copies).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// Marks every descriptor above stderr close-on-exec, so the hook and its children get only
    /// stdin, stdout and stderr. What this process inherited matters most: a parent that launched
    /// stemma with Foundation's `Process` watches a socket it gave stemma, and a hook's background
    /// child holding that socket would make stemma look alive to its parent until the child ended.
    private static func closeOnExec() {
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        for fd in listed ?? Array(3..<Int32(min(getdtablesize(), 4_096))) where fd > 2 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// The raw wait status once `pid` exits, or nil after `timeout` seconds (0: no limit).
    private static func waitForExit(_ pid: pid_t, timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: UInt32 = 1_000
        while true {
            var status: Int32 = 0
            let r = waitpid(pid, &status, timeout == 0 ? 0 : WNOHANG)
            if r == pid { return status }
            if r < 0 && errno != EINTR { return 0 } // not our child any more: nothing to report
            if timeout > 0 && Date() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Reads `fd` to its end on a thread of its own, which closes it.
    private static func collect(_ fd: Int32, into output: CollectedOutput) {
        Thread {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                output.append(buffer[..<n])
            }
            close(fd)
            output.finish()
        }.start()
    }

    /// Writes `input` to `fd` on a thread of its own (the hook may write stderr while it reads),
    /// then closes it. SIGPIPE is blocked on that thread: a hook that exits without reading gives
    /// EPIPE, which ends the write, instead of a signal that would kill Stemma.
    private static func feed(_ input: [UInt8], to fd: Int32) {
        Thread {
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            input.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; break } // EPIPE: the hook stopped reading
                    offset += n
                }
            }
            close(fd)
            // The SIGPIPE of a refused write is pending on this thread: take it before the thread ends.
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 { var taken: Int32 = 0; sigwait(&blocked, &taken) }
        }.start()
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

/// A child's output as it arrives, from the thread that reads it.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = Data()
    private let ended = DispatchSemaphore(value: 0)
    /// Enough for the first line; a hook that writes megabytes to stderr is not kept in memory.
    private let keep = 64 * 1024

    func append(_ bytes: ArraySlice<UInt8>) {
        lock.lock(); defer { lock.unlock() }
        if collected.count < keep { collected.append(contentsOf: bytes.prefix(keep - collected.count)) }
    }

    func finish() { ended.signal() }

    func waitForEnd(upTo seconds: TimeInterval) { _ = ended.wait(timeout: .now() + seconds) }

    var data: Data { lock.lock(); defer { lock.unlock() }; return collected }
}
