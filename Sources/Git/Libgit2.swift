import CLibGit2

/// libgit2's process-wide state: initialised once, never shut down (shutting down while
/// another thread still holds an object would crash; the process exit frees everything).
enum Libgit2 {
    private static let initialised: Bool = {
        _ = git_libgit2_init()
        // Objects we write are always well-formed: skip libgit2's re-validation on writes.
        _ = stemma_git_set_strict_object_creation(0)
        // libgit2 caches no tree over 4 KiB, and a story's folder is larger as soon as it holds
        // some thirty editions: each walk over commits then read (from a delta chain) and
        // hashed the same folder again at every commit that touched it.
        _ = stemma_git_set_tree_cache_limit(1 << 20)
        return true
    }()

    @inline(__always)
    static func ensureInitialised() { _ = initialised }

    /// The libgit2 version this process runs against, such as "1.5.1".
    static var version: String {
        ensureInitialised()
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        _ = git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}

/// Public face of the library-wide settings.
public enum GitLibrary {
    public static var version: String { Libgit2.version }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C string from libgit2 as Swift text; bytes that are not UTF-8 are replaced, never trapped on.
func lenientString(_ cString: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: cString, count: strlen(cString)), as: UTF8.self)
}
