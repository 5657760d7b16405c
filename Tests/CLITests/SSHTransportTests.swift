import Foundation
import Testing
import TestSupport

/// Push, clone and pull over ssh:// against a real OpenSSH server on 127.0.0.1 (its own host key,
/// config and port, started by the test) with the user's key in a real `ssh-agent`, as a user
/// works. The server's host key is held to `~/.ssh/known_hosts` under a `HOME` of the test's own.
/// `.ci/run` installs OpenSSH; on a machine without `sshd` the test is skipped.
@Suite struct SSHTransportTests {
    @Test(.enabled(if: SSHServer.isInstalled, "OpenSSH's sshd, ssh-agent and ssh-keygen are needed"))
    func pushCloneAndPullOverSSHWithTheHostKeyChecked() throws {
        let h = try CLIHarness()
        let server = try SSHServer(folder: h.folder)
        defer { server.stop() }
        let hub = h.folder.file("hub.git")
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", hub]).status == 0)
        let home = h.folder.file("home")
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        let environment = ["HOME": home, "SSH_AUTH_SOCK": server.agentSocket]
        func stemma(_ args: [String], corpus: String? = nil) throws -> ProcessResult {
            try run(CLIHarness.binary, args + (corpus.map { ["--corpus", $0] } ?? []), directory: h.folder.path, environment: environment)
        }
        let url = "ssh://\(server.user)@127.0.0.1:\(server.port)\(hub)"

        try h.ok(["commit", h.text("a.txt", "Hanoi (VNA) – Rice exports rose in March.\n"), "--story", "rice", "--date", "2024-03-01"])
        try h.ok(["commit", h.text("b.txt", "HÀ NỘI — Rice exports rose in March. — VNS\n"), "--story", "rice", "--date", "2024-03-02"])
        try h.ok(["remote", "add", "origin", url])

        // Not in known_hosts: refused before anything is sent, naming the key as ssh-keygen does.
        let unknown = try stemma(["push"], corpus: h.corpus)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("not in ~/.ssh/known_hosts") && unknown.stderr.contains(server.hostKeyFingerprint), "\(unknown.stderr)")
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "--verify", "--quiet", "main"]).status != 0)

        // Known: the push lands whole.
        _ = h.folder.write("home/.ssh/known_hosts", "[127.0.0.1]:\(server.port) \(server.hostPublicKey)\n")
        let pushed = try stemma(["push"], corpus: h.corpus)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try git(["--git-dir", hub, "fsck", "--strict", "--no-dangling"]).status == 0)
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == git(["--git-dir", h.corpus, "rev-parse", "main"]).out)
        #expect(try git(["--git-dir", hub, "rev-list", "--objects", "main"]).out.split(separator: "\n").sorted()
                == git(["--git-dir", h.corpus, "rev-list", "--objects", "main"]).out.split(separator: "\n").sorted())

        // Cloned back over ssh, then a new edition pushed from the first corpus and pulled into the clone.
        let cloned = h.folder.file("cloned")
        let clone = try stemma(["clone", url, cloned])
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cloned + "/FETCH_HEAD"), "git clone leaves no FETCH_HEAD")
        #expect(try stemma(["log", "rice", "--json"], corpus: cloned).out == h.ok(["log", "rice", "--json"]).out)
        try h.ok(["commit", h.text("c.txt", "Rice exports rose in March, traders said. — TT\n"), "--story", "rice", "--source", "TT", "--date", "2024-03-03"])
        #expect(try stemma(["push"], corpus: h.corpus).status == 0)
        let pulled = try stemma(["pull"], corpus: cloned)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(try git(["--git-dir", cloned, "rev-parse", "main"]).out == git(["--git-dir", h.corpus, "rev-parse", "main"]).out)

        // The same name with another key of the type: refused as changed, the remote left as it was.
        _ = h.folder.write("home/.ssh/known_hosts", "[127.0.0.1]:\(server.port) \(server.otherPublicKey)\n")
        try h.ok(["commit", h.text("d.txt", "Rice exports rose again. — VNS\n"), "--story", "rice", "--source", "VNS", "--date", "2024-03-04"])
        let before = try git(["--git-dir", hub, "rev-parse", "main"]).out
        let changed = try stemma(["push"], corpus: h.corpus)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("is not the one") && changed.stderr.contains("known_hosts:1"), "\(changed.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == before)
        let fetched = try stemma(["fetch"], corpus: cloned)
        #expect(fetched.status == 2 && fetched.stderr.contains("is not the one"), "\(fetched.stderr)")
    }
}

