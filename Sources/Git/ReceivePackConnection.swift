import CLibGit2

/// A conversation with a remote's `git-receive-pack` over libgit2's own transports (git://,
/// ssh://, http(s)://), so libgit2 keeps doing the sockets, TLS, ssh, credentials and proxies
/// while Stemma writes the push itself (libgit2's `git_remote_push` builds its pack from scratch;
/// see `ReusingPackWriter`).
///
/// libgit2's smart transport is made with `git_transport_smart` and a subtransport of Stemma's
/// (`stemma_subtransport`) that passes every call to libgit2's subtransport for the URL's scheme.
/// Connecting the smart transport with the remote's callbacks does what the ssh and http
/// subtransports need of their owner (credentials, certificate checks, proxy settings) and reads
/// the reference advertisement; Stemma's stream wrapper keeps a copy of those bytes, since the
/// smart transport keeps the capabilities to itself. The push then goes over the subtransport's
/// `GIT_SERVICE_RECEIVEPACK` stream: for git:// and ssh:// the connection already open, for http
/// a new POST that this object owns.
final class ReceivePackConnection {
    /// The bytes of the reference advertisement, as read.
    private(set) var advertisement: [UInt8] = []
    private var recording = true
    private let url: String
    private let isRPC: Bool
    private let factory: git_smart_subtransport_cb
    private var remote: OpaquePointer?
    private var transport: UnsafeMutablePointer<git_transport>?
    private var inner: UnsafeMutablePointer<git_smart_subtransport>?
    private var stream: UnsafeMutablePointer<git_smart_subtransport_stream>?
    private var ownsStream = false
    private var pending: [UInt8] = []
    private var pendingStart = 0

    /// Whether `url` goes over a transport this class drives (else: a local path or file://).
    static func handles(_ url: String) -> Bool { scheme(url) != nil }

