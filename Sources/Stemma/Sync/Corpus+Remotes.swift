import Foundation
import Git

public typealias Remote = Git.Remote
public typealias TransferProgress = Git.TransferProgress

/// The remotes a corpus shares its editions with: git remotes, kept in the corpus's own git
/// configuration, so `git remote -v` shows the same list.
extension Corpus {
    public func remotes() throws -> [Remote] { try gitCall { try repository.remotes() } }

    public func addRemote(name: String, url: String) throws {
        guard Repository.isValidRemoteName(name) else {
            throw StemmaError.user("bad remote name '\(printable(name))': use letters, digits, '-', '_' and '.'")
        }
        guard !url.isEmpty else { throw StemmaError.user("remote \(name): the URL is empty") }
        if let existing = try gitCall({ try repository.remote(named: name) }) {
            throw StemmaError.user("remote \(name) already exists (\(existing.url)); remove it first with 'stemma remote remove \(name)'")
        }
        try checkWritable()
        try gitCall { try repository.addRemote(name: name, url: Self.remoteURL(url)) }
    }

    public func removeRemote(name: String) throws {
        _ = try existingRemote(name)
        try checkWritable()
        try gitCall { try repository.removeRemote(name: name) }
    }

    /// The remote called `name`, or a user error that says how to add one.
    func existingRemote(_ name: String) throws -> Remote {
        guard let remote = try gitCall({ try repository.remote(named: name) }) else {
            let known = try remotes().map(\.name)
            throw StemmaError.user("no remote '\(printable(name))'"
                + (known.isEmpty ? " (add one with 'stemma remote add NAME URL')" : " (remotes: \(known.joined(separator: ", ")))"))
        }
        return remote
    }

    /// The remote a command uses when none is named: `origin`, else the only one there is.
    public func defaultRemoteName() throws -> String {
        let names = try remotes().map(\.name)
        if names.contains("origin") { return "origin" }
        if names.count == 1 { return names[0] }
        if names.isEmpty { throw StemmaError.user("this corpus has no remote (add one with 'stemma remote add origin URL')") }
        throw StemmaError.user("this corpus has several remotes (\(names.joined(separator: ", "))) and none is 'origin': name one")
    }

    /// A URL as the remote configuration stores it: an existing local folder given by a
    /// relative path becomes absolute (as `git clone` does), so the remote still works when
    /// the command runs from another folder. Everything else is kept exactly as given.
    static func remoteURL(_ url: String) -> String {
        guard !url.contains("://"), !url.hasPrefix("/"), !Self.looksLikeSCP(url),
              FileManager.default.fileExists(atPath: url) else { return url }
        return URL(fileURLWithPath: url).standardizedFileURL.path
    }

    /// `host:path` (ssh's short form), as git tells it from a local path: a colon before any slash.
    static func looksLikeSCP(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        return !url[..<colon].contains("/")
    }

    /// A repository on this machine that a transfer can read and write as files.
    struct LocalSource {
        /// Its git folder and its `objects` folder.
        let path: String
        var objects: String { path + "/objects" }
        /// Its `main`, read before any object file is shared: every object it reaches was written before it.
        let main: ObjectID?
        /// A bare repository (no working tree whose checked-out branch a push would move under it).
        let isBare: Bool
    }

    /// A remote given as a path that names nothing is refused as git refuses it (libgit2 would
    /// call it an unsupported protocol).
    /// `doing` says what was tried ("fetch from origin"), as other transfer errors do.
    static func checkPathExists(_ url: String, doing: String? = nil) throws {
        if !url.contains("://") && !looksLikeSCP(url) && !FileManager.default.fileExists(atPath: url) {
            throw StemmaError.corpus((doing.map { $0 + ": " } ?? "") + "repository '\(printable(url))' does not exist")
        }
    }

    /// The repository a `file://` URL or a path names, when its object files are all its own
    /// (no alternates); nil for any other remote, which goes through libgit2's transports.
    static func localSource(_ url: String) throws -> LocalSource? {
        let path: String
        if url.hasPrefix("file://") {
            guard let parsed = URL(string: url), parsed.isFileURL else { return nil }
            path = parsed.path
        } else if !url.contains("://") && !looksLikeSCP(url) {
            path = url
        } else {
            return nil
        }
        for candidate in [path, path + "/.git"] where FileManager.default.fileExists(atPath: candidate + "/objects/pack")
            && FileManager.default.fileExists(atPath: candidate + "/refs") {
            guard !ObjectFiles.usesAlternates(candidate + "/objects") else { return nil }
            let repository = try gitCall { try Repository.open(at: candidate) }
            return LocalSource(path: candidate, main: try gitCall { try repository.referenceTarget(mainRef) },
                               isBare: !candidate.hasSuffix("/.git") && (try? repository.configString("core.bare")) != "false")
        }
        return nil
    }

    /// Where the remote's `main` is kept after a fetch: `refs/remotes/<name>/main`, as git does.
    static func trackingRef(_ remote: String) -> String { "refs/remotes/\(remote)/main" }

    /// Credentials for https remotes that ask for them, from the environment (a token, say):
    /// libgit2 does not run git's credential helpers.
    static var environmentCredentials: RemoteCredentials? {
        let env = ProcessInfo.processInfo.environment
        guard let password = env["STEMMA_GIT_PASSWORD"], !password.isEmpty else { return nil }
        return RemoteCredentials(username: env["STEMMA_GIT_USERNAME"] ?? "git", password: password)
    }

    /// The transports this build can use, for `stemma remote --help` and error messages.
    public static var transports: [String] {
        ["file://", "local path", "git://"] + (Transports.ssh ? ["ssh://", "user@host:path"] : []) + (Transports.https ? ["http://", "https://"] : [])
    }

    /// A transfer error as the user should see it: which remote, and libgit2's reason.
    static func transferError(_ error: GitError, remote: Remote, verb: String) -> StemmaError {
        // libssh2 sometimes gives no reason, and libgit2's "error authenticating: " ends in a colon.
        var reason = error.message.replacingOccurrences(of: ":  ", with: ": ")
        while reason.hasSuffix(":") || reason.hasSuffix(" ") { reason.removeLast() }
        var message = "\(verb) \(remote.name) (\(remote.url)) failed: \(reason)"
        if error.isAuthentication {
            let url = remote.url.lowercased()
            if url.hasPrefix("http://") || url.hasPrefix("https://") {
                message += " (set STEMMA_GIT_USERNAME and STEMMA_GIT_PASSWORD, a token, for this server)"
            } else {
                message += " (is a key this server accepts loaded in ssh-agent? 'ssh-add -l' lists them)"
            }
        }
        if error.message.contains("unsupported URL protocol") {
            message += " (this build supports \(transports.joined(separator: ", ")))"
        }
        if error.isLocked || error.message.contains(".lock' for writing") {
            // A reference's lock left by a process killed between taking it and renaming it.
            message += " (if no other git or stemma process is writing, it was left by one that was killed: remove it and try again)"
        }
        return .corpus(message)
    }
}
