/// The accidental classes a lexicon has worked out, remembered for the next comparisons: a corpus
/// repeats its edits as it repeats its words. The one memo of the engine's classifications, owned
/// by a `Lexicon` (so by one thread at a time), and bounded: past `limit` entries or
/// `byteLimit` bytes of remembered text it starts afresh. `Classifier` itself remembers nothing.
///
/// Two keyings, because the questions come in two shapes: a pair of token texts, by their exact
/// ids (a hash of two integers: the hot case), and a stretch of text on each side, by its bytes.
struct AccidentalMemo {
    static let limit = 200_000
    static let byteLimit = 8 << 20

    /// Token pair (exact ids) → the class's index in `ChangeClass.allCases`, or -1 for none.
    private var byIDs = PairTable()
    /// Stretches of text, interned as one key each (see `stretchKey`), with the class at the id.
    private var stretches = ByteInterner()
    private var stretchClasses: [ChangeClass] = []
    private var scratch: [UInt8] = []

    var byteCount: Int { stretches.byteCount }

    mutating func removeAll() {
        byIDs.removeAll(); stretches.removeAll(); stretchClasses.removeAll()
    }

    /// Called as each comparison begins: the bound is checked between comparisons, never inside one.
    mutating func keepWithinBounds() {
        if byIDs.count > Self.limit { byIDs.removeAll() }
        if stretchClasses.count > Self.limit || stretches.byteCount > Self.byteLimit { stretches.removeAll(); stretchClasses.removeAll() }
    }

    /// `compute`'s class for two token texts, remembered by their exact ids.
    mutating func tokens(_ a: Int32, _ b: Int32, compute: () -> ChangeClass?) -> ChangeClass? {
        let pair = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        if let hit = byIDs.find(pair) { return hit < 0 ? nil : ChangeClass.allCases[Int(hit)] }
        let value = compute()
        byIDs.insert(pair, value.flatMap { ChangeClass.allCases.firstIndex(of: $0) }.map(Int32.init) ?? -1)
        return value
    }

    /// `compute`'s class for A's bytes `a` against B's bytes `b`, remembered by both texts and
    /// `flavour` (which of the caller's questions it is).
    mutating func stretch(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, flavour: UInt8, compute: () -> ChangeClass) -> ChangeClass {
        // One byte string says it all: flavour, A's length (so that A and B cannot be split
        // differently), A, B.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(flavour)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: a.count).littleEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: a)
        scratch.append(contentsOf: b)
        return scratch.withUnsafeBytes { key in
            let hash = hashBytes(key)
            if let id = stretches.find(key, hash: hash) { return stretchClasses[Int(id)] }
            let cls = compute()
            _ = stretches.insert(key, hash: hash)
            stretchClasses.append(cls)
            return cls
        }
    }
}
