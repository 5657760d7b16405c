import CLibGit2
import Foundation

/// A configured remote: its name and the URL it fetches from and pushes to.
public struct Remote: Sendable, Equatable {
    public let name: String
    public let url: String
    public init(name: String, url: String) { self.name = name; self.url = url }
}

/// How far a transfer has got, as libgit2 reports it while it runs.
public struct TransferProgress: Sendable, Equatable {
    public enum Direction: Sendable { case receiving, sending }
    public let direction: Direction
    /// Objects received (or sent) so far, and how many there are in all (0 while unknown).
    public let objects: Int
    public let totalObjects: Int
    /// Bytes received (or sent) so far; 0 while unknown (libgit2's own push does not count them).
    public let bytes: Int
}

/// A user name and password (or token) for transports that ask for one (https).
public struct RemoteCredentials: Sendable {
    public let username: String
    public let password: String
    public init(username: String, password: String) { self.username = username; self.password = password }
}

/// Which network transports this process's libgit2 was built with; `file://`, plain paths and
/// `git://` are always there.
public enum Transports {
    public static var https: Bool { features & Int32(GIT_FEATURE_HTTPS.rawValue) != 0 }
    public static var ssh: Bool { features & Int32(GIT_FEATURE_SSH.rawValue) != 0 }
    private static var features: Int32 { Libgit2.ensureInitialised(); return git_libgit2_features() }
}

/// What the callbacks of one fetch or push share with the call that set them up. libgit2 hands
/// it back to each C callback as the payload; the call keeps it alive until libgit2 returns.
private final class TransferContext {
    let progress: ((TransferProgress) -> Void)?
    let credentials: RemoteCredentials?
    var credentialAttempts = 0
    /// References the remote refused, with its reason (push only).
    var rejected: [(reference: String, reason: String)] = []
    /// The remote's URL: an ssh server's host key is looked up under its port.
    let url: String

    init(url: String, progress: ((TransferProgress) -> Void)?, credentials: RemoteCredentials?) {
        self.url = url; self.progress = progress; self.credentials = credentials
    }

    static func from(_ payload: UnsafeMutableRawPointer?) -> TransferContext {
        Unmanaged<TransferContext>.fromOpaque(payload!).takeUnretainedValue()
    }

    /// The callbacks every transfer uses; `payload` is this context.
    func callbacks() throws -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        try check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.transfer_progress = { stats, payload in
            guard let stats = stats?.pointee else { return 0 }
            TransferContext.from(payload).progress?(TransferProgress(
                direction: .receiving, objects: Int(stats.received_objects), totalObjects: Int(stats.total_objects),
                bytes: Int(stats.received_bytes)))
            return 0
        }
        callbacks.push_transfer_progress = { current, total, _, payload in
            // libgit2's byte figure here is not what it has sent: reported as unknown (0).
            TransferContext.from(payload).progress?(TransferProgress(
                direction: .sending, objects: Int(current), totalObjects: Int(total), bytes: 0))
            return 0
        }
        callbacks.push_update_reference = { reference, status, payload in
            if let status, let reference {
                TransferContext.from(payload).rejected.append((lenientString(reference), lenientString(status)))
            }
            return 0
        }
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            let context = TransferContext.from(payload)
            // libgit2 asks again after each refusal: offer each kind once, then give up.
            context.credentialAttempts += 1
            guard context.credentialAttempts <= 2 else { return GIT_EAUTH.rawValue }
            let user = usernameFromURL.map { String(cString: $0) }
            if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
                return git_credential_ssh_key_from_agent(out, user ?? "git")
            }
            if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let given = context.credentials {
                return git_credential_userpass_plaintext_new(out, user ?? given.username, given.password)
            }
            if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, let user {
                return git_credential_username_new(out, user)
            }
            return GIT_PASSTHROUGH.rawValue
        }
        callbacks.certificate_check = { cert, _, host, payload in
            // TLS certificates: libgit2's own verdict against the system's CA certificates.
            guard let cert, cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
            let context = TransferContext.from(payload)
            let hostName = host.map { lenientString($0) } ?? ""
            let refusal = UnsafeRawPointer(cert).withMemoryRebound(to: git_cert_hostkey.self, capacity: 1) {
                SSHHostKeyCheck.refusal(for: $0.pointee, host: hostName, url: context.url)
            }
            guard let refusal else { return 0 }
            git_error_set_str(Int32(GIT_ERROR_SSH.rawValue), refusal)
            return GIT_ECERTIFICATE.rawValue
        }
        return callbacks
    }
}

