import Foundation
import Git

/// A Stemma corpus: a bare git repository of editions (see docs/FORMAT.md), plus a derived
/// index beside it that is rebuilt from git whenever it is missing or behind.
///
/// Thread-safety: one thread at a time (it owns a `Repository`). Several processes may use
/// one corpus at once: `main` moves only by compare-and-swap.
public final class Corpus {
    public static let mainRef = "refs/heads/main"
    public static let defaultFolderName = ".stemma"
    static let fallbackName = "Stemma"
    static let fallbackEmail = "stemma@localhost"

    public let path: String
    let repository: Repository
    private var cachedIndex: CorpusIndex?
    /// The matching index (Matching/MatchIndex.swift), opened on first use.
    var cachedMatchIndex: MatchIndex?
    /// Where warnings go (a post hook that failed, say): the CLI prints them on stderr.
    public var onWarning: (String) -> Void = { _ in }
    /// Seconds a hook may run before it is stopped and counts as failed (0: no limit).
    public var hookTimeout: TimeInterval = 30
    /// Called while the index is rebuilt for longer than a second, with records done and in all.
    public var onIndexProgress: ((Int, Int) -> Void)?
    /// Called while `grep` fills its word index for longer than a second, with texts done and in all.
    public var onSearchIndexProgress: ((Int, Int) -> Void)?
    private var warnedAboutBadRecords = false

    func warn(_ message: String) { onWarning(message) }

    private init(path: String, repository: Repository) {
        self.path = path
        self.repository = repository
    }

    // MARK: opening

    /// Creates a new, empty corpus at `path` with its descriptor committed.
    @discardableResult
    public static func create(at path: String) throws -> Corpus {
        if FileManager.default.fileExists(atPath: path) {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            if !contents.isEmpty { throw StemmaError.user("\(path) already exists and is not empty") }
        }
        let repository = try gitCall { try Repository.createBare(at: path) }
        try gitCall {
            try repository.setConfigString("stemma.format", String(CorpusLayout.formatVersion))
            let blob = try repository.writeBlob(Array(CorpusLayout.descriptor.utf8))
            let tree = try repository.updateTree(nil, [TreeUpdate(path: CorpusLayout.descriptorPath, action: .upsertBlob(blob))])
            let signature = repository.defaultSignature(fallbackName: fallbackName, fallbackEmail: fallbackEmail)
            let commit = try repository.createCommit(tree: tree, parents: [], message: "Create Stemma corpus\n",
                                                     author: signature, committer: signature)
            try repository.updateReference(mainRef, to: commit, expecting: nil, message: "stemma init")
        }
        return Corpus(path: path, repository: repository)
    }

