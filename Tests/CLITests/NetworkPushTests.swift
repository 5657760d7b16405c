import Foundation
import Testing
import TestSupport

/// `stemma push` over git:// (issue 18): Stemma's own receive-pack client and a pack that copies
/// stored entries. Real `stemma` processes, a real `git daemon --enable=receive-pack` on
/// 127.0.0.1; the remote is checked with git's own `fsck --strict` and `rev-list --objects`, and
/// cloned back with `stemma clone` and plain `git clone`.
@Suite struct NetworkPushTests {
    let h: CLIHarness
    let served: String
    let daemon: GitDaemon

    init() throws {
        h = try CLIHarness()
        served = h.folder.file("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", served + "/hub.git"]).status == 0)
        daemon = try GitDaemon(base: served)
    }

    var hub: String { served + "/hub.git" }
    var url: String { "git://127.0.0.1:\(daemon.port)/hub.git" }

    func records(_ range: Range<Int>, stories: Int, tag: String) -> [[String: Any]] {
        var random = SeededRandom(seed: UInt64(range.lowerBound + 7))
        let words = ["rice", "export", "ministry", "province", "harvest", "tonnes", "price", "farmers", "said", "the", "of", "and"]
        return range.map { i in
            let text = "Story \(i % stories) (VNA) – " + (0..<120).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
            return ["text": text + " \(tag) \(i).\n", "story": "story-\(i % stories)", "source": ["VNA", "VNS", "TT"][i % 3],
                    "date": "2024-02-\(10 + i % 15)"]
        }
    }

    /// What `stemma log --json` says of every story, story by story.
    func logs(_ corpus: String) throws -> [String: String] {
        let stories = try run(CLIHarness.binary, ["stories", "--json", "--corpus", corpus])
        #expect(stories.status == 0, "\(stories.stderr)")
        let names = ((try JSONSerialization.jsonObject(with: Data(stories.stdout)) as? [[String: Any]]) ?? []).compactMap { $0["story"] as? String }
        #expect(!names.isEmpty)
        var out: [String: String] = [:]
        for name in names {
            let r = try run(CLIHarness.binary, ["log", name, "--json", "--corpus", corpus])
            #expect(r.status == 0, "\(r.stderr)")
            out[name] = r.out
        }
        return out
    }

    func objects(_ repository: String) throws -> Set<Substring> {
        Set(try git(["--git-dir", repository, "rev-list", "--objects", "main"]).out.split(separator: "\n"))
    }

    /// The remote is complete and valid, holds `main` at the local commit with exactly the local
    /// objects, and both a `stemma clone` and a plain `git clone` of it read as the local corpus.
    func remoteMatches(_ corpus: String, round: String) throws {
        let fsck = try git(["--git-dir", hub, "fsck", "--strict", "--no-dangling"])
        #expect(fsck.status == 0, "fsck of the remote: \(fsck.out) \(fsck.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == git(["--git-dir", corpus, "rev-parse", "main"]).out)
        #expect(try objects(hub) == objects(corpus))
        #expect(try git(["--git-dir", corpus, "rev-parse", "refs/remotes/origin/main"]).out == git(["--git-dir", corpus, "rev-parse", "main"]).out)
        let cloned = h.folder.file("clone-\(round)"), plain = h.folder.file("plain-\(round).git")
        let clone = try run(CLIHarness.binary, ["clone", url, cloned])
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try git(["clone", "--quiet", "--bare", url, plain]).status == 0)
        let local = try logs(corpus)
        #expect(try logs(cloned) == local)
        #expect(try logs(plain) == local)
    }

    @Test func aFirstPushOfARichHistoryThenAnIncrementalOne() throws {
        defer { daemon.stop() }
        // Several checkpoint commits (and packs), then commits of single editions (loose objects),
        // an update of a record, an rm and a merge.
        try h.ok(["import", try h.manifest("one.jsonl", records(0..<60, stories: 8, tag: "one")), "--checkpoint", "15", "--quiet"])
        try h.ok(["import", try h.manifest("two.jsonl", records(60..<90, stories: 8, tag: "two")), "--quiet"])
        let edition = CLIHarness.edition(try h.ok(["commit", h.text("a.txt", "Rice exports rose, the ministry said. — VNS\n"),
                                                   "--story", "story-1", "--source", "VNS", "--date", "2024-03-01"]))
        try h.ok(["commit", h.text("a2.txt", "Rice exports rose, the ministry said. — VNS\n"), "--story", "story-1", "--source", "VNS",
                  "--date", "2024-03-01", "--title", "Rice exports rose"])
        let removed = CLIHarness.edition(try h.ok(["commit", h.text("b.txt", "A short item to remove.\n"), "--story", "story-2",
                                                   "--source", "TT", "--date", "2024-03-02"]))
        try h.ok(["rm", removed])
        let side = h.folder.file("side")
        #expect(try run(CLIHarness.binary, ["clone", h.corpus, side]).status == 0)
        #expect(try run(CLIHarness.binary, ["commit", h.text("c.txt", "Only the side corpus has this one.\n"), "--story", "story-3",
                                           "--source", "AFP", "--date", "2024-03-03", "--corpus", side]).status == 0)
        try h.ok(["commit", h.text("d.txt", "And only this corpus has this one.\n"), "--story", "story-4", "--source", "AFP", "--date", "2024-03-04"])
        try h.ok(["remote", "add", "side", side])
        let merged = try h.ok(["pull", "side"])
        #expect(merged.out.contains("Merged"), "\(merged.out)")
        #expect(try git(["--git-dir", h.corpus, "rev-list", "--merges", "--count", "main"]).out == "1\n")
        let packs = try FileManager.default.contentsOfDirectory(atPath: h.corpus + "/objects/pack").filter { $0.hasSuffix(".idx") }
        #expect(packs.count >= 2, "\(packs)")
        #expect(!(try git(["--git-dir", h.corpus, "count-objects"]).out.hasPrefix("0 objects")), "loose objects too")
        #expect(!edition.isEmpty)

        try h.ok(["remote", "add", "origin", url])
        let pushed = try h.ok(["push"])
        #expect(pushed.out.contains("origin/main: (none).."), "\(pushed.out)")
        try remoteMatches(h.corpus, round: "first")

        // More editions, then a repack that stores them as deltas against objects the remote
        // already has: those go whole, the rest as stored.
        try h.ok(["import", try h.manifest("three.jsonl", records(90..<110, stories: 8, tag: "two")), "--quiet"])
        try h.ok(["commit", h.text("e.txt", "Rice exports rose, the ministry said on Friday. — VNS\n"), "--story", "story-1",
                  "--source", "VNS", "--date", "2024-03-05"])
        #expect(try git(["--git-dir", h.corpus, "repack", "-adf", "--quiet"]).status == 0)
        let before = try git(["--git-dir", hub, "rev-parse", "main"]).out.prefix(10)
        let again = try h.ok(["push"])
        #expect(again.out.contains("origin/main: \(before).."), "\(again.out)")
        try remoteMatches(h.corpus, round: "second")
        #expect(try h.ok(["push"]).out.contains("up to date"))
        // What the push reports is what the remote had, not what was last fetched from it.
        try FileManager.default.removeItem(atPath: hub)
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", hub]).status == 0)
        let renewed = try h.ok(["push"])
        #expect(renewed.out.contains("origin/main: (none).."), "\(renewed.out)")
        try remoteMatches(h.corpus, round: "renewed")
    }

    @Test func aNonFastForwardIsRefusedUnlessForcedAndTheRemoteCanStillSayNo() throws {
        defer { daemon.stop() }
        try h.ok(["commit", h.text("a.txt", "Hanoi (VNA) – Rice exports rose.\n"), "--story", "rice", "--source", "VNA", "--date", "2024-03-12"])
        try h.ok(["remote", "add", "origin", url])
        try h.ok(["push"])
        try h.anotherClonePushesFirst(url, text: "Rice exports rose. — VNS\n", story: "rice", source: "VNS", date: "2024-03-13")
        try h.ok(["commit", h.text("c.txt", "Rice exports rose. — TT\n"), "--story", "rice", "--source", "TT", "--date", "2024-03-14"])
        let theirs = try git(["--git-dir", hub, "rev-parse", "main"]).out
        let refused = try h.stemma(["push"])
        #expect(refused.status == 1 && refused.stderr.hasPrefix("stemma: push to origin rejected") && refused.stderr.contains("stemma pull origin"),
                "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == theirs, "nothing changed on the remote")

        // The remote's own rule: with receive.denyNonFastForwards even --force is refused there.
        #expect(try git(["--git-dir", hub, "config", "receive.denyNonFastForwards", "true"]).status == 0)
        let denied = try h.stemma(["push", "--force"])
        #expect(denied.status == 1 && denied.stderr.contains("origin refused the push of refs/heads/main"), "\(denied.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == theirs)

        #expect(try git(["--git-dir", hub, "config", "receive.denyNonFastForwards", "false"]).status == 0)
        let forced = try h.ok(["push", "--force"])
        #expect(forced.out.contains("(forced)"), "\(forced.out)")
        try remoteMatches(h.corpus, round: "forced")
    }

    @Test func aRemoteThatIsNotThereIsOneLine() throws {
        daemon.stop()
        try h.ok(["commit", h.text("a.txt", "Hanoi (VNA) – Rice exports rose.\n"), "--story", "rice", "--source", "VNA", "--date", "2024-03-12"])
        try h.ok(["remote", "add", "origin", url])
        let failed = try h.stemma(["push"])
        #expect(failed.status == 2 && failed.stderr.hasPrefix("stemma: push to origin (\(url)) failed:"), "\(failed.stderr)")
        #expect(failed.stderr.split(separator: "\n").count == 1)
        #expect((try? git(["--git-dir", h.corpus, "rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"]))?.status != 0)
    }
}

