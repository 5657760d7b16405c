import Foundation

/// Token texts → (exact id, key id): the lexicon's hot table, probed once per token.
///
/// Laid out for one cache miss per look-up: a slot holds a text of up to 16 bytes itself, with
/// both ids, so nearly every probe compares two words and is done. Longer texts keep their bytes
/// in a side store and their hash in the slot. Exact ids are dense, in the order texts were added.
struct TokenTable {
    struct Slot {
        /// The text's bytes, zero-padded (length ≤ 16); otherwise its hash and store offset.
        var low: UInt64 = 0
        var high: UInt64 = 0
        /// Byte length; -1 marks an empty slot.
        var length: Int32 = -1
        var exact: Int32 = 0
        var key: Int32 = 0
    }

    private var slots: [Slot]
    private var longBytes: [UInt8] = []
    private(set) var count = 0

    init(slotCount: Int = 1 << 12) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0)
        slots = [Slot](repeating: Slot(), count: slotCount)
    }

    /// Bytes of the texts kept outside the slots (those over 16 bytes).
    var longTextBytes: Int { longBytes.count }

    /// The probe key of `bytes`: short texts packed into two words, long ones by hash.
    @inline(__always) static func probe(_ bytes: UnsafeRawBufferPointer) -> (low: UInt64, high: UInt64, hash: UInt64) {
        if bytes.count <= 16 {
            var words: (UInt64, UInt64) = (0, 0)
            if bytes.count > 0 { withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) } }
            return (words.0, words.1, shortHash(words.0, words.1, count: bytes.count))
        }
        let hash = hashBytes(bytes)
        return (hash, 0, hash)
    }

    /// As `probe(_:)`, for a text inside a larger buffer: when 16 bytes can be read from its start,
    /// the two words are loaded and masked rather than copied byte by byte.
    @inline(__always) static func probe(_ bytes: UnsafeRawBufferPointer, readable: Int) -> (low: UInt64, high: UInt64, hash: UInt64) {
        #if _endian(little)
        let n = bytes.count
        if n > 0 && n <= 16 && readable >= 16 {
            return shortMasks.withUnsafeBufferPointer { shortProbe(bytes.baseAddress!, length: n, masks: $0.baseAddress!) }
        }
        #endif
        return probe(bytes)
    }

    /// The probe of the `length` (1 ... 16) bytes at `start`, 16 of which may be read: two words
    /// loaded and cut to the text by the masks for its length (`shortMasks`, which a caller in a
    /// loop holds as a pointer). Little-endian, as `probe(_:readable:)` uses it.
    @inline(__always) static func shortProbe(_ start: UnsafeRawPointer, length: Int,
                                             masks: UnsafePointer<(low: UInt64, high: UInt64)>) -> (low: UInt64, high: UInt64, hash: UInt64) {
        let mask = masks[length]
        let low = start.loadUnaligned(as: UInt64.self) & mask.low
        let high = start.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & mask.high
        return (low, high, shortHash(low, high, count: length))
    }

    /// Per length 0 ... 16, the masks that keep a text's bytes of the two words loaded from its
    /// start: a table rather than shifts, since word lengths vary too much for a branch on them
    /// to be predicted.
    static let shortMasks: [(low: UInt64, high: UInt64)] = (0...16).map { (n: Int) -> (low: UInt64, high: UInt64) in
        func bytes(_ k: Int) -> UInt64 { k >= 8 ? UInt64.max : (UInt64(1) << UInt64(8 * max(k, 0))) - 1 }
        return (bytes(n), bytes(n - 8))
    }

    /// Hash of a text of up to 16 bytes packed into two words.
    @inline(__always) private static func shortHash(_ low: UInt64, _ high: UInt64, count: Int) -> UInt64 {
        let first = (low ^ UInt64(count)).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        let mixed = (first.high ^ first.low ^ high).multipliedFullWidth(by: 0xC2B2_AE3D_27D4_EB4F)
        return mixed.high ^ mixed.low
    }

    /// The slot of a text of at most 16 bytes given by its probe, or nil when it is not in the
    /// table: `find` without its long-text case, over slots the caller holds (the normaliser's loop).
    @inline(__always) static func findShort(_ slots: UnsafeBufferPointer<Slot>, _ probe: (low: UInt64, high: UInt64, hash: UInt64), length: Int32) -> Slot? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: probe.hash) & mask
        while true {
            let slot = slots[i]
            if slot.length < 0 { return nil }
            // One test for all three fields (each unequal field sets some bit).
            if (slot.low ^ probe.low) | (slot.high ^ probe.high) | UInt64(UInt32(bitPattern: slot.length ^ length)) == 0 { return slot }
            i = (i + 1) & mask
        }
    }

    func withSlots<R>(_ body: (UnsafeBufferPointer<Slot>) -> R) -> R { slots.withUnsafeBufferPointer(body) }

    /// The ids of `bytes`, or nil when it is not in the table.
    @inline(__always) func find(_ bytes: UnsafeRawBufferPointer, _ probe: (low: UInt64, high: UInt64, hash: UInt64)) -> (exact: Int32, key: Int32)? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: probe.hash) & mask
        let length = Int32(bytes.count)
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[i]
                if slot.length < 0 { return nil }
                if slot.length == length && slot.low == probe.low {
                    if length <= 16 {
                        if slot.high == probe.high { return (slot.exact, slot.key) }
                    } else if longBytes.withUnsafeBytes({ memcmp($0.baseAddress! + Int(slot.high), bytes.baseAddress!, bytes.count) == 0 }) {
                        return (slot.exact, slot.key)
                    }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `bytes` (which must not be present) with key `key`; returns its exact id.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, _ probe: (low: UInt64, high: UInt64, hash: UInt64), key: Int32) -> Int32 {
        if (count + 1) * 10 > slots.count * 7 { grow() } // at most 70 % full: fewer cache lines to miss
        var slot = Slot(low: probe.low, high: probe.high, length: Int32(bytes.count), exact: Int32(count), key: key)
        if bytes.count > 16 {
            slot.high = UInt64(longBytes.count)
            longBytes.append(contentsOf: bytes)
        }
        place(slot, hash: probe.hash)
        count += 1
        return slot.exact
    }

    mutating func removeAll() {
        for i in slots.indices { slots[i] = Slot() }
        longBytes.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func place(_ slot: Slot, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].length >= 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.length >= 0 {
            // A long text's slot keeps its hash in `low`.
            place(slot, hash: slot.length <= 16 ? Self.shortHash(slot.low, slot.high, count: Int(slot.length)) : slot.low)
        }
    }
}
