import Foundation

/// Hook scripts a corpus runs around its own events, as git does: an executable file
/// `hooks/stemma-<event>` inside the corpus folder. A clone never carries them, so a corpus
/// fetched from elsewhere runs nothing until its owner installs hooks. Examples are in `Hooks/`.
public enum HookEvent: String, Sendable {
    /// Before an edition is written; the text on stdin, metadata in the environment. A non-zero
    /// exit refuses the edition (its first line of stderr is the reason).
    case preCommit = "stemma-pre-commit"
    /// After an edition is recorded, with `STEMMA_COMMIT` set.
    case postCommit = "stemma-post-commit"
    /// After an import, with the counts in the environment.
    case postImport = "stemma-post-import"
}

extension Corpus {
    public func hookPath(_ event: HookEvent) -> String { path + "/hooks/" + event.rawValue }

    /// Runs the hook if it is installed. Returns nil when it is absent or succeeded, else its
    /// reason for failing (first line of stderr, or the exit status).
    func runHook(_ event: HookEvent, environment: [String: String], input: [UInt8] = []) -> String? {
        let file = hookPath(event)
        guard FileManager.default.isExecutableFile(atPath: file) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: file)
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        env["STEMMA_CORPUS"] = path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        process.standardOutput = FileHandle.standardError
        do { try process.run() } catch { return "\(event.rawValue) hook could not run: \(error.localizedDescription)" }
        let writer = Thread {
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let first = String(decoding: errors, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return first ?? "\(event.rawValue) hook exited with status \(process.terminationStatus)"
    }

    static func hookEnvironment(_ m: EditionMetadata, edition: String) -> [String: String] {
        var env = ["STEMMA_EDITION": edition, "STEMMA_STORY": m.story, "STEMMA_SOURCE": m.source, "STEMMA_DATE": m.date]
        if let t = m.title { env["STEMMA_TITLE"] = t }
        if let u = m.url { env["STEMMA_URL"] = u }
        if let d = m.derivedFrom { env["STEMMA_DERIVED_FROM"] = d }
        return env
    }
}