    private static func scheme(_ url: String) -> (factory: git_smart_subtransport_cb, rpc: Bool)? {
        let lower = url.lowercased()
        if lower.hasPrefix("git://") { return (git_smart_subtransport_git, false) }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return (git_smart_subtransport_http, true) }
        if lower.hasPrefix("ssh://") || lower.hasPrefix("ssh+git://") || lower.hasPrefix("git+ssh://") { return (git_smart_subtransport_ssh, false) }
        // user@host:path, as git tells it from a local path: a colon before any slash.
        if !url.contains("://"), let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return (git_smart_subtransport_ssh, false) }
        return nil
    }

    /// Connects to the receive-pack of remote `name` of `repository` and reads its advertisement.
    init(repository: OpaquePointer, remote name: String, callbacks: git_remote_callbacks) throws {
        try check(git_remote_lookup(&remote, repository, name), "git_remote_lookup(\(name))")
        url = git_remote_pushurl(remote).map { lenientString($0) } ?? git_remote_url(remote).map { lenientString($0) } ?? ""
        guard let scheme = Self.scheme(url) else {
            git_remote_free(remote)
            throw GitError(code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue), message: "not a network URL: \(url)", operation: "push")
        }
        factory = scheme.factory
        isRPC = scheme.rpc
        do {
            var definition = git_smart_subtransport_definition(callback: { out, owner, param in
                let connection = Unmanaged<ReceivePackConnection>.fromOpaque(param!).takeUnretainedValue()
                return connection.makeSubtransport(out!, owner)
            }, rpc: isRPC ? 1 : 0, param: Unmanaged.passUnretained(self).toOpaque())
            try check(git_transport_smart(&transport, remote, &definition), "git_transport_smart(\(url))")
            var options = git_remote_connect_options()
            try check(git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)), "git_remote_connect_options_init")
            options.callbacks = callbacks
            options.proxy_opts.type = GIT_PROXY_AUTO
            try check(transport!.pointee.connect(transport, url, Int32(GIT_DIRECTION_PUSH.rawValue), &options), "connect(\(url))")
            recording = false
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Writes all of `bytes` to the push stream (opened on first use).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let stream = try pushStream()
        guard bytes.count > 0 else { return }
        try check(stream.pointee.write(stream, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count), "write(\(url))")
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// The next pkt-line of the answer (nil for a flush); throws if the connection ends first.
    func readPacket() throws -> [UInt8]? {
        let head = try readExactly(4)
        guard let n = Int(String(decoding: head, as: UTF8.self), radix: 16) else { throw PktLine.ProtocolError("malformed pkt-line length from \(url)") }
        if n < 4 { return nil }
        return try readExactly(n - 4)
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while pending.count - pendingStart < count {
            let stream = try pushStream()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var got = 0
            _ = try chunk.withUnsafeMutableBytes { raw in
                try check(stream.pointee.read(stream, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count, &got), "read(\(url))")
            }
            guard got > 0 else { throw PktLine.ProtocolError("\(url) closed the connection before its answer was complete") }
            if pendingStart > 0 { pending.removeFirst(pendingStart); pendingStart = 0 }
            pending += chunk[..<got]
        }
        defer { pendingStart += count }
        return Array(pending[pendingStart..<(pendingStart + count)])
    }

    private func pushStream() throws -> UnsafeMutablePointer<git_smart_subtransport_stream> {
        if let stream { return stream }
        guard let inner else { throw PktLine.ProtocolError("not connected to \(url)") }
        var out: UnsafeMutablePointer<git_smart_subtransport_stream>?
        try check(inner.pointee.action(&out, inner, url, GIT_SERVICE_RECEIVEPACK), "receive-pack(\(url))")
        stream = out
        // git:// and ssh:// answer with the connection the advertisement came on, which the smart
        // transport owns; http starts a request of its own, which is ours to free.
        ownsStream = isRPC
        return out!
    }

    /// Ends the conversation and frees everything libgit2 allocated for it (idempotent).
    func close() {
        if ownsStream, let stream { stream.pointee.free(stream) }
        stream = nil
        if let transport {
            _ = transport.pointee.close(transport)
            transport.pointee.free(transport) // frees the subtransport too
        }
        transport = nil
        inner = nil
        if let remote { git_remote_free(remote) }
        remote = nil
    }

    // MARK: the pass-through subtransport and stream

    private func makeSubtransport(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_smart_subtransport>?>,
                                  _ owner: UnsafeMutablePointer<git_transport>?) -> Int32 {
        var wrapped: UnsafeMutablePointer<git_smart_subtransport>?
        let result = factory(&wrapped, owner, nil)
        guard result == 0, let wrapped else { return result < 0 ? result : -1 }
        let sub = UnsafeMutablePointer<stemma_subtransport>.allocate(capacity: 1)
        sub.initialize(to: stemma_subtransport())
        sub.pointee.inner = wrapped
        sub.pointee.context = Unmanaged.passUnretained(self).toOpaque()
        sub.pointee.parent.action = { out, subtransport, url, service in
            let sub = UnsafeMutableRawPointer(subtransport!).assumingMemoryBound(to: stemma_subtransport.self)
            let inner = sub.pointee.inner!
            let result = inner.pointee.action(out, inner, url, service)
            // Only the advertisement's stream is wrapped (to copy what it reads); any other is
            // handed on as it is, and the smart transport only ever writes a closing flush to it.
            guard result == 0, service == GIT_SERVICE_RECEIVEPACK_LS || service == GIT_SERVICE_UPLOADPACK_LS,
                  let given = out?.pointee else { return result }
            let stream = UnsafeMutablePointer<stemma_stream>.allocate(capacity: 1)
            stream.initialize(to: stemma_stream())
            stream.pointee.inner = given
            stream.pointee.context = sub.pointee.context
            stream.pointee.parent.subtransport = subtransport
            stream.pointee.parent.read = { stream, buffer, size, read in
                let s = UnsafeMutableRawPointer(stream!).assumingMemoryBound(to: stemma_stream.self)
                let result = s.pointee.inner.pointee.read(s.pointee.inner, buffer, size, read)
                let connection = Unmanaged<ReceivePackConnection>.fromOpaque(s.pointee.context).takeUnretainedValue()
                if result == 0, connection.recording, let buffer, let read, read.pointee > 0 {
                    connection.advertisement += UnsafeRawBufferPointer(start: buffer, count: read.pointee)
                }
                return result
            }
            stream.pointee.parent.write = { stream, buffer, length in
                let s = UnsafeMutableRawPointer(stream!).assumingMemoryBound(to: stemma_stream.self)
                return s.pointee.inner.pointee.write(s.pointee.inner, buffer, length)
            }
            stream.pointee.parent.free = { stream in
                let s = UnsafeMutableRawPointer(stream!).assumingMemoryBound(to: stemma_stream.self)
                s.pointee.inner.pointee.free(s.pointee.inner)
                s.deinitialize(count: 1)
                s.deallocate()
            }
            out!.pointee = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: git_smart_subtransport_stream.self)
            return 0
        }
        sub.pointee.parent.close = { subtransport in
            let sub = UnsafeMutableRawPointer(subtransport!).assumingMemoryBound(to: stemma_subtransport.self)
            return sub.pointee.inner.pointee.close(sub.pointee.inner)
        }
        sub.pointee.parent.free = { subtransport in
            let sub = UnsafeMutableRawPointer(subtransport!).assumingMemoryBound(to: stemma_subtransport.self)
            sub.pointee.inner.pointee.free(sub.pointee.inner)
            sub.deinitialize(count: 1)
            sub.deallocate()
        }
        inner = wrapped
        out.pointee = UnsafeMutableRawPointer(sub).assumingMemoryBound(to: git_smart_subtransport.self)
        return 0
    }
}
