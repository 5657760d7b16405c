import CLibGit2

/// An open git repository. Owns its `git_repository*` and `git_odb*` and frees them in `deinit`.
///
/// Thread-safety: libgit2 lets one thread use a repository handle at a time, so a
/// `Repository` is deliberately not `Sendable`. Open one per thread or task; opening is
/// cheap (a few file reads). Separate handles, even in separate processes, may write to
/// the same repository at once: objects are content-addressed and references move by
/// compare-and-swap (`updateReference(_:to:expecting:message:)`).
public final class Repository {
    let pointer: OpaquePointer
    let odb: OpaquePointer
    /// The folder libgit2 opened: for a bare repository the repository itself.
    public let path: String
    /// In bulk-write mode, the pack being written (created at the first object after a
    /// `finishPack()`), and the ids it holds, so each object goes in once.
    var isBulk = false
    var pack: PackStream?
    var packedIDs = Set<ObjectID>()

    private init(pointer: OpaquePointer) throws {
        self.pointer = pointer
        var odbPointer: OpaquePointer?
        do {
            try check(git_repository_odb(&odbPointer, pointer), "git_repository_odb")
        } catch {
            git_repository_free(pointer)
            throw error
        }
        self.odb = odbPointer!
        self.path = String(cString: git_repository_path(pointer))
        // Every property is set: should this throw, `deinit` frees both pointers.
        try LooseObjectGuard.install(on: odb, objects: objectsFolder)
    }

    deinit {
        git_odb_free(odb)
        git_repository_free(pointer)
    }

    /// Opens the repository at exactly `path` (no search upwards).
    public static func open(at path: String) throws -> Repository {
        Libgit2.ensureInitialised()
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                  "git_repository_open(\(path))")
        return try Repository(pointer: repo!)
    }

    /// Creates a bare repository at `path` whose HEAD names `initialBranch` (unborn until the first commit).
    public static func createBare(at path: String, initialBranch: String = "main") throws -> Repository {
        Libgit2.ensureInitialised()
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)), "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var repo: OpaquePointer?
        let result = initialBranch.withCString { branch -> Int32 in
            options.initial_head = branch
            return git_repository_init_ext(&repo, path, &options)
        }
        try check(result, "git_repository_init(\(path))")
        return try Repository(pointer: repo!)
    }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    // MARK: configuration

    /// A string from the repository's configuration (with the user's and system's below it), or nil.
    public func configString(_ name: String) throws -> String? {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, pointer), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        let result = git_config_get_string(&value, config, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_config_get_string(\(name))")
        return value.map { String(cString: $0) }
    }

    /// Sets a string in the repository's own configuration file.
    public func setConfigString(_ name: String, _ value: String) throws {
        var config: OpaquePointer?
        try check(git_repository_config(&config, pointer), "git_repository_config")
        defer { git_config_free(config) }
        try check(git_config_set_string(config, name, value), "git_config_set_string(\(name))")
    }
}
