/// Token texts and their comparison keys as integers, remembered from one comparison to the next.
///
/// A corpus repeats its vocabulary, so after a few comparisons nearly every token is found by
/// one hash probe and never folded again. A lexicon serves one comparison at a time and is not
/// thread-safe: `Collator` keeps a pool so that threads never share one. It empties itself
/// between comparisons once it holds `defaultLimit` token texts or 16 MB of long texts and keys,
/// which bounds it to about 60 MB (measured with random tokens: 84 MB peak for the process,
/// against 22 MB with a fresh lexicon per comparison; `stemma-bench lexicon-memory`).
public final class Lexicon {
    // The tables live in a struct so that a whole text's look-ups are one access to the class's
    // storage (Swift checks exclusive access dynamically on each access to a class property).
    fileprivate var tables: LexiconTables

    /// Token texts held before the lexicon starts afresh: its slots then take 16 MB.
    public static let defaultLimit = 1 << 18

    public init() { tables = LexiconTables(limit: Self.defaultLimit) }

    init(limit: Int) { tables = LexiconTables(limit: limit) }

    /// Number of distinct token texts held.
    public var count: Int { tables.count }
}

fileprivate struct LexiconTables {
    /// Token texts with their exact ids and key ids (key -1 for a joined compound, whose text
    /// is interned only so that equal compounds compare equal).
    private var exact = TokenTable()
    /// Comparison keys. A punctuation key starts with U+0001 so it never equals a word's.
    private var keys = ByteInterner()
    /// The accidental classes worked out so far (the engine's one memo of them).
    var accidentals = AccidentalMemo()

    // The comparison in progress numbers the keys it uses 0, 1, 2 …, so that later stages index
    // small arrays by key. Per key: its stamp (high half) and number (low half); the number is
    // valid while the stamp is the comparison's.
    private var localOfKey: [UInt64] = []
    private var stamp: UInt32 = 0
    private(set) var globalOfLocal: [Int32] = []
    private var scratch: [UInt8] = []
    /// Work list of `knownShortTokens` (kept for its storage).
    private var newGlobals: [Int32] = []
    /// Two or three global keys → the global key of them written together, or -1 when there is none.
    private var joinedPairs = PairTable()

    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { exact.count }

    mutating func beginComparison() {
        if exact.count > limit || exact.longTextBytes + keys.byteCount + accidentals.byteCount > 16 << 20 {
            exact.removeAll(); keys.removeAll(); joinedPairs.removeAll()
            accidentals.removeAll()
            localOfKey.removeAll()
        }
        accidentals.keepWithinBounds()
        if joinedPairs.count > 200_000 { joinedPairs.removeAll() }
        stamp &+= 1
        if stamp == 0 {
            for i in localOfKey.indices { localOfKey[i] = 0 }
            stamp = 1
        }
        globalOfLocal.removeAll(keepingCapacity: true)
    }

    /// The words (non-space tokens) of the token ranges `ranges`, in order, with their ids,
    /// written from `out` on. Returns where each range's words end, and a bound on their keys:
    /// the number of keys this comparison has numbered so far (numbers are dense, so this is one
    /// more than the largest key of the first text, and at least that of the second).
    mutating func normalize(_ bytes: UnsafeRawBufferPointer, _ tokens: UnsafeBufferPointer<Token>, ranges: [Range<Int>],
                            into out: CheckedOutput<Word>) -> (ends: [Int], keyBound: Int) {
        var ends: [Int] = []
        ends.reserveCapacity(ranges.count)
        guard let base = bytes.baseAddress else { return (ranges.map { _ in 0 }, 0) }
        var cursor = Cursor(range: 0, token: ranges.first?.lowerBound ?? 0)
        var n = 0
        while true {
            // Nearly every token is a short text the lexicon already holds: those are looked up in
            // one tight loop over the table's slots, which stops at the first that is not.
            knownShortTokens(bytes, tokens, ranges, &cursor, into: out, written: &n, ends: &ends)
            guard cursor.range < ranges.count else { break }
            let token = tokens[cursor.token]
            let text = UnsafeRawBufferPointer(start: base + token.range.lowerBound, count: token.range.count)
            let ids = self.token(text, readable: bytes.count - token.range.lowerBound, punctuation: token.kind == .punctuation)
            out.put(Word(range: token.range, exact: ids.exact, key: ids.key, kind: token.kind), at: n)
            n += 1
            cursor.token += 1
        }
        return (ends, globalOfLocal.count)
    }

    /// A position in a list of token ranges.
    struct Cursor { var range: Int; var token: Int }

    /// Writes the words from `cursor` on for as long as each is a text of at most 16 bytes
    /// already in the table, appending to `ends` as ranges are finished; leaves `cursor` at the
    /// first (non-space) token it could not write that way, or past the last range.
    private mutating func knownShortTokens(_ bytes: UnsafeRawBufferPointer, _ tokens: UnsafeBufferPointer<Token>, _ ranges: [Range<Int>],
                                           _ cursor: inout Cursor, into out: CheckedOutput<Word>, written n: inout Int,
                                           ends: inout [Int]) {
        // Every global key can be numbered without growing the list; the lists are moved out of
        // `self` for the loop, so that it holds plain buffers.
        ensureLocalCapacity(keys.count)
        // Keys new to this comparison are numbered on from `base`: written to `added` through a
        // pointer (at most one per token) and appended to `globalOfLocal` once, at the end.
        var locals = localOfKey, added = newGlobals
        localOfKey = []; newGlobals = []
        if added.count < tokens.count { added = [Int32](repeating: 0, count: tokens.count) }
        let base = globalOfLocal.count
        var addedCount = 0
        defer {
            globalOfLocal.append(contentsOf: added[0..<addedCount])
            localOfKey = locals; newGlobals = added
        }
        let stamp = self.stamp
        // A token starting at or before `lastFull` has 16 readable bytes (may be negative: none has).
        let lastFull = bytes.count - 16
        guard let raw = bytes.baseAddress else { return }
        exact.withSlots { slots in
            TokenTable.shortMasks.withUnsafeBufferPointer { masks in
            added.withUnsafeMutableBufferPointer { added in
                locals.withUnsafeMutableBufferPointer { locals in
                    // The loop's state in locals, written back once: captured variables would go
                    // through memory on every token.
                    var r = cursor.range, t = cursor.token, written = n
                    defer { cursor = Cursor(range: r, token: t); n = written }
                    while r < ranges.count {
                        let end = ranges[r].upperBound
                        while t < end {
                            let token = tokens[t]
                            if token.kind == .space { t &+= 1; continue }
                            let from = token.range.lowerBound, length = token.range.upperBound &- from
                            guard length <= 16, from <= lastFull else { return }
                            let probe = TokenTable.shortProbe(raw + from, length: length, masks: masks.baseAddress!)
                            guard let slot = TokenTable.findShort(slots, probe, length: Int32(length)) else { return }
                            // Numbered without a branch: whether a key is new to this comparison
                            // is unpredictable, and a mispredicted branch here also threw away the
                            // look-ups of the next tokens that were already under way. Both
                            // stores are made either way (a known key stores its own entry back;
                            // `added` past its count is scratch).
                            let g = Int(slot.key)
                            let entry = locals[g]
                            let known = UInt32(truncatingIfNeeded: entry >> 32) == stamp
                            let fresh = UInt64(stamp) << 32 | UInt64(UInt32(truncatingIfNeeded: base &+ addedCount))
                            let kept = known ? entry : fresh
                            let local = Int32(truncatingIfNeeded: kept)
                            locals[g] = kept
                            added[addedCount] = slot.key
                            addedCount &+= known ? 0 : 1
                            out.put(Word(range: token.range, exact: slot.exact, key: local, kind: token.kind), at: written)
                            written &+= 1
                            t += 1
                        }
                        ends.append(written)
                        r += 1
                        if r < ranges.count { t = ranges[r].lowerBound }
                    }
                }
            }
            }
        }
    }

    /// Exact id and comparison key (this comparison's number) of one token's bytes, of which
    /// `readable` bytes from the start may be read.
    mutating func token(_ bytes: UnsafeRawBufferPointer, readable: Int, punctuation: Bool) -> (exact: Int32, key: Int32) {
        let probe = TokenTable.probe(bytes, readable: readable)
        if let found = exact.find(bytes, probe) { return (found.exact, local(found.key)) }
        let folded = Folding.tokenKey(bytes)
        let key = internKey(punctuation ? "\u{1}" + folded : folded)
        return (exact.insert(bytes, probe, key: key), local(key))
    }

    private mutating func internKey(_ key: String) -> Int32 {
        var key = key
        return key.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            let hash = hashBytes(raw)
            return keys.find(raw, hash: hash) ?? keys.insert(raw, hash: hash)
        }
    }

    private mutating func local(_ global: Int32) -> Int32 {
        let g = Int(global)
        ensureLocalCapacity(g + 1)
        let entry = localOfKey[g]
        if UInt32(truncatingIfNeeded: entry >> 32) == stamp { return Int32(truncatingIfNeeded: entry) }
        let number = Int32(globalOfLocal.count)
        localOfKey[g] = UInt64(stamp) << 32 | UInt64(UInt32(number))
        globalOfLocal.append(global)
        return number
    }

    /// Room in `localOfKey` for global keys below `count` (grown by doubling).
    private mutating func ensureLocalCapacity(_ count: Int) {
        if localOfKey.count < count { localOfKey += [UInt64](repeating: 0, count: max(count, localOfKey.count * 2, 1024) - localOfKey.count) }
    }

    private func existingLocal(_ global: Int32) -> Int32? {
        guard Int(global) < localOfKey.count else { return nil }
        let entry = localOfKey[Int(global)]
        return UInt32(truncatingIfNeeded: entry >> 32) == stamp ? Int32(truncatingIfNeeded: entry) : nil
    }

    /// This comparison's number for the key made of `locals`' keys written together, if either
    /// text has a token with that key.
    mutating func joinedKey(_ locals: (Int32, Int32, Int32), count: Int) -> Int32? {
        // Remembered by the parts' global keys, since a corpus tries the same joins again and again,
        // and building the joined text to look it up costs far more than the memo. Two keys take
        // 32 bits each, three 21 bits each (a lexicon holds far fewer keys than 2^21; past that,
        // three-part joins are simply not remembered; all ones is the table's empty mark).
        let g0 = UInt64(UInt32(bitPattern: globalOfLocal[Int(locals.0)])), g1 = UInt64(UInt32(bitPattern: globalOfLocal[Int(locals.1)]))
        let memo: UInt64?
        if count == 2 {
            memo = g0 << 32 | g1
        } else {
            let g2 = UInt64(UInt32(bitPattern: globalOfLocal[Int(locals.2)]))
            // The top bit set keeps three-part memo keys apart from two-part ones.
            memo = max(g0, g1, g2) < (1 << 21) - 1 ? 1 << 63 | g0 << 42 | g1 << 21 | g2 : nil
        }
        if let memo, let global = joinedPairs.find(memo) { return global >= 0 ? existingLocal(global) : nil }
        let global = joinedGlobal(locals, count: count)
        if let memo { joinedPairs.insert(memo, global ?? -1) }
        return global.flatMap(existingLocal)
    }

    /// The global key made of `locals`' keys written together, if there is one.
    private mutating func joinedGlobal(_ locals: (Int32, Int32, Int32), count: Int) -> Int32? {
        scratch.removeAll(keepingCapacity: true)
        keys.withBytes(globalOfLocal[Int(locals.0)]) { scratch.append(contentsOf: $0) }
        keys.withBytes(globalOfLocal[Int(locals.1)]) { scratch.append(contentsOf: $0) }
        if count == 3 { keys.withBytes(globalOfLocal[Int(locals.2)]) { scratch.append(contentsOf: $0) } }
        return scratch.withUnsafeBytes { keys.find($0, hash: hashBytes($0)) }
    }

    /// An id for the text of a joined compound: negative, so it never equals a token's.
    mutating func joinedExact(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let probe = TokenTable.probe(bytes)
        if let found = exact.find(bytes, probe) { return -2 - found.exact }
        return -2 - exact.insert(bytes, probe, key: -1)
    }
}

