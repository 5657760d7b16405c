import Foundation

/// Hook scripts a corpus runs around its own events, as git does: an executable file
/// `hooks/stemma-<event>` in the repository's own git folder, put there by its owner
/// (`stemma hooks install`). Never a file from a tree or a working copy, and git's `core.hooksPath`
/// is not followed: what a clone brings or a config names is someone else's code. A clone's git
/// folder starts without Stemma hooks, so a corpus fetched from elsewhere runs nothing until its
/// owner installs some. The examples ship inside the binary (`ShippedHooks`).
public enum HookEvent: String, Sendable, CaseIterable {
    /// Before an edition is written; the text on stdin, metadata in the environment. A non-zero
    /// exit refuses the edition (its first line of stderr is the reason).
    case preCommit = "stemma-pre-commit"
    /// After an edition is recorded, with `STEMMA_COMMIT` set.
    case postCommit = "stemma-post-commit"
    /// After an import, with the counts in the environment.
    case postImport = "stemma-post-import"

    /// The name users type: `pre-commit`.
    public var name: String { String(rawValue.dropFirst("stemma-".count)) }

    /// `pre-commit` or `stemma-pre-commit`.
    public init?(name: String) {
        guard let event = Self.allCases.first(where: { $0.name == name || $0.rawValue == name }) else { return nil }
        self = event
    }
}

/// What `Corpus.installHook` did.
public enum HookInstallation: Sendable, Equatable { case installed, replaced, alreadyInstalled }

extension Corpus {
    /// The corpus's own hooks folder, inside its git folder.
    public var hooksFolder: String { (repository.path.hasSuffix("/") ? repository.path : repository.path + "/") + "hooks" }

    public func hookPath(_ event: HookEvent) -> String { hooksFolder + "/" + event.rawValue }

    /// Whether `event` has an executable hook installed.
    public func isHookInstalled(_ event: HookEvent) -> Bool {
        var isDirectory: ObjCBool = false
        let file = hookPath(event)
        return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: file)
    }

    /// Installs the shipped example for `event`; an installed hook that differs is kept unless `replace`.
    @discardableResult
    public func installHook(_ event: HookEvent, replace: Bool = false) throws -> HookInstallation {
        let script = Array(ShippedHooks.script(for: event).utf8)
        let file = hookPath(event)
        let existing = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        if existing == script, isHookInstalled(event) { return .alreadyInstalled }
        if existing != nil, !replace {
            throw StemmaError.user("\(file) already exists and differs from the shipped \(event.name) hook; keep it, or pass --force to replace it")
        }
        try checkWritable()
        do {
            try FileManager.default.createDirectory(atPath: hooksFolder, withIntermediateDirectories: true)
            // Written beside it and renamed, so a half-written hook never runs.
            let temporary = hooksFolder + "/.\(event.rawValue).\(getpid()).tmp"
            try Data(script).write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            guard rename(temporary, file) == 0 else {
                try? FileManager.default.removeItem(atPath: temporary)
                throw StemmaError.corpus("cannot install \(file): \(String(cString: strerror(errno)))")
            }
        } catch let error as StemmaError {
            throw error
        } catch {
            throw StemmaError.corpus("cannot install \(file): \(error.localizedDescription)")
        }
        return existing == nil ? .installed : .replaced
    }

    /// Removes the installed hook for `event`; false when there was none.
    @discardableResult
    public func removeHook(_ event: HookEvent) throws -> Bool {
        let file = hookPath(event)
        guard FileManager.default.fileExists(atPath: file) else { return false }
        try checkWritable()
        do { try FileManager.default.removeItem(atPath: file) } catch {
            throw StemmaError.corpus("cannot remove \(file): \(error.localizedDescription)")
        }
        return true
    }

    /// Runs the hook if it is installed. Returns nil when it is absent or succeeded, else its
    /// reason for failing (first line of stderr, or the exit status).
    ///
    /// A hook cannot kill or hang Stemma (see `HookProcess`): a hook that exits without reading its
    /// input ends the write (no SIGPIPE); one that runs longer than `hookTimeout` is stopped and
    /// fails; once it has exited, a background child of it that holds stderr open is not waited for.
    func runHook(_ event: HookEvent, environment: [String: String], input: [UInt8] = []) -> String? {
        guard isHookInstalled(event) else { return nil }
        var env = ProcessInfo.processInfo.environment
        env["STEMMA_CORPUS"] = path
        for (k, v) in environment { env[k] = v }
        let outcome = HookProcess.run(hookPath(event), in: path, environment: env, input: input, timeout: hookTimeout)
        func firstLine(_ data: Data) -> String? {
            String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
        }
        switch outcome {
        case .exited(0, _): return nil
        case .exited(let status, let errors): return firstLine(errors) ?? "\(event.rawValue) hook exited with status \(status)"
        case .killed(let signal, let errors): return firstLine(errors) ?? "\(event.rawValue) hook was killed by signal \(signal)"
        case .timedOut: return "\(hookPath(event)) did not finish within \(Self.seconds(hookTimeout)) and was stopped (--hook-timeout)"
        case .failedToStart(let reason): return "\(event.rawValue) hook could not run: \(reason)"
        }
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? "\(Int(t)) s" : String(format: "%.1f s", t)
    }

    static func hookEnvironment(_ m: EditionMetadata, edition: String) -> [String: String] {
        var env = ["STEMMA_EDITION": edition, "STEMMA_STORY": m.story, "STEMMA_SOURCE": m.source, "STEMMA_DATE": m.date]
        if let t = m.title { env["STEMMA_TITLE"] = t }
        if let u = m.url { env["STEMMA_URL"] = u }
        if let d = m.derivedFrom { env["STEMMA_DERIVED_FROM"] = d }
        return env
    }
}
