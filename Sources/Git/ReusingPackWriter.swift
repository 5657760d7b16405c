#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibGit2

/// Writes a pack of chosen objects the way `git pack-objects` does for a push: each entry that
/// a stored pack holds is copied as it is stored (compressed bytes and delta included), so the
/// cost is reading and sending, not inflating, delta-searching and deflating again.
///
/// - A whole (non-delta) stored entry is copied byte for byte.
/// - A stored delta whose base is also sent keeps its compressed delta unchanged. Entries are
///   written in their pack's order, where a base always precedes its deltas, so the base is
///   usually written already and the delta becomes an `OFS_DELTA` with the new distance;
///   otherwise (a `REF_DELTA` whose base lies later) it is a `REF_DELTA` naming the base,
///   which the receiving index-pack resolves anywhere in the pack.
/// - A delta whose base is not sent, a loose object, or an entry whose CRC-32 does not match
///   its index, is read whole through libgit2 and deflated.
///
/// Each object comes from the first pack (in name order) holding it. A delta's base is in the
/// same pack as the delta (git's index-pack completes thin packs), so a base never comes from
/// a pack after its delta's, and no chain of reused deltas can loop.
/// The pack goes to `sink` in chunks of about a mebibyte; it is never held whole.
struct ReusingPackWriter {
    struct Summary: Equatable {
        var objects = 0
        var bytes = 0
        /// Entries copied as stored: whole objects, and deltas.
        var copiedWhole = 0
        var copiedDeltas = 0
        /// Objects read through libgit2 and deflated.
        var deflated = 0
    }

    let repository: Repository
    /// Deflate level for the objects that are not copied.
    var level: Int32 = 1
    /// Whether the receiver takes `OFS_DELTA` entries (the `ofs-delta` capability); else every
    /// reused delta is a `REF_DELTA`.
    var allowOffsetDeltas = true
    static let chunkSize = 1 << 20

    /// Writes the pack of `ids` (each once; the caller lists them) to `sink`, calling
    /// `progress(objects written, bytes written)` as it goes.
    func write(_ ids: [ObjectID], to sink: @escaping (UnsafeRawBufferPointer) throws -> Void,
               progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        let packs = PackIndex.all(in: repository.path + "objects/pack")
        // Every object sent, with its offset in the new pack once written (-1 until then): one
        // table answers both "is the base sent?" and "where is it?".
        var offsets = [ObjectID: Int](minimumCapacity: ids.count)
        var stored: [(pack: Int, offset: Int, position: Int, id: ObjectID)] = []
        var others: [ObjectID] = []
        stored.reserveCapacity(ids.count)
        for id in ids {
            precondition(offsets.updateValue(-1, forKey: id) == nil, "an object listed twice in one pack")
            if let (p, position) = Self.find(id, in: packs) {
                stored.append((p, packs[p].offset(at: position), position, id))
            } else {
                others.append(id)
            }
        }
        stored.sort { ($0.pack, $0.offset) < ($1.pack, $1.offset) }

        var out = Output(sink: sink, progress: progress)
        var summary = Summary()
        let deflater = Deflater(level: level)
        out.append([0x50, 0x41, 0x43, 0x4B, 0, 0, 0, 2] + PackWriter.bigEndian(UInt32(ids.count)))

        func writeWhole(_ id: ObjectID) throws {
            let (type, bytes) = try repository.rawObject(id)
            offsets[id] = out.offset
            out.appendHeader(type: type, size: bytes.count)
            out.append(bytes.withUnsafeBytes { deflater.compress($0) })
            summary.deflated += 1
            try out.objectDone()
        }
        for id in others { try writeWhole(id) }
        for s in stored {
            guard let entry = packs[s.pack].entry(at: s.position) else { try writeWhole(s.id); continue }
            if !entry.isDelta {
                offsets[s.id] = out.offset
                out.append(entry.bytes)
                summary.copiedWhole += 1
            } else if let base = entry.baseID, let baseOffset = offsets[base] {
                let offset = out.offset
                offsets[s.id] = offset
                if allowOffsetDeltas, baseOffset >= 0 {
                    out.appendHeader(type: 6, size: entry.size)
                    out.appendOffsetDistance(offset - baseOffset)
                } else {
                    out.appendHeader(type: 7, size: entry.size)
                    base.append(to: &out.buffer)
                    out.offset += 20
                }
                out.append(entry.compressedData)
                summary.copiedDeltas += 1
            } else {
                try writeWhole(s.id)
                continue
            }
            try out.objectDone()
        }
        precondition(!offsets.values.contains(-1), "an object left out of the pack")
        try out.finish()
        summary.objects = ids.count
        summary.bytes = out.offset
        return summary
    }

    private static func find(_ id: ObjectID, in packs: [PackIndex]) -> (Int, Int)? {
        for (p, pack) in packs.enumerated() {
            if let position = pack.position(of: id) { return (p, position) }
        }
        return nil
    }

    /// The pack as written: a buffer flushed to the sink at `chunkSize`, the running SHA-1 of
    /// everything written, and the offset of the next byte.
    private struct Output {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let progress: ((Int, Int) -> Void)?
        var buffer: [UInt8] = []
        var sha = SHA1()
        var offset = 0
        var objects = 0

        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void, progress: ((Int, Int) -> Void)?) {
            self.sink = sink; self.progress = progress
            buffer.reserveCapacity(ReusingPackWriter.chunkSize + 65_536)
        }

        mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

        mutating func append(_ bytes: UnsafeRawBufferPointer) {
            buffer.append(contentsOf: bytes)
            offset += bytes.count
        }

        mutating func appendHeader(type: UInt8, size: Int) {
            let before = buffer.count
            PackWriter.appendHeader(type: type, size: size, to: &buffer)
            offset += buffer.count - before
        }

        mutating func appendOffsetDistance(_ distance: Int) {
            let before = buffer.count
            PackWriter.appendOffsetEncoding(distance, to: &buffer)
            offset += buffer.count - before
        }

        mutating func objectDone() throws {
            objects += 1
            if buffer.count >= ReusingPackWriter.chunkSize { try flush() }
        }

        mutating func flush() throws {
            guard !buffer.isEmpty else { return }
            try buffer.withUnsafeBytes { raw in
                sha.update(raw)
                try sink(raw)
            }
            buffer.removeAll(keepingCapacity: true)
            progress?(objects, offset)
        }

        mutating func finish() throws {
            try flush()
            let checksum = sha.finish()
            try checksum.withUnsafeBytes { try sink($0) }
            offset += 20
            progress?(objects, offset)
        }
    }
}

extension Repository {
    /// An object's pack type code (1 commit, 2 tree, 3 blob, 4 tag) and its bytes, read through
    /// libgit2 (from a loose file or a pack, deltas resolved).
    func rawObject(_ id: ObjectID) throws -> (type: UInt8, bytes: [UInt8]) {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "git_odb_read(\(id))")
        defer { git_odb_object_free(object) }
        let type = git_odb_object_type(object)
        guard [GIT_OBJECT_COMMIT, GIT_OBJECT_TREE, GIT_OBJECT_BLOB, GIT_OBJECT_TAG].contains(type) else {
            throw GitError(code: -1, errorClass: Int32(GIT_ERROR_ODB.rawValue), message: "object \(id) has no storable type", operation: "git_odb_read(\(id))")
        }
        let size = git_odb_object_size(object)
        let bytes = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size))
        return (UInt8(type.rawValue), bytes)
    }
}
