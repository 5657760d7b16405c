import Foundation

/// A set of byte strings numbered 0, 1, 2 … in the order they were first added: open addressing
/// with linear probing over one contiguous byte store.
///
/// Swift's `Dictionary` hashes with SipHash and a `String` key in its normalised form; for the
/// few thousand short tokens of a comparison that hashing was most of the normaliser's time.
/// This table hashes eight bytes per multiply and compares candidates with `memcmp`.
struct ByteInterner {
    /// Every string's bytes, back to back; string `id` is `storage[starts[id] ..< starts[id + 1]]`.
    private(set) var storage: [UInt8] = []
    private var starts: [Int32] = [0]
    /// The high half of each string's hash: most failed probes end on it without touching bytes.
    private var tags: [UInt32] = []
    /// String id per slot, -1 where empty. The count is a power of two, at most half full.
    private var slots: [Int32]

    init(slotCount: Int = 1 << 12) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0)
        slots = [Int32](repeating: -1, count: slotCount)
    }

    var count: Int { tags.count }

    /// Bytes held, for the caller's memory bound.
    var byteCount: Int { storage.count }

    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            storage.withUnsafeBufferPointer { store in
                while true {
                    let id = slots[slot]
                    if id < 0 { return nil }
                    if tags[Int(id)] == tag {
                        let lo = Int(starts[Int(id)]), hi = Int(starts[Int(id) + 1])
                        if hi - lo == bytes.count && (bytes.count == 0 || memcmp(store.baseAddress! + lo, bytes.baseAddress!, bytes.count) == 0) {
                            return id
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds `bytes`, which must not be present yet (call `find` first), and returns its id.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        storage.append(contentsOf: bytes)
        starts.append(Int32(storage.count))
        tags.append(UInt32(truncatingIfNeeded: hash >> 32))
        place(id, hash: hash)
        return id
    }

    /// String `id`'s bytes.
    func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let lo = Int(starts[Int(id)]), hi = Int(starts[Int(id) + 1])
        return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        starts = [0]
        tags.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for id in 0..<count {
            let hash = withBytes(Int32(id)) { hashBytes($0) }
            place(Int32(id), hash: hash)
        }
    }
}

/// A fast non-cryptographic hash of a byte string: eight bytes per step, each step a 64×64→128-bit
/// multiply folded back to 64 bits (the construction of wyhash).
@inline(__always) func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let n = bytes.count
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
    var i = 0
    while i + 8 <= n {
        h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i += 8
    }
    if i < n {
        var word: UInt64 = 0
        if n >= 8 {
            // The last eight bytes, overlapping the previous step (the length is already mixed in).
            word = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            var shift: UInt64 = 0
            while i < n { word |= UInt64(bytes[i]) << shift; shift += 8; i += 1 }
        }
        h = mix(h ^ word)
    }
    return mix(h ^ 0x1319_8A2E_0370_7344)
}

@inline(__always) private func mix(_ x: UInt64) -> UInt64 {
    let product = x.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
    return product.high ^ product.low
}
