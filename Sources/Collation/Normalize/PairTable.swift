/// UInt64 → Int32, open addressing with a multiplicative hash (Swift's `Dictionary` and `Set`
/// hash with SipHash, which cost more than the rest of these look-ups). Holds the lexicon's memos
/// of joined keys and accidental classes, and the segmenter's packed abbreviations. Key and value
/// share a slot, so a look-up touches one cache line. `UInt64.max` is not a valid key.
struct PairTable {
    private struct Slot { var key: UInt64; var value: Int32 }
    private var slots: [Slot]
    private(set) var count = 0
    private static let empty = UInt64.max

    init(slotCount: Int = 1 << 10) {
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: slotCount)
    }

    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: key.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15).high) & mask
    }

    func find(_ key: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = Self.slot(key, mask)
            while true {
                if slots[i].key == key { return slots[i].value }
                if slots[i].key == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `key`, which must not be present.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > slots.count {
            let old = slots
            slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: old.count * 2)
            count = 0
            for s in old where s.key != Self.empty { insert(s.key, s.value) }
        }
        let mask = slots.count - 1
        var i = Self.slot(key, mask)
        while slots[i].key != Self.empty { i = (i + 1) & mask }
        slots[i] = Slot(key: key, value: value)
        count += 1
    }

    mutating func removeAll() { self = PairTable() }
}
