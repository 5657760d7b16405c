import CZlib
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Writes one packfile (git's pack-format.txt, version 2) as objects arrive, so a bulk write
/// holds no more than one batch of raw objects in memory, whatever the size of the pack.
///
/// Objects collect in a batch of a few megabytes; each full batch is delta-compressed and
/// deflated on all cores and appended to a temporary file in `objects/pack/` (named `tmp_…`,
/// which `git gc` removes if a crash leaves one). `finish()` writes the object count into the
/// header, checksums the file, renames it to `pack-<checksum>.pack` and writes its version-2
/// index beside it, index last, so readers never see half a pack.
///
/// Deltas: an object given a delta key is stored as an offset delta against the last object of
/// the same key in this pack (the previous edition of a story, the previous version of a
/// folder), in chains of at most 50. The bases kept for that are bounded in bytes.
final class PackStream {
    struct Pending {
        let id: ObjectID
        let kind: ObjectKind
        let bytes: [UInt8]
        /// Index in `entries` (this pack's objects in order) of the delta base, and its bytes.
        let base: (entry: Int, bytes: [UInt8])?
    }

    private struct Base {
        let entry: Int
        let bytes: [UInt8]
        let depth: Int
    }

    static let maximumChainDepth = 50
    /// A batch is deflated and written once it holds this many raw bytes (or objects).
    static let batchBytes = 4 << 20, batchObjects = 4_096
    /// Bases kept for deltas, at most; past it they are all dropped and the next version of
    /// each key starts a new chain.
    static let basesLimit = 32 << 20

    let folder: String
    let level: Int32
    private let temporaryPath: String
    private var fd: Int32
    /// Each object of the pack in order: id, offset in the file, CRC-32 of its entry.
    private var ids: [ObjectID] = []
    private var offsets: [Int] = []
    private var crcs: [UInt32] = []
    private var size = 0
    private var batch: [Pending] = []
    private var batchRawBytes = 0
    private var bases: [String: Base] = [:]
    private var basesBytes = 0
    private var finished = false
    private var cleanupSlot: Int?

    var objectCount: Int { ids.count + batch.count }

    init(folder: String, level: Int32) throws {
        self.folder = folder
        self.level = level
        // The name is registered for `PackCleanup` before the file exists, so an interrupt at
        // any moment finds it (mkstemp would create it first, and a signal may land on another thread).
        var created: (fd: Int32, path: String, slot: Int?)? = nil
        for _ in 0..<100 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let path = folder + PackCleanup.prefix + suffix
            let slot = PackCleanup.register(path)
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { created = (fd, path, slot); break }
            PackCleanup.unregister(slot)
            guard errno == EEXIST else { break }
        }
        guard let created else { throw PackStream.error("cannot create a pack in \(folder): \(String(cString: strerror(errno)))", "open") }
        (fd, temporaryPath, cleanupSlot) = created
        // Held until the rename: it tells `PackCleanup` this file is still being written.
        _ = flock(fd, LOCK_EX)
        fchmod(fd, 0o444)
        // Count 0 for now: the real count goes in at the end, before the checksum.
        try append(Array("PACK".utf8) + PackWriter.bigEndian(2) + PackWriter.bigEndian(0))
    }

    deinit {
        PackCleanup.unregister(cleanupSlot)
        if !finished {
            close(fd)
            unlink(temporaryPath) // an abandoned pack: nothing points at it
        }
    }

    /// Queues one object; `id` must be its git id (the caller hashed it).
    func add(id: ObjectID, kind: ObjectKind, bytes: [UInt8], deltaKey: String?) throws {
        let entry = ids.count + batch.count
        var base: (Int, [UInt8])? = nil
        if let key = deltaKey {
            var depth = 0
            if let previous = bases[key] {
                basesBytes -= previous.bytes.count
                if previous.depth < Self.maximumChainDepth { base = (previous.entry, previous.bytes); depth = previous.depth + 1 }
            }
            if basesBytes + bytes.count > Self.basesLimit { bases.removeAll(keepingCapacity: true); basesBytes = 0 }
            bases[key] = Base(entry: entry, bytes: bytes, depth: depth)
            basesBytes += bytes.count
        }
        batch.append(Pending(id: id, kind: kind, bytes: bytes, base: base))
        batchRawBytes += bytes.count
        if batchRawBytes >= Self.batchBytes || batch.count >= Self.batchObjects { try drain() }
    }

    /// Completes the pack: returns its name (the checksum in hex) and size in bytes.
    func finish() throws -> (name: String, bytes: Int) {
        try drain()
        bases.removeAll()
        let header = Array("PACK".utf8) + PackWriter.bigEndian(2) + PackWriter.bigEndian(UInt32(ids.count))
        guard header.withUnsafeBytes({ pwrite(fd, $0.baseAddress!, $0.count, 0) }) == header.count else {
            throw Self.error("cannot write \(temporaryPath): \(String(cString: strerror(errno)))", "pwrite")
        }
        let checksum = try checksumOfFile()
        try append(checksum)
        guard fsync(fd) == 0 else { throw Self.error("cannot sync \(temporaryPath): \(String(cString: strerror(errno)))", "fsync") }
        let name = checksum.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let packPath = folder + "pack-" + name + ".pack"
        guard rename(temporaryPath, packPath) == 0 else {
            throw Self.error("cannot write \(packPath): \(String(cString: strerror(errno)))", "rename")
        }
        PackCleanup.unregister(cleanupSlot)
        cleanupSlot = nil
        close(fd)
        finished = true
        let index = PackWriter.index(ids: ids, offsets: offsets, crcs: crcs, packChecksum: checksum)
        try PackStream.writeFileAtomically(folder + "pack-" + name + ".idx", index)
        return (name, size)
    }

    /// Deltas and deflation of the batch on all cores, then one append in order.
    private func drain() throws {
        guard !batch.isEmpty else { return }
        let objects = batch
        let first = ids.count
        let level = self.level
        let slots = UnsafeMutableBufferPointer<(payload: [UInt8], isDelta: Bool, deflated: [UInt8])>.allocate(capacity: objects.count)
        slots.initialize(repeating: ([], false, []))
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots // each worker writes only its own slots
        let chunks = min(objects.count, 16)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let deflater = Deflater(level: level)
            for i in stride(from: c, to: objects.count, by: chunks) {
                let o = objects[i]
                var payload = o.bytes, isDelta = false
                if let base = o.base {
                    let d = PackWriter.delta(from: base.bytes, to: o.bytes)
                    if d.count < o.bytes.count / 2 { payload = d; isDelta = true } // a poor delta is not worth a chain link
                }
                out[i] = (payload, isDelta, deflater.compress(payload))
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(slots.reduce(0) { $0 + $1.deflated.count + 24 })
        for (i, o) in objects.enumerated() {
            let start = buffer.count
            let offset = size + start
            let slot = slots[i]
            if slot.isDelta, let base = o.base {
                buffer += PackWriter.header(type: 6, size: slot.payload.count)
                buffer += PackWriter.offsetEncoding(offset - offsets[base.entry])
            } else {
                buffer += PackWriter.header(type: PackWriter.typeCode(o.kind), size: slot.payload.count)
            }
            buffer += slot.deflated
            let crc = buffer.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress! + start, uInt($0.count - start))) }
            ids.append(o.id); offsets.append(offset); crcs.append(crc)
        }
        precondition(ids.count == first + objects.count)
        batch.removeAll(keepingCapacity: true)
        batchRawBytes = 0
        try append(buffer)
    }

    private func append(_ bytes: [UInt8]) throws {
        guard Self.writeAll(fd, bytes) else { throw Self.error("cannot write \(temporaryPath): \(String(cString: strerror(errno)))", "write") }
        size += bytes.count
    }

    /// SHA-1 of the file as written so far (re-read from the page cache: the header changed).
    private func checksumOfFile() throws -> [UInt8] {
        var sha = SHA1()
        var at = 0
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 20) { chunk in
            while at < size {
                let n = pread(fd, chunk.baseAddress!, min(chunk.count, size - at), off_t(at))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Self.error("cannot read \(temporaryPath): \(String(cString: strerror(errno)))", "pread") }
                sha.update(UnsafeRawBufferPointer(start: chunk.baseAddress!, count: n))
                at += n
            }
        }
        return sha.finish()
    }

    static func writeFileAtomically(_ file: String, _ bytes: [UInt8]) throws {
        let temporary = file + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o444)
        guard fd >= 0 else { throw error("cannot create \(temporary): \(String(cString: strerror(errno)))", "open") }
        let ok = writeAll(fd, bytes) && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw error("cannot write \(file): \(String(cString: strerror(errno)))", "write")
        }
    }

    /// Writes all of `bytes` at the file's offset, retrying short and interrupted writes.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    private static func error(_ message: String, _ operation: String) -> GitError {
        GitError(code: -1, errorClass: 2, message: message, operation: operation)
    }
}
