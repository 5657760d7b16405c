#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// One stored pack opened for reading its entries as they are: its version-2 `.idx`
/// (pack-format.txt: fan-out table, sorted ids, CRC-32s, 31-bit offsets with a table of large
/// ones) and its `.pack`, both mapped read-only. Checked on opening: the magic numbers and
/// versions, a fan-out that never decreases, sizes that match the object count, and the pack's
/// checksum in the index equal to the one closing the pack. A pack that fails is not used
/// (its objects are then read through libgit2), never half-trusted.
final class PackIndex {
    let packPath: String
    let count: Int
    private let index: MappedFile
    private let pack: MappedFile
    /// Entry offsets in pack order, and for each the position of its id in the index: an
    /// entry's length is the distance to the next, and an OFS_DELTA's base is found by offset.
    private let sortedOffsets: [Int]
    private let positionAtSortedOffset: [Int32]

    init?(indexPath: String) {
        guard indexPath.hasSuffix(".idx"), let index = MappedFile(indexPath),
              let pack = MappedFile(String(indexPath.dropLast(4)) + ".pack") else { return nil }
        let i = index.bytes
        guard i.count >= 8 + 1024 + 40, Self.u32(i, 0) == 0xFF74_4F63, Self.u32(i, 4) == 2 else { return nil }
        var previous: UInt32 = 0
        for b in 0..<256 {
            let value = Self.u32(i, 8 + 4 * b)
            guard value >= previous else { return nil }
            previous = value
        }
        let n = Int(previous)
        let smallEnd = 8 + 1024 + n * 28
        guard i.count >= smallEnd + 40 else { return nil }
        let largeCount = (i.count - 40 - smallEnd) / 8
        guard (i.count - 40 - smallEnd) % 8 == 0 else { return nil }
        let p = pack.bytes
        guard p.count >= 32, Self.u32(p, 0) == 0x5041_434B, [2, 3].contains(Self.u32(p, 4)), Int(Self.u32(p, 8)) == n,
              memcmp(i.baseAddress! + i.count - 40, p.baseAddress! + p.count - 20, 20) == 0 else { return nil }
        self.packPath = pack.path
        self.index = index
        self.pack = pack
        self.count = n
        var offsets = [Int](repeating: 0, count: n)
        for k in 0..<n {
            let raw = Self.u32(i, 8 + 1024 + n * 24 + 4 * k)
            if raw & 0x8000_0000 == 0 {
                offsets[k] = Int(raw)
            } else {
                let slot = Int(raw & 0x7FFF_FFFF)
                guard slot < largeCount else { return nil }
                offsets[k] = Int(Self.u32(i, smallEnd + 8 * slot)) << 32 | Int(Self.u32(i, smallEnd + 8 * slot + 4))
            }
            guard offsets[k] >= 12 && offsets[k] < p.count - 20 else { return nil }
        }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        sortedOffsets = order.map { offsets[$0] }
        positionAtSortedOffset = order.map { Int32($0) }
        for k in sortedOffsets.indices.dropFirst() where sortedOffsets[k] == sortedOffsets[k - 1] { return nil }
    }

