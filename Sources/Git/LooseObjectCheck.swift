import CLibGit2
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loose object file checked before libgit2 reads it (`LooseObjectGuard`): libgit2 1.5.1
/// loops forever inflating a loose file cut short (every length from 2 bytes to just under the
/// whole hung `verify`, `show`, `grep` and every walk of history; `git cat-file` fails at once). The file must inflate to its end, to a
/// `TYPE SIZE\0` header and exactly SIZE bytes after it; the id is left to libgit2, which
/// hashes what it reads.
///
/// Only a loose file is read here: a packed object (no file under `objects/xx/`) costs one
/// failed `open`. Loose objects are the few that single commits write; an import writes packs.
enum LooseObjectCheck {
    /// Why the loose file of `id` in `objects` cannot be read whole, or nil (also when the object
    /// is not loose).
    static func problem(_ id: ObjectID, objects: String) -> String? {
        let hex = id.hex
        let path = objects + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var compressed: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return "its loose file \(path) cannot be read" }
            if n == 0 { break }
            compressed += chunk[..<n]
        }
        return inflatedProblem(compressed).map { "its loose file objects/\(hex.prefix(2))/\(hex.dropFirst(2)) \($0)" }
    }

    /// Why `compressed` is not one whole zlib stream holding a loose object, or nil.
    static func inflatedProblem(_ compressed: [UInt8]) -> String? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return "cannot be inflated" }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var ended = false
        compressed.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (rc, produced) = buffer.withUnsafeMutableBytes { out -> (Int32, Int) in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(out.count)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    return (rc, out.count - Int(stream.avail_out))
                }
                output += buffer[..<produced]
                if rc == Z_STREAM_END { ended = true; return }
                // An error, or no progress with the input used up: the stream stops short.
                if rc != Z_OK || (produced == 0 && stream.avail_in == 0) { return }
            }
        }
        guard ended else { return "is cut short or damaged: it does not inflate to its end" }
        guard let nul = output.firstIndex(of: 0), let space = output[..<nul].firstIndex(of: 32),
              ["blob", "tree", "commit", "tag"].contains(String(decoding: output[..<space], as: UTF8.self)),
              let size = Int(String(decoding: output[(space + 1)..<nul], as: UTF8.self)) else {
            return "has no object header"
        }
        guard output.count - nul - 1 == size else { return "holds \(output.count - nul - 1) bytes where its header says \(size)" }
        return nil
    }
}

extension Repository {
    var objectsFolder: String { path + (path.hasSuffix("/") ? "" : "/") + "objects" }
}