/// An ssh server's host key held to the user's known-hosts files, as `ssh` holds it (libgit2
/// 1.5.1 checks none itself and refuses every key no callback accepts).
enum SSHHostKeyCheck {
    /// Why the connection must not go on (one line), or nil when the key is known.
    static func refusal(for cert: git_cert_hostkey, host: String, url: String, knownHosts: KnownHosts = KnownHosts()) -> String? {
        guard cert.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = cert.hostkey, cert.hostkey_len > 0 else {
            return "the ssh server \(host) sent no host key to check"
        }
        let key = [UInt8](UnsafeRawBufferPointer(start: raw, count: cert.hostkey_len))
        let port = sshPort(url)
        let name = port == 22 ? host : "[\(host)]:\(port)"
        var fingerprint = KnownHosts.keyType(of: key) ?? "key"
        if cert.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 {
            let digest = withUnsafeBytes(of: cert.hash_sha256) { Data($0) }
            fingerprint += " SHA256:" + digest.base64EncodedString().replacingOccurrences(of: "=", with: "")
        }
        switch knownHosts.verdict(host: host, port: port, key: key) {
        case .known:
            return nil
        case .unknown:
            return "the ssh host key of \(name) (\(fingerprint)) is not in ~/.ssh/known_hosts: check that fingerprint with the server's owner, then add the key (ssh-keyscan\(port == 22 ? "" : " -p \(port)") \(host) >> ~/.ssh/known_hosts) or connect once with ssh"
        case .changed(let file, let line):
            return "the ssh host key of \(name) (\(fingerprint)) is not the one \(file):\(line) holds: the server's key changed or someone is intercepting the connection; not connecting (remove that line only if the server's owner confirms the new key)"
        case .revoked(let file, let line):
            return "the ssh host key of \(name) (\(fingerprint)) is marked @revoked in \(file):\(line); not connecting"
        }
    }

    /// The port of an ssh URL (`ssh://[user@]host[:port]/path`, `[user@]host:path` is 22).
    static func sshPort(_ url: String) -> Int {
        guard let scheme = url.range(of: "://") else { return 22 }
        var authority = url[scheme.upperBound...]
        if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        // [v6-address]:port, or host:port
        let afterHost = authority.hasPrefix("[") ? authority.firstIndex(of: "]").map { authority[authority.index(after: $0)...] } ?? "" : authority
        guard let colon = afterHost.lastIndex(of: ":"), let port = Int(afterHost[afterHost.index(after: colon)...]), port > 0 else { return 22 }
        return port
    }
}

extension Repository {
    // MARK: configured remotes