/// Push over smart HTTP: the same client through libgit2's http subtransport (a POST per request,
/// a chunked body). Served by `git http-backend` behind a small Python server on 127.0.0.1,
/// since no web server is installed; skipped without python3.
@Suite struct HTTPPushTests {
    @Test func pushOverHTTPThenCloneBack() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || (try? run("/usr/bin/env", ["python3", "--version"]))?.status == 0 else { return }
        let h = try CLIHarness()
        let root = h.folder.file("root")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", root + "/hub.git"]).status == 0)
        let server = try SmartHTTPServer(root: root, folder: h.folder)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/hub.git"
        try h.ok(["import", try h.manifest("m.jsonl", (0..<30).map { i in
            ["text": "Story \(i % 5) (VNA) – rice exports rose by \(i) per cent, the ministry said.\n", "story": "story-\(i % 5)",
             "source": ["VNA", "VNS", "TT"][i % 3], "date": "2024-02-\(10 + i % 15)"] }), "--checkpoint", "10", "--quiet"])
        try h.ok(["remote", "add", "origin", url])
        try h.ok(["push"])
        try h.ok(["commit", h.text("a.txt", "Rice exports rose. — VNS\n"), "--story", "story-1", "--source", "VNS", "--date", "2024-03-01"])
        try h.ok(["push"])
        let hub = root + "/hub.git"
        let fsck = try git(["--git-dir", hub, "fsck", "--strict", "--no-dangling"])
        #expect(fsck.status == 0, "\(fsck.out) \(fsck.stderr)")
        #expect(try git(["--git-dir", hub, "rev-parse", "main"]).out == git(["--git-dir", h.corpus, "rev-parse", "main"]).out)
        #expect(try git(["--git-dir", hub, "rev-list", "--objects", "main"]).out.split(separator: "\n").sorted()
                == git(["--git-dir", h.corpus, "rev-list", "--objects", "main"]).out.split(separator: "\n").sorted())
        let cloned = h.folder.file("cloned")
        #expect(try run(CLIHarness.binary, ["clone", url, cloned]).status == 0)
        #expect(try run(CLIHarness.binary, ["log", "story-1", "--json", "--corpus", cloned]).out == h.ok(["log", "story-1", "--json"]).out)
        // Refused as over git:// when another corpus pushed first.
        try h.anotherClonePushesFirst(url, text: "Rice exports rose. — TT\n", story: "story-2", source: "TT", date: "2024-03-02")
        try h.ok(["commit", h.text("c.txt", "Rice exports rose. — AFP\n"), "--story", "story-2", "--source", "AFP", "--date", "2024-03-03"])
        let refused = try h.stemma(["push"])
        #expect(refused.status == 1 && refused.stderr.contains("stemma pull origin"), "\(refused.stderr)")
    }
}

