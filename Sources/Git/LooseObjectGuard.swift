import CLibGit2
import Foundation

/// `LooseObjectCheck` in front of libgit2's loose backend, for the reads libgit2 makes: a
/// revwalk's, a merge base's, a tree diff's as much as ours by id. libgit2 1.5.1 loops forever
/// inflating a loose file cut short, and its walks read commits we never name (every command
/// that rebuilt the index, `log` and `verify` hung on one damaged commit).
///
/// A backend of the repository's object database that holds no object: for one whose loose file
/// is whole, or that has none, it answers "not here" (`GIT_ENOTFOUND`, no error set), and the
/// next backend is asked; for one whose file is damaged it fails with the check's words, and the
/// read fails with them. It sits at the pack backend's priority, above the loose one's: the loose
/// backend is never asked first, and a packed object is found before this is asked at all (a
/// look-up by prefix asks every backend: one directory listing here).
///
/// Not covered: `git_odb_open_rstream` (libgit2 asks backends with a stream reader only; Stemma
/// reads no object as a stream), and repositories libgit2 opens itself, such as the other side
/// of a fetch or push to a local path.
enum LooseObjectGuard {
    /// What the callbacks know of the repository: where its loose objects are.
    private final class Context {
        let objects: String
        init(objects: String) { self.objects = objects }
    }

    /// Adds the guard to `odb`, which then owns it (freed with the database, `release`).
    static func install(on odb: OpaquePointer, objects: String) throws {
        let guardBackend = UnsafeMutablePointer<stemma_odb_guard>.allocate(capacity: 1)
        guardBackend.initialize(to: stemma_odb_guard())
        let initialised = guardBackend.withMemoryRebound(to: git_odb_backend.self, capacity: 1) {
            git_odb_init_backend($0, UInt32(GIT_ODB_BACKEND_VERSION))
        }
        if initialised < 0 { guardBackend.deallocate() }
        try check(initialised, "git_odb_init_backend")
        guardBackend.pointee.context = Unmanaged.passRetained(Context(objects: objects)).toOpaque()
        guardBackend.pointee.parent.read = { _, _, _, backend, id in LooseObjectGuard.verdict(backend, id) }
        guardBackend.pointee.parent.read_header = { _, _, backend, id in LooseObjectGuard.verdict(backend, id) }
        guardBackend.pointee.parent.read_prefix = { _, _, _, _, backend, prefix, length in LooseObjectGuard.verdict(backend, prefix: prefix, length: length) }
        guardBackend.pointee.parent.free = { backend in LooseObjectGuard.release(backend) }
        let added = guardBackend.withMemoryRebound(to: git_odb_backend.self, capacity: 1) {
            git_odb_add_backend(odb, $0, packPriority)
        }
        if added < 0 { release(UnsafeMutableRawPointer(guardBackend).assumingMemoryBound(to: git_odb_backend.self)) } // not taken: still ours
        try check(added, "git_odb_add_backend")
    }

    /// libgit2's priority for pack files (`GIT_ODB_DEFAULT_PACKED_PRIORITY`); loose objects have 1.
    private static let packPriority: Int32 = 2

    /// What the guard answers for an object it lets be read: "not here", for the next backend to
    /// read. (`GIT_PASSTHROUGH` would do for a read, but makes a header read that finds nothing
    /// read the whole object again.)
    private static let fine = GIT_ENOTFOUND.rawValue

    private static func context(_ backend: UnsafeMutablePointer<git_odb_backend>?) -> Context? {
        guard let backend else { return nil }
        return backend.withMemoryRebound(to: stemma_odb_guard.self, capacity: 1) { guardBackend in
            guardBackend.pointee.context.map { Unmanaged<Context>.fromOpaque($0).takeUnretainedValue() }
        }
    }

    private static func release(_ backend: UnsafeMutablePointer<git_odb_backend>?) {
        guard let backend else { return }
        // The backend is the first member of the guard (shim.h), which `install` allocated.
        let guardBackend = UnsafeMutableRawPointer(backend).assumingMemoryBound(to: stemma_odb_guard.self)
        if let context = guardBackend.pointee.context { Unmanaged<Context>.fromOpaque(context).release() }
        guardBackend.deallocate()
    }

    /// "Not here" (`fine`), or a failed read when the object's loose file is damaged.
    private static func verdict(_ backend: UnsafeMutablePointer<git_odb_backend>?, _ oid: UnsafePointer<git_oid>?) -> Int32 {
        guard let context = context(backend), let oid else { return fine }
        return verdict(ObjectID(oid.pointee), objects: context.objects)
    }

    /// As `verdict(_:_:)` for the loose files whose names start with a prefix of `length` hex digits.
    private static func verdict(_ backend: UnsafeMutablePointer<git_odb_backend>?, prefix: UnsafePointer<git_oid>?, length: Int) -> Int32 {
        guard let context = context(backend), let prefix, length >= 2 else { return fine }
        let hex = String(ObjectID(prefix.pointee).hex.prefix(length))
        let folder = context.objects + "/" + hex.prefix(2)
        let rest = hex.dropFirst(2)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(rest) {
            guard let id = ObjectID(hex: String(hex.prefix(2)) + name) else { continue }
            let answer = verdict(id, objects: context.objects)
            if answer != fine { return answer }
        }
        return fine
    }

    private static func verdict(_ id: ObjectID, objects: String) -> Int32 {
        guard let problem = LooseObjectCheck.problem(id, objects: objects) else { return fine }
        git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), "object \(id) is damaged: \(problem)")
        return -1
    }
}
