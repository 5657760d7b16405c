import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Object files shared between two repositories on this machine, as `git clone` of a path does:
/// each pack (`.pack`, then its `.idx`) and loose object of one repository's `objects` folder
/// the other lacks is hard-linked into it (copied where a link is not possible, across file
/// systems say). Git objects are immutable and named by their content, so a file already there
/// is the same object, and a link is as good as a copy.
///
/// libgit2 1.5.1 builds every pack it sends from scratch (new deltas, one thread), about ten
/// times git's time for a whole corpus, where git reuses the deltas already stored (so does
/// Stemma's own network push, `ReusingPackWriter`; sharing files is quicker still). With the
/// objects in place, a clone's fetch over the local transport finds every commit present and
/// sends nothing, and a push only has to move the remote's reference.
public enum ObjectFiles {
    public struct Copied: Sendable, Equatable {
        public var linked = 0
        public var copied = 0
    }

    /// Whether `objects` (an `objects` folder) borrows objects from another repository: its files
    /// alone are then not all of its objects, and sharing them would leave objects out.
    public static func usesAlternates(_ objects: String) -> Bool {
        access(objects + "/info/alternates", F_OK) == 0
    }

    /// Links (or copies) into `destination` every object file of `source` it lacks. Packs are
    /// listed again after the loose objects, so a `git gc` packing them meanwhile loses nothing.
    @discardableResult
    public static func share(from source: String, into destination: String) throws -> Copied {
        var copied = Copied()
        try sharePacks(source, destination, &copied)
        for folder in names(in: source) where folder.utf8.count == 2 && folder.utf8.allSatisfy(isHexDigit) {
            let names = self.names(in: source + "/" + folder).filter { $0.utf8.count == 38 && $0.utf8.allSatisfy(isHexDigit) }
            guard !names.isEmpty else { continue }
            mkdir(destination + "/" + folder, 0o755)
            for name in names { try share(source + "/" + folder + "/" + name, destination + "/" + folder + "/" + name, &copied) }
        }
        try sharePacks(source, destination, &copied)
        return copied
    }

    private static func sharePacks(_ source: String, _ destination: String, _ copied: inout Copied) throws {
        mkdir(destination + "/pack", 0o755)
        for name in names(in: source + "/pack") where name.hasPrefix("pack-") && name.hasSuffix(".idx") {
            let stem = String(name.dropLast(4))
            // The pack before its index: a reader finds packs by their .idx.
            for file in [stem + ".pack", name] { try share(source + "/pack/" + file, destination + "/pack/" + file, &copied) }
        }
    }

    private static func share(_ from: String, _ to: String, _ copied: inout Copied) throws {
        if access(to, F_OK) == 0 { return }
        if link(from, to) == 0 { copied.linked += 1; return }
        if errno == EEXIST { return }
        if errno == ENOENT && access(from, F_OK) != 0 { return } // removed meanwhile (a gc): it is in a pack now
        try copy(from, to)
        copied.copied += 1
    }

    /// Copies a file under a temporary name, then renames it: a reader never sees half of one.
    private static func copy(_ from: String, _ to: String) throws {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("open(\(from))") }
        defer { close(input) }
        let temporary = to + ".tmp-\(getpid())"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard output >= 0 else { throw failure("open(\(temporary))") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0, buffer.withUnsafeBytes({ write(output, $0.baseAddress, count) }) == count else {
                let error = failure("copy \(from)")
                close(output); unlink(temporary)
                throw error
            }
        }
        guard close(output) == 0, rename(temporary, to) == 0 else {
            let error = failure("rename(\(temporary))")
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ operation: String) -> GitError {
        GitError(code: -1, errorClass: Int32(GIT_ERROR_OS.rawValue), message: String(cString: strerror(errno)), operation: operation)
    }

    private static func names(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