/// `git http-backend` served over HTTP/1.1 on a free loopback port (receive-pack allowed), by
/// the Python script below; stopped by `stop()`.
final class SmartHTTPServer {
    let port: Int
    private let process = Process()

    init(root: String, folder: TemporaryFolder) throws {
        let script = folder.write("smart-http.py", Self.script)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, root]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL); process.waitUntilExit()
            throw GitDaemon.DaemonError.notReady
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    static let script = #"""
import http.server, os, subprocess, sys

ROOT = sys.argv[1]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def run(self):
        data = self.body() if self.command == "POST" else b""
        path, _, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=ROOT, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path, QUERY_STRING=query,
                   REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(data)), REMOTE_USER="tester", REMOTE_ADDR="127.0.0.1",
                   HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""), GIT_HTTP_MAX_REQUEST_BUFFER="1000M")
        result = subprocess.run(["git", "http-backend"], input=data, capture_output=True, env=env)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "status": status = int(value.strip().split()[0])
            elif name: headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = run
    do_POST = run

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}

/// A server that hangs up in the middle of a push: the push fails with one line and exit 2, and
/// is not killed by SIGPIPE (libgit2 writes to sockets without MSG_NOSIGNAL; this died with
/// status 141 and no message before `withBrokenPipeAsError`).
@Suite struct HungUpPushTests {
    @Test func aServerThatHangsUpIsAnErrorNotASignal() throws {
        guard (try? run("/usr/bin/env", ["python3", "--version"]))?.status == 0 else { return }
        let h = try CLIHarness()
        try h.ok(["import", try h.manifest("m.jsonl", (0..<40).map { i in
            ["text": "Story \(i) (VNA) – rice exports rose by \(i) per cent, the ministry said.\n", "story": "story-\(i % 5)",
             "source": "VNA", "date": "2024-02-\(10 + i % 15)"] }), "--quiet"])
        let script = h.folder.write("hangup.py", Self.script)
        let server = Process(), output = Pipe()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", script]
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let port = try #require(Int(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let url = "git://127.0.0.1:\(port)/hub.git"
        try h.ok(["remote", "add", "origin", url])
        for _ in 0..<5 {
            let failed = try h.stemma(["push"])
            #expect(failed.status == 2, "status \(failed.status): \(failed.stderr)")
            #expect(failed.stderr.hasPrefix("stemma: push to origin (\(url)) failed:"), "\(failed.stderr)")
            #expect(failed.stderr.split(separator: "\n").count == 1)
        }
        #expect(try git(["--git-dir", h.corpus, "rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"]).status != 0)
    }

    /// Answers a git:// receive-pack request with an empty repository's advertisement, reads the
    /// update command, and closes the connection before the pack.
    static let script = #"""
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
def pkt(b): return b"%04x" % (len(b) + 4) + b
while True:
    c, _ = s.accept()
    c.recv(65536)  # the git-daemon request line
    c.sendall(pkt(b"0" * 40 + b" capabilities^{}\0report-status side-band-64k ofs-delta\n") + b"0000")
    data = b""
    while b"0000" not in data:
        more = c.recv(65536)
        if not more: break
        data += more
    c.close()  # hangs up before the pack
"""#
}