    /// Opens the corpus at exactly `path`; throws `.corpus` when there is none or it is not a Stemma corpus.
    public static func open(at path: String) throws -> Corpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StemmaError.corpus("no corpus at \(path) (create one with 'stemma init')")
        }
        let repository: Repository
        do {
            repository = try Repository.open(at: path)
        } catch {
            // The folder `stemma init` with no argument made a corpus in, named instead of its corpus.
            let inside = (path as NSString).appendingPathComponent(defaultFolderName)
            let hint = FileManager.default.fileExists(atPath: inside + "/HEAD") ? "; did you mean \(inside)?" : ""
            throw StemmaError.corpus("\(path) is not a stemma corpus (not a git repository)\(hint)")
        }
        // A corpus is bare: main moves without a checkout, so a working tree would silently fall
        // behind it, and files in a tree (hooks/ among them) must never be taken for the corpus's own.
        guard repository.isBare else {
            throw StemmaError.corpus("\(path) is a git repository with a working tree, not a corpus; a corpus is bare (make one with 'git clone --bare \(path) DIR' or 'stemma init DIR')")
        }
        let corpus = Corpus(path: path, repository: repository)
        guard try corpus.isStemmaCorpus() else {
            throw StemmaError.corpus("\(path) is a git repository but not a stemma corpus (no \(CorpusLayout.descriptorPath) on main)")
        }
        return corpus
    }

    /// Another handle on this corpus, for another thread (a `Corpus` is one thread's at a time):
    /// a repository and index connections of its own. Its warnings go where this one's go; the
    /// unreadable records of the index, which this one has named, are not named again.
    func sibling() throws -> Corpus {
        let other = try Corpus.open(at: path)
        other.onWarning = onWarning
        other.hookTimeout = hookTimeout
        other.warnedAboutBadRecords = warnedAboutBadRecords
        return other
    }

    /// A corpus is recognised by its committed descriptor, so a plain `git clone --bare` of one is one too.
    private func isStemmaCorpus() throws -> Bool {
        if (try? repository.configString("stemma.format")) ?? nil != nil { return true }
        guard let tip = try gitCall({ try repository.referenceTarget(Self.mainRef) }) else { return false }
        let tree = try gitCall { try repository.commit(tip).tree }
        return try gitCall { try repository.treeEntry(in: tree, path: CorpusLayout.descriptorPath) } != nil
    }

    /// Where the corpus is: `explicit` (--corpus), else `$STEMMA_CORPUS`, else the nearest `.stemma`
    /// folder from `directory` upwards, or the nearest folder that is itself a bare repository (a
    /// corpus made by `stemma clone URL DIR`, worked in from inside), as git finds `.git` or a bare
    /// repository.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              from directory: String = FileManager.default.currentDirectoryPath) throws -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["STEMMA_CORPUS"], !env.isEmpty { return env }
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = url.appendingPathComponent(defaultFolderName).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
            if looksLikeGitFolder(url.path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        throw StemmaError.corpus("no corpus found: pass --corpus PATH, set STEMMA_CORPUS, or run 'stemma init' (looked for \(defaultFolderName) from \(directory) upwards)")
    }

    /// A git folder as git recognises one: `HEAD`, `objects/` and `refs/`.
    private static func looksLikeGitFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        return manager.fileExists(atPath: path + "/HEAD")
            && manager.fileExists(atPath: path + "/objects", isDirectory: &isDirectory) && isDirectory.boolValue
            && manager.fileExists(atPath: path + "/refs", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    // MARK: reading

    /// The commit `main` points to.
    public func mainCommit() throws -> ObjectID? {
        try gitCall { try repository.referenceTarget(Self.mainRef) }
    }

    /// The derived index, caught up with `main` (rebuilt if missing or unusable).
    public func index() throws -> CorpusIndex {
        if cachedIndex == nil { cachedIndex = try CorpusIndex.open(for: self) }
        cachedIndex!.onProgress = onIndexProgress
        try cachedIndex!.catchUp()
        if !warnedAboutBadRecords {
            // One unreadable record must not silence the rest: name it once, answer for the others.
            warnedAboutBadRecords = true
            for bad in try cachedIndex!.badRecords() {
                warn("skipped unreadable edition record \(bad.path) (commit \(bad.commit)): \(bad.reason); 'stemma verify' checks the corpus")
            }
        }
        return cachedIndex!
    }

    /// The exact bytes of edition `edition` (a full id).
    public func text(of edition: String) throws -> [UInt8] {
        guard let id = ObjectID(hex: edition) else { throw StemmaError.user("bad edition id '\(edition)'") }
        guard try gitCall({ try repository.kind(of: id) }) == .blob else {
            throw StemmaError.corpus("edition \(edition) is recorded but its text is missing from the object store")
        }
        return try gitCall { try repository.blobBytes(id) }
    }

    /// Every edition of `story`, newest first (by date, then commit order).
    public func log(story: String) throws -> [LoggedEdition] {
        try EditionMetadata.validateStory(story)
        return try index().editions(story: story)
    }

    /// Every story with its number of editions, in story-id order.
    public func stories() throws -> [(story: String, editions: Int)] {
        try index().stories()
    }

    /// Resolves an edition reference (see `EditionReference`).
    /// An id names bytes, which may be recorded in several stories or from several sources: then
    /// the one chosen is said (a warning), as is how to name another.
    public func resolve(_ reference: String) throws -> LoggedEdition {
        let parsed = try EditionReference(parsing: reference)
        let index = try index()
        let found = try parsed.resolve(in: index)
        if case .id = parsed {
            let records = try index.editions(idPrefix: found.edition).filter { $0.edition == found.edition }
            if records.count > 1 {
                let others = records.filter { $0 != found }.map { "\($0.metadata.story):\($0.metadata.source)" }
                warn("edition \(found.edition.prefix(12)) is recorded \(records.count) times; using \(found.metadata.story):\(found.metadata.source) (name another as \(others.joined(separator: ", ")))")
            }
        }
        return found
    }

    /// Throws `.corpus` when the corpus cannot be written to, before anything is written.
    /// Root ignores permission bits, so the bits themselves are checked too: a corpus someone
    /// made read-only stays untouched even for root.
    func checkWritable() throws {
        for folder in [path, path + "/objects", path + "/refs", path + "/refs/heads"] {
            var info = stat()
            guard stat(folder, &info) == 0 else { continue }
            if info.st_mode & 0o222 == 0 || access(folder, W_OK) != 0 {
                throw StemmaError.corpus("corpus \(path) is read-only (\(folder) is not writable); nothing was written")
            }
        }
    }
}

/// One edition record as the index knows it: metadata plus the commits that recorded it.
public struct LoggedEdition: Sendable, Equatable {
    public var record: EditionRecord
    /// The commit that wrote the record as it now is.
    public var commit: String
    /// Commit time (of `commit`), seconds since 1970.
    public var committedAt: Int64
    /// Commit time's offset from UTC, in minutes.
    public var offsetMinutes: Int
    /// The commit that first added the record (the same as `commit` until an update).
    public var firstCommit: String

    public init(record: EditionRecord, commit: String, committedAt: Int64, offsetMinutes: Int, firstCommit: String? = nil) {
        self.record = record; self.commit = commit; self.committedAt = committedAt; self.offsetMinutes = offsetMinutes
        self.firstCommit = firstCommit ?? commit
    }

    public var edition: String { record.edition }
    public var metadata: EditionMetadata { record.metadata }
}

/// Runs a git-layer call, turning its `GitError` into a corpus error with libgit2's message.
func gitCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GitError {
        throw StemmaError.corpus("git: \(error.message) (\(error.operation))")
    }
}
