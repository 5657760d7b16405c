import Foundation

/// OpenSSH's known-hosts files, read as `ssh` reads them (sshd(8), "SSH_KNOWN_HOSTS FILE
/// FORMAT"), to decide whether an ssh server is the one it claims to be. libgit2 1.5.1 checks no
/// host key itself: it refuses every ssh connection unless a callback accepts the key, so this is
/// what makes `ssh://` remotes work, and work safely.
///
/// A line is `[@marker] patterns keytype base64-key [comment]`. Patterns are comma-separated
/// host names with `*` and `?` wild cards and `!` to exclude, or one hashed name
/// (`|1|base64-salt|base64-HMAC-SHA1`, from `ssh-keygen -H` or `HashKnownHosts yes`). A host on
/// a port other than 22 is written `[host]:port`. `@revoked` keys are refused; `@cert-authority`
/// lines (host certificates) are not used.
public struct KnownHosts: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// A line names the host with this very key.
        case known
        /// Lines name the host, but none with a key of this type (or no line names it at all).
        case unknown
        /// A line names the host with another key of the same type: the key changed, or someone
        /// is in the middle.
        case changed(file: String, line: Int)
        /// The key is marked `@revoked`.
        case revoked(file: String, line: Int)
    }

    struct Entry: Sendable {
        let file: String
        let line: Int
        let revoked: Bool
        let patterns: String
        let keyType: String
        let key: [UInt8]
    }

    let entries: [Entry]

    /// The files `ssh` reads by default: the user's, then the system's.
    public static func defaultFiles(home: String? = ProcessInfo.processInfo.environment["HOME"]) -> [String] {
        var files: [String] = []
        if let home, !home.isEmpty { files += [home + "/.ssh/known_hosts", home + "/.ssh/known_hosts2"] }
        return files + ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"]
    }

    /// Reads `files`; a missing or unreadable file counts as empty, as it does for `ssh`.
    public init(files: [String] = KnownHosts.defaultFiles()) {
        var entries: [Entry] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let entry = Self.parse(line, file: file, line: number + 1) { entries.append(entry) }
            }
        }
        self.entries = entries
    }

    static func parse(_ line: Substring, file: String, line number: Int) -> Entry? {
        var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = fields.first, !first.hasPrefix("#") else { return nil }
        var revoked = false
        if first.hasPrefix("@") {
            guard first == "@revoked" else { return nil } // @cert-authority: host certificates, not used
            revoked = true
            fields.removeFirst()
        }
        guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { return nil }
        return Entry(file: file, line: number, revoked: revoked, patterns: fields[0], keyType: fields[1], key: Array(key))
    }

    /// What the files say of `key` (the server's host key blob, as sent in the ssh handshake)
    /// for `host` on `port`.
    public func verdict(host: String, port: Int, key: [UInt8]) -> Verdict {
        let name = port == 22 ? host.lowercased() : "[\(host.lowercased())]:\(port)"
        let type = Self.keyType(of: key)
        var changed: Verdict?
        for entry in entries where Self.matches(entry.patterns, name) {
            if entry.revoked {
                if entry.key == key { return .revoked(file: entry.file, line: entry.line) }
                continue
            }
            if entry.key == key { return .known }
            if entry.keyType == type, changed == nil { changed = .changed(file: entry.file, line: entry.line) }
        }
        return changed ?? .unknown
    }

    /// The algorithm name a key blob starts with (RFC 4253 §6.6: a length-prefixed string).
    static func keyType(of key: [UInt8]) -> String? {
        guard key.count >= 4 else { return nil }
        let length = Int(key[0]) << 24 | Int(key[1]) << 16 | Int(key[2]) << 8 | Int(key[3])
        guard length > 0, length <= key.count - 4 else { return nil }
        return String(decoding: key[4..<(4 + length)], as: UTF8.self)
    }

    /// Whether a line's host field names `name` (already lowercased and with its port).
    static func matches(_ patterns: String, _ name: String) -> Bool {
        if patterns.hasPrefix("|1|") { return hashedMatches(patterns, name) }
        var matched = false
        for pattern in patterns.lowercased().split(separator: ",") {
            if pattern.hasPrefix("!") {
                if glob(pattern.dropFirst(), name) { return false }
            } else if glob(pattern, name) {
                matched = true
            }
        }
        return matched
    }

    /// `|1|salt|hash`: hash = HMAC-SHA1(key: salt, message: name).
    static func hashedMatches(_ field: String, _ name: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])) else { return false }
        return hmacSHA1(key: Array(salt), message: Array(name.utf8)) == Array(hash)
    }

    /// `*` any run of characters, `?` one character; the whole name must match.
    static func glob(_ pattern: Substring, _ name: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(name.utf8)
        var i = 0, j = 0, star = -1, resume = 0
        while j < s.count {
            if i < p.count && (p[i] == UInt8(ascii: "?") || p[i] == s[j]) {
                i += 1; j += 1
            } else if i < p.count && p[i] == UInt8(ascii: "*") {
                star = i; resume = j; i += 1
            } else if star >= 0 {
                i = star + 1; resume += 1; j = resume
            } else {
                return false
            }
        }
        while i < p.count && p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }

    /// RFC 2104 HMAC over SHA-1 (64-byte blocks).
    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key
        if block.count > 64 { var h = SHA1(); h.update(block); block = h.finish() }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA1()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA1()
        outer.update(block.map { $0 ^ 0x5C })
        outer.update(inner.finish())
        return outer.finish()
    }
}