/// `sshd` on a free loopback port with a host key and config of its own, accepting the current
/// user with a key held by an `ssh-agent` of its own; both stopped by `stop()`.
final class SSHServer {
    static let sshd = "/usr/sbin/sshd"
    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: sshd)
            && ["ssh", "ssh-keygen", "ssh-agent", "ssh-add"].allSatisfy { FileManager.default.isExecutableFile(atPath: "/usr/bin/" + $0) }
    }

    let port: Int
    let user: String
    let agentSocket: String
    let hostPublicKey: String
    let otherPublicKey: String
    /// `SHA256:…` as `ssh-keygen -l` prints the host key's fingerprint.
    let hostKeyFingerprint: String
    private let pidFile: String
    private let agent = Process()

    init(folder: TemporaryFolder) throws {
        let dir = folder.file("sshd")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["host_key", "user_key", "other_key"] {
            let r = try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", dir + "/" + name])
            guard r.status == 0 else { throw GitDaemon.DaemonError.notReady }
        }
        func text(_ name: String) throws -> String {
            try String(contentsOfFile: dir + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        hostPublicKey = try text("host_key.pub")
        otherPublicKey = try text("other_key.pub")
        hostKeyFingerprint = String(try run("/usr/bin/ssh-keygen", ["-l", "-f", dir + "/host_key.pub"]).out.split(separator: " ")[1])
        try FileManager.default.copyItem(atPath: dir + "/user_key.pub", toPath: dir + "/authorized_keys")
        let named = try run("/usr/bin/id", ["-un"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        user = named
        port = try GitDaemon.freePort()
        _ = folder.write("sshd/sshd_config", """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_key
            AuthorizedKeysFile \(dir)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin prohibit-password
            StrictModes no
            PidFile \(dir)/sshd.pid

            """)
        // sshd run as root wants its privilege-separation folder.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        // sshd is started as a daemon (it forks, and the first process exits): run in the
        // foreground it closes the descriptors it inherits, which makes Foundation's Process wait
        // for it forever. It is stopped by the process id it writes; ssh-agent runs in the foreground.
        let started = try run(Self.sshd, ["-f", dir + "/sshd_config", "-E", dir + "/sshd.log"])
        guard started.status == 0 else { throw GitDaemon.DaemonError.notReady }
        pidFile = dir + "/sshd.pid"
        agentSocket = dir + "/agent.sock"
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", agentSocket]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        // Ready once the agent takes the key and the server answers a real login (at most about 10 s).
        for _ in 0..<100 {
            if FileManager.default.fileExists(atPath: agentSocket),
               (try? run("/usr/bin/ssh-add", ["-q", dir + "/user_key"], environment: ["SSH_AUTH_SOCK": agentSocket]))?.status == 0 {
                break
            }
            usleep(100_000)
        }
        for _ in 0..<100 {
            let login = try? run("/usr/bin/ssh", ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                                  "-o", "LogLevel=ERROR", "-p", String(port), "\(user)@127.0.0.1", "true"],
                                 environment: ["SSH_AUTH_SOCK": agentSocket])
            if login?.status == 0 { return }
            usleep(100_000)
        }
        stop()
        throw GitDaemon.DaemonError.notReady
    }

    func stop() {
        let serverPID = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let serverPID, serverPID > 1 { kill(serverPID, SIGKILL) }
        if agent.isRunning { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() }
    }
}