    /// The position of `id` in the index (its id, CRC and offset slots), or nil when the pack lacks it.
    func position(of id: ObjectID) -> Int? {
        let i = index.bytes
        let first = Int(id.firstByte)
        var low = first == 0 ? 0 : Int(Self.u32(i, 8 + 4 * (first - 1)))
        var high = Int(Self.u32(i, 8 + 4 * first))
        // Ids compared as the integers ObjectID keeps (big-endian order is byte order): a push
        // looks up every object it sends in every pack until found.
        while low < high {
            let middle = (low + high) / 2
            let here = ObjectID(raw: i.baseAddress! + 8 + 1024 + 20 * middle)
            if here == id { return middle }
            if here < id { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    func id(at position: Int) -> ObjectID {
        ObjectID(raw: index.bytes.baseAddress! + 8 + 1024 + 20 * position)
    }

    /// The stored entry of the object at `position`: its header decoded and its whole bytes
    /// (header, base reference, compressed data), checked against the index's CRC-32. Nil when
    /// the entry is malformed or damaged: the caller then reads the object through libgit2.
    func entry(at position: Int) -> StoredEntry? {
        let i = index.bytes
        let raw = Self.u32(i, 8 + 1024 + count * 24 + 4 * position)
        let start: Int
        if raw & 0x8000_0000 == 0 { start = Int(raw) } else {
            let smallEnd = 8 + 1024 + count * 28, slot = Int(raw & 0x7FFF_FFFF)
            start = Int(Self.u32(i, smallEnd + 8 * slot)) << 32 | Int(Self.u32(i, smallEnd + 8 * slot + 4))
        }
        guard let k = sortedIndex(of: start) else { return nil }
        let end = k + 1 < sortedOffsets.count ? sortedOffsets[k + 1] : pack.bytes.count - 20
        let bytes = UnsafeRawBufferPointer(rebasing: pack.bytes[start..<end])
        let crc = UInt32(crc32(0, bytes.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
        guard crc == Self.u32(i, 8 + 1024 + count * 20 + 4 * position) else { return nil }
        guard var entry = StoredEntry(bytes) else { return nil }
        if case .offsetDelta(let distance) = entry.base {
            guard distance <= start, let b = sortedIndex(of: start - distance) else { return nil }
            entry.baseID = id(at: Int(positionAtSortedOffset[b]))
        }
        return entry
    }

    private func sortedIndex(of offset: Int) -> Int? {
        var low = 0, high = sortedOffsets.count
        while low < high {
            let middle = (low + high) / 2
            if sortedOffsets[middle] == offset { return middle }
            if sortedOffsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The offset of the object at `position`, for writing objects in their pack's order.
    func offset(at position: Int) -> Int {
        let raw = Self.u32(index.bytes, 8 + 1024 + count * 24 + 4 * position)
        if raw & 0x8000_0000 == 0 { return Int(raw) }
        let smallEnd = 8 + 1024 + count * 28, slot = Int(raw & 0x7FFF_FFFF)
        return Int(Self.u32(index.bytes, smallEnd + 8 * slot)) << 32 | Int(Self.u32(index.bytes, smallEnd + 8 * slot + 4))
    }

    /// The version-2 indices of the packs in `folder` (an `objects/pack` folder), in name order.
    static func all(in folder: String) -> [PackIndex] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix("pack-") && name.hasSuffix(".idx") { names.append(name) }
        }
        return names.sorted().compactMap { PackIndex(indexPath: folder + "/" + $0) }
    }

    @inline(__always)
    static func u32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
}

/// A pack entry as stored: type, inflated size, what it is a delta against, and where its
/// compressed data starts. Borrows the pack's mapped bytes.
struct StoredEntry {
    enum Base: Equatable { case none, offsetDelta(Int), referenceDelta(ObjectID) }
    /// 1–4 (commit, tree, blob, tag), 6 (OFS_DELTA) or 7 (REF_DELTA).
    let type: UInt8
    /// The inflated size: of the object, or for a delta of the delta's instructions.
    let size: Int
    let base: Base
    /// The base's id (for OFS_DELTA filled in by the index, which knows the ids by offset).
    var baseID: ObjectID?
    /// The whole entry and the compressed data within it.
    let bytes: UnsafeRawBufferPointer
    let dataStart: Int

    init?(_ bytes: UnsafeRawBufferPointer) {
        var at = 0
        guard bytes.count > 2 else { return nil }
        var byte = bytes[at]; at += 1
        let type = byte >> 4 & 7
        var size = Int(byte & 15), shift = 4
        while byte & 0x80 != 0 {
            guard at < bytes.count, shift < 57 else { return nil }
            byte = bytes[at]; at += 1
            size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        switch type {
        case 1, 2, 3, 4:
            base = .none
        case 6:
            guard at < bytes.count else { return nil }
            byte = bytes[at]; at += 1
            var distance = Int(byte & 0x7F)
            while byte & 0x80 != 0 {
                guard at < bytes.count, distance < 1 << 56 else { return nil }
                byte = bytes[at]; at += 1
                distance = (distance + 1) << 7 | Int(byte & 0x7F)
            }
            guard distance > 0 else { return nil }
            base = .offsetDelta(distance)
        case 7:
            guard at + 20 <= bytes.count else { return nil }
            let id = ObjectID(raw: bytes.baseAddress! + at)
            at += 20
            base = .referenceDelta(id)
            baseID = id
        default:
            return nil
        }
        guard at < bytes.count else { return nil }
        self.type = type; self.size = size; self.bytes = bytes; self.dataStart = at
    }

    var isDelta: Bool { type == 6 || type == 7 }
    var compressedData: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[dataStart...]) }
}

/// A file mapped read-only for the life of the object.
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer

    init?(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        self.path = path
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}
