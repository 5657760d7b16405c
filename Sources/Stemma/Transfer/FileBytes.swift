#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads for imports: straight into an array of the file's size with `read(2)`.
/// `FileManager.contents(atPath:)` goes through `Data` and a copy, which showed as the largest
/// single item of an import's reading thread.
enum FileBytes {
    /// The file's bytes, or nil when it cannot be opened or read (a folder, a missing file).
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                count += n
            }
        }
        guard bytes.count == Int(info.st_size) else { return nil }
        // A file that grew since fstat: read the rest too, so the text is whole.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4_096) { chunk -> [UInt8]? in
            while true {
                let n = Glibc.read(fd, chunk.baseAddress!, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n == 0 ? bytes : nil }
                bytes += chunk[..<n]
            }
        }
    }
}

enum FilePaths {
    /// `path` with every symbolic link and `.`/`..` resolved, or nil when it does not exist.
    static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