    /// The remotes in the repository's configuration, by name.
    public func remotes() throws -> [Remote] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "git_remote_list")
        defer { git_strarray_dispose(&names) }
        var out: [Remote] = []
        for i in 0..<names.count {
            guard let name = names.strings[i].map({ String(cString: $0) }) else { continue }
            if let remote = try remote(named: name) { out.append(remote) }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// The remote called `name`, or nil when there is none.
    public func remote(named name: String) throws -> Remote? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { git_error_clear(); return nil }
        try check(result, "git_remote_lookup(\(name))")
        defer { git_remote_free(remote) }
        return Remote(name: name, url: git_remote_url(remote).map { lenientString($0) } ?? "")
    }

    /// Whether git accepts `name` as a remote name.
    public static func isValidRemoteName(_ name: String) -> Bool {
        Libgit2.ensureInitialised()
        var valid: Int32 = 0
        return git_remote_name_is_valid(&valid, name) == 0 && valid == 1
    }

    /// Adds remote `name` fetching `url`'s branches into `refs/remotes/<name>/*`, as `git remote add` does.
    public func addRemote(name: String, url: String) throws {
        var remote: OpaquePointer?
        try check(git_remote_create(&remote, pointer, name, url), "git_remote_create(\(name))")
        git_remote_free(remote)
    }

    /// Removes remote `name`, its configuration and its remote-tracking references.
    public func removeRemote(name: String) throws {
        try check(git_remote_delete(pointer, name), "git_remote_delete(\(name))")
    }

    // MARK: transfers

    /// Fetches `refspecs` (such as `+refs/heads/main:refs/remotes/origin/main`) from remote `name`.
    /// `progress` is called from this thread as objects arrive.
    public func fetch(remote name: String, refspecs: [String], credentials: RemoteCredentials? = nil,
                      progress: ((TransferProgress) -> Void)? = nil) throws {
        try withRemote(name) { remote in
            let context = TransferContext(url: Self.url(of: remote, forPush: false), progress: progress, credentials: credentials)
            var options = git_fetch_options()
            try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
            options.callbacks = try context.callbacks()
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            _ = try withStringArray(refspecs) { specs in
                try withExtendedLifetime(context) {
                    try check(git_remote_fetch(remote, &specs, &options, nil), "git_remote_fetch(\(name))")
                }
            }
        }
    }

    /// Pushes `refspecs` (such as `refs/heads/main:refs/heads/main`, `+` in front to force) to
    /// remote `name`. Returns the references the remote refused, with its reasons. A push that
    /// is not a fast-forward and not forced throws a `GitError` with `isNonFastForward`.
    public func push(remote name: String, refspecs: [String], credentials: RemoteCredentials? = nil,
                     progress: ((TransferProgress) -> Void)? = nil) throws -> [(reference: String, reason: String)] {
        try withRemote(name) { remote in
            let context = TransferContext(url: Self.url(of: remote, forPush: true), progress: progress, credentials: credentials)
            var options = git_push_options()
            try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
            options.callbacks = try context.callbacks()
            _ = try withStringArray(refspecs) { specs in
                try withExtendedLifetime(context) {
                    try check(git_remote_push(remote, &specs, &options), "git_remote_push(\(name))")
                }
            }
            return context.rejected
        }
    }

    /// Whether `pushCommit` can push to `url` (git://, ssh://, user@host:path, http(s)://).
    public static func pushesOverNetwork(_ url: String) -> Bool { ReceivePackConnection.handles(url) }

    /// Moves `reference` (such as `refs/heads/main`) on remote `name` to local commit `tip`,
    /// as `git push` does over a network transport: Stemma's own receive-pack client
    /// (`ReceivePackConnection`) sends a pack that copies the stored entries as they are
    /// (`ReusingPackWriter`) of the objects the remote lacks (`objectsToSend`, hiding every
    /// commit the remote advertises that this repository has). Returns the remote's
    /// `reference` as it advertised it (nil: it had none) and the references the remote
    /// refused, with its reasons; throws `isNonFastForward` when the remote's commit is not an
    /// ancestor of `tip` (or unknown here) and `force` is false. Nothing is sent when the
    /// remote is already at `tip`. For other URLs, `push(remote:refspecs:)`.
    public func pushCommit(_ tip: ObjectID, to reference: String, remote name: String, force: Bool,
                           credentials: RemoteCredentials? = nil,
                           progress: ((TransferProgress) -> Void)? = nil) throws -> (previous: ObjectID?, rejected: [(reference: String, reason: String)]) {
        let context = TransferContext(url: try withRemote(name) { Self.url(of: $0, forPush: true) }, progress: progress, credentials: credentials)
        let operation = "push to \(name)"
        return try withBrokenPipeAsError { try withExtendedLifetime(context) {
            let connection = try ReceivePackConnection(repository: pointer, remote: name, callbacks: try context.callbacks())
            defer { connection.close() }
            let offered: ReceivePackAdvertisement
            do { offered = try ReceivePackAdvertisement(connection.advertisement) } catch let error as PktLine.ProtocolError {
                throw GitError(code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue), message: error.description, operation: operation)
            }
            let old = offered.references[reference]
            if old == tip { return (old, []) }
            if let old, !force {
                guard contains(old), try isAncestor(old, of: tip) else { throw GitError.nonFastForward(operation) }
            }
            guard offered.capabilities.contains("report-status") else {
                throw GitError(code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue),
                               message: "the remote's receive-pack does not offer report-status", operation: operation)
            }
            let sideBand = offered.capabilities.contains("side-band-64k")
            var capabilities = ["report-status"] + (sideBand ? ["side-band-64k"] : [])
            if offered.capabilities.contains(where: { $0.hasPrefix("agent=") }) { capabilities.append("agent=stemma") }
            let ids = try objectsToSend(tip: tip, hiding: Array(offered.references.values))
            let zero = String(repeating: "0", count: 40)
            let command = "\(old?.hex ?? zero) \(tip.hex) \(reference)\u{0}\(capabilities.joined(separator: " "))"
            try connection.write(PktLine.encode(Array(command.utf8)) + PktLine.flush)
            var writer = ReusingPackWriter(repository: self)
            writer.allowOffsetDeltas = offered.capabilities.contains("ofs-delta")
            _ = try writer.write(ids, to: { try connection.write($0) }) { objects, bytes in
                progress?(TransferProgress(direction: .sending, objects: objects, totalObjects: ids.count, bytes: bytes))
            }
            let report: ReceivePackReport
            do { report = try ReceivePackReport(packets: try Self.statusPackets(connection, sideBand: sideBand)) } catch let error as PktLine.ProtocolError {
                throw GitError(code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue), message: error.description, operation: operation)
            }
            guard report.unpack == "ok" else {
                throw GitError(code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue), message: "the remote could not unpack the push: \(report.unpack)", operation: operation)
            }
            if report.rejected.isEmpty && !report.accepted.contains(reference) {
                return (old, [(reference, "the remote did not report it updated")])
            }
            return (old, report.rejected)
        } }
    }

    /// The packets of a receive-pack's status report, taken out of side-band channel 1 when
    /// side-band is on (channel 2 is the remote's progress text, channel 3 a fatal error).
    private static func statusPackets(_ connection: ReceivePackConnection, sideBand: Bool) throws -> [[UInt8]] {
        if !sideBand {
            var out: [[UInt8]] = []
            while let packet = try connection.readPacket() { out.append(packet) }
            return out
        }
        var channel: [UInt8] = []
        while let packet = try connection.readPacket() {
            guard let band = packet.first else { continue }
            switch band {
            case 1: channel += packet.dropFirst()
            case 2: continue
            case 3: throw PktLine.ProtocolError("the remote failed: " + String(decoding: packet.dropFirst(), as: UTF8.self).trimmingCharacters(in: .newlines))
            default: throw PktLine.ProtocolError("unknown side-band channel \(band)")
            }
        }
        return try PktLine.packets(channel).compactMap { $0 }
    }

    /// Runs `body` with remote `name` looked up, and frees it after.
    /// The URL a remote fetches from, or pushes to (its `pushurl` when it has one).
    static func url(of remote: OpaquePointer?, forPush: Bool) -> String {
        if forPush, let push = git_remote_pushurl(remote) { return lenientString(push) }
        return git_remote_url(remote).map { lenientString($0) } ?? ""
    }

    private func withRemote<T>(_ name: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var remote: OpaquePointer?
        try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup(\(name))")
        defer { git_remote_free(remote) }
        return try body(remote)
    }

    /// The best common ancestor of two commits, or nil when they share no history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var out = git_oid(), one = a.gitOID, two = b.gitOID
        let result = git_merge_base(&out, pointer, &one, &two)
        if result == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try check(result, "git_merge_base(\(a), \(b))")
        return ObjectID(out)
    }

    /// Points reference `name` at `target` whatever it pointed to before (remote-tracking references).
    public func forceReference(_ name: String, to target: ObjectID, message: String) throws {
        var oid = target.gitOID
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, pointer, name, &oid, 1, message), "git_reference_create(\(name))")
        git_reference_free(ref)
    }
}

extension GitError {
    /// A push that would drop commits on the remote and was not forced.
    public var isNonFastForward: Bool { code == GIT_ENONFASTFORWARD.rawValue }
    /// The error libgit2 gives such a push, for a push made without it (see `ObjectFiles`).
    public static func nonFastForward(_ operation: String) -> GitError {
        GitError(code: GIT_ENONFASTFORWARD.rawValue, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
                 message: "cannot push non-fastforwardable reference", operation: operation)
    }
    /// The remote asked for credentials and none it accepted were available.
    public var isAuthentication: Bool { code == GIT_EAUTH.rawValue || errorClass == GIT_ERROR_SSH.rawValue && message.contains("auth") }
}

/// Lends `strings` to libgit2 as a `git_strarray` that lives for the call.
private func withStringArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) throws -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