/// One comparison's view of a lexicon. Creating it starts the comparison; the two texts compared
/// are normalised through the same table, and a lexicon serves one table at a time.
public final class KeyTable {
    let lexicon: Lexicon

    public init(lexicon: Lexicon = Lexicon()) {
        lexicon.tables.beginComparison()
        self.lexicon = lexicon
    }

    /// Number of distinct keys in this comparison so far (key numbers are below it).
    public var count: Int { lexicon.tables.globalOfLocal.count }

    func normalize(_ bytes: UnsafeRawBufferPointer, _ tokens: UnsafeBufferPointer<Token>, ranges: [Range<Int>],
                   into out: CheckedOutput<Word>) -> (ends: [Int], keyBound: Int) {
        lexicon.tables.normalize(bytes, tokens, ranges: ranges, into: out)
    }

    /// The key of the first `count` (2 or 3) of `keys` written together, if either text has it.
    func joinedKey(_ keys: (Int32, Int32, Int32), count: Int) -> Int32? { lexicon.tables.joinedKey(keys, count: count) }

    func joinedExact(_ bytes: ArraySlice<UInt8>) -> Int32 { bytes.withUnsafeBytes { lexicon.tables.joinedExact($0) } }

    /// `compute`'s class for A's bytes `ra` against B's bytes `rb`, remembered by their bytes and
    /// `flavour` (which question the caller asks of them).
    func gapClass(_ a: [UInt8], _ ra: Range<Int>, _ b: [UInt8], _ rb: Range<Int>, flavour: UInt8, compute: () -> ChangeClass) -> ChangeClass {
        a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                lexicon.tables.accidentals.stretch(UnsafeRawBufferPointer(rebasing: pa[ra]), UnsafeRawBufferPointer(rebasing: pb[rb]), flavour: flavour, compute: compute)
            }
        }
    }

    /// `compute`'s class for two token texts, remembered by their exact ids.
    func accidental(_ a: Int32, _ b: Int32, compute: () -> ChangeClass?) -> ChangeClass? {
        lexicon.tables.accidentals.tokens(a, b, compute: compute)
    }
}
