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

    /// Bounds what libgit2 keeps between reads, for a process about to read every object once
    /// (`verify`, a push over the network). Process-wide, for the rest of the process. The parsed-object cache is 256 MiB
    /// by default, counted in raw object bytes, so that parsed trees take several times as much;
    /// a walk over every commit reuses only the last few commits' trees, and 128 MiB holds them
    /// (below that the walk rereads trees). Mapped pack windows are 8 GiB by default; reads in
    /// history order are served as well from 64 MiB of them.
    public static func limitCachesForOneReadOfEverything() {
        Libgit2.ensureInitialised()
        _ = stemma_git_set_cache_max_size(128 * 1024 * 1024)
        _ = stemma_git_set_mwindow_mapped_limit(64 * 1024 * 1024)
    }
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
