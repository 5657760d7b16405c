import CLibGit2

/// A git object id (SHA-1), copied out of libgit2 memory so it never dangles.
///
/// Stored as three integers rather than an array: ids are hashed and compared
/// millions of times during import and indexing, and this keeps them allocation-free.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 20
    @usableFromInline var hi: UInt64
    @usableFromInline var mid: UInt64
    @usableFromInline var lo: UInt32

    init(_ oid: git_oid) {
        var copy = oid
        (hi, mid, lo) = withUnsafeBytes(of: &copy.id) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        }
    }

    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let h = hexValue(utf8[2 * i]), let l = hexValue(utf8[2 * i + 1]) else { return nil }
            bytes[i] = h << 4 | l
        }
        self.init(bytes: bytes)
    }

    /// The id whose 20 bytes start at `raw` (inside a mapped pack index, say), copied.
    init(raw: UnsafeRawPointer) {
        hi = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        mid = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        lo = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// The id's first byte (a pack index's fan-out slot).
    var firstByte: UInt8 { UInt8(truncatingIfNeeded: hi >> 56) }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 20)
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { m = m << 8 | UInt64(bytes[i]) }
        for i in 16..<20 { l = l << 8 | UInt32(bytes[i]) }
        (hi, mid, lo) = (h, m, l)
    }

    var gitOID: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: hi.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: mid.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: lo.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// Appends the 20 bytes to `out` without an array of their own (tree serialisation does
    /// this for every entry of every tree an import writes).
    public func append(to out: inout [UInt8]) {
        withUnsafeBytes(of: hi.bigEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: mid.bigEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: lo.bigEndian) { out.append(contentsOf: $0) }
    }

    public var bytes: [UInt8] {
        var out = [UInt8](); out.reserveCapacity(20)
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: hi >> UInt64(s))) }
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: mid >> UInt64(s))) }
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: lo >> UInt32(s))) }
        return out
    }

    /// Lower-case 40-digit hex, as git prints it.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(40)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.hi, a.mid, a.lo) < (b.hi, b.mid, b.lo)
    }
}

@inline(__always)
private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: return c - 48
    case 97...102: return c - 87
    case 65...70: return c - 55
    default: return nil
    }
}
