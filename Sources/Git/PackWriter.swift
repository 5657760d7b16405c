import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Git's pack formats (pack-format.txt): entry headers, offset-delta distances, delta
/// instructions and the version-2 index. `PackStream` writes packs with these.
enum PackWriter {
    /// The pack index, version 2: fan-out table, sorted ids, CRC-32s, offsets (large ones in
    /// a second table), the pack's checksum and the index's own.
    static func index(ids: [ObjectID], offsets: [Int], crcs: [UInt32], packChecksum: [UInt8]) -> [UInt8] {
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var out: [UInt8] = [0xFF, 0x74, 0x4F, 0x63] + bigEndian(2)
        var fanout = [UInt32](repeating: 0, count: 256)
        for i in order { fanout[Int(ids[i].bytes[0])] += 1 }
        var running: UInt32 = 0
        for b in 0..<256 { running += fanout[b]; out += bigEndian(running) }
        for i in order { out += ids[i].bytes }
        for i in order { out += bigEndian(crcs[i]) }
        var large: [UInt64] = []
        for i in order {
            if offsets[i] < 0x8000_0000 {
                out += bigEndian(UInt32(offsets[i]))
            } else {
                out += bigEndian(0x8000_0000 | UInt32(large.count))
                large.append(UInt64(offsets[i]))
            }
        }
        for value in large { out += bigEndian(UInt32(value >> 32)) + bigEndian(UInt32(value & 0xFFFF_FFFF)) }
        out += packChecksum
        var sha = SHA1()
        sha.update(out)
        out += sha.finish()
        return out
    }

    static func typeCode(_ kind: ObjectKind) -> UInt8 {
        switch kind {
        case .commit: return 1
        case .tree: return 2
        case .blob: return 3
        case .tag: return 4
        case .other: return 3
        }
    }

    static func bigEndian(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }

    /// Type and inflated size: 3 bits of type, then the size in little-endian 7-bit groups.
    static func header(type: UInt8, size: Int) -> [UInt8] {
        var out: [UInt8] = []
        appendHeader(type: type, size: size, to: &out)
        return out
    }

    /// `header`, appended to `out` in place (a push writes one for every object it sends).
    static func appendHeader(type: UInt8, size: Int, to out: inout [UInt8]) {
        var n = size >> 4
        var byte = type << 4 | UInt8(size & 15)
        while n > 0 { out.append(byte | 0x80); byte = UInt8(n & 0x7F); n >>= 7 }
        out.append(byte)
    }

    /// OFS_DELTA's distance back to the base, big-endian 7-bit groups with git's +1 bias.
    static func offsetEncoding(_ distance: Int) -> [UInt8] {
        var out: [UInt8] = []
        appendOffsetEncoding(distance, to: &out)
        return out
    }

    /// `offsetEncoding`, appended to `out` in place: the groups are found last first, so they
    /// go into a 10-byte scratch (enough for any 64-bit distance) and are copied in order.
    static func appendOffsetEncoding(_ distance: Int, to out: inout [UInt8]) {
        var groups: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &groups) { g in
            var n = distance
            var first = 15
            g[first] = UInt8(n & 0x7F)
            n >>= 7
            while n > 0 { n -= 1; first -= 1; g[first] = 0x80 | UInt8(n & 0x7F); n >>= 7 }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: g[first...]))
        }
    }

    static func varint(_ value: Int) -> [UInt8] {
        var n = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(n & 0x7F)
            n >>= 7
            if n > 0 { byte |= 0x80 }
            out.append(byte)
        } while n > 0
        return out
    }

    /// A git delta turning `base` into `target` (git's copy/insert instructions). The base is
    /// indexed by its 16-byte blocks in a small open-addressing table; the target is scanned
    /// for blocks that occur in the base, and each hit is grown backwards and forwards into the
    /// longest copy. O(base + target); good for editions of one story and versions of a tree.
    static func delta(from base: [UInt8], to target: [UInt8]) -> [UInt8] {
        let block = 16
        var out = varint(base.count) + varint(target.count)
        out.reserveCapacity(target.count / 4 + 16)
        func copy(_ offset: Int, _ size: Int) {
            var done = 0
            while done < size {
                let n = min(0xFFFF, size - done)
                let o = offset + done
                var op: UInt8 = 0x80
                var args: [UInt8] = []
                for k in 0..<4 where (o >> (8 * k)) & 0xFF != 0 { op |= 1 << UInt8(k); args.append(UInt8((o >> (8 * k)) & 0xFF)) }
                for k in 0..<2 where (n >> (8 * k)) & 0xFF != 0 { op |= 0x10 << UInt8(k); args.append(UInt8((n >> (8 * k)) & 0xFF)) }
                out.append(op); out += args
                done += n
            }
        }
        func insert(_ range: Range<Int>) {
            var i = range.lowerBound
            while i < range.upperBound {
                let n = min(127, range.upperBound - i)
                out.append(UInt8(n)); out += target[i..<(i + n)]
                i += n
            }
        }
        guard base.count >= block, target.count >= block else {
            insert(0..<target.count)
            return out
        }
        base.withUnsafeBytes { b in
            target.withUnsafeBytes { t in
                @inline(__always) func key(_ p: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
                    let x = p.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    let y = p.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)
                    return (x &* 0x9E37_79B9_7F4A_7C15) ^ (y &* 0xC2B2_AE3D_27D4_EB4F)
                }
                var size = 64
                while size < 2 * (base.count / block) { size <<= 1 }
                let mask = size - 1
                var table = [Int32](repeating: -1, count: size)
                var at = 0
                while at + block <= base.count {
                    var slot = Int(truncatingIfNeeded: key(b, at) >> 40) & mask
                    while table[slot] >= 0 { slot = (slot + 1) & mask }
                    table[slot] = Int32(at)
                    at += block
                }
                var i = 0, pending = 0
                while i + block <= target.count {
                    let k = key(t, i)
                    var slot = Int(truncatingIfNeeded: k >> 40) & mask
                    var found = -1
                    while table[slot] >= 0 {
                        let j = Int(table[slot])
                        if memcmp(b.baseAddress! + j, t.baseAddress! + i, block) == 0 { found = j; break }
                        slot = (slot + 1) & mask
                    }
                    guard found >= 0 else { i += 1; continue }
                    var bj = found, ti = i
                    while ti > pending, bj > 0, b[bj - 1] == t[ti - 1] { bj -= 1; ti -= 1 }
                    var length = i - ti + block
                    while bj + length < base.count, ti + length < target.count, b[bj + length] == t[ti + length] { length += 1 }
                    insert(pending..<ti)
                    copy(bj, length)
                    i = ti + length
                    pending = i
                }
                insert(pending..<target.count)
            }
        }
        return out
    }

}
