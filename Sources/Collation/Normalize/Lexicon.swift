/// Token texts and their comparison keys as integers, remembered from one comparison to the next.
///
/// A corpus repeats its vocabulary, so after a few comparisons nearly every token is found by
/// one hash probe and never folded again. A lexicon serves one comparison at a time and is not
/// thread-safe: `Collator` keeps a pool so that threads never share one. It empties itself
/// between comparisons once it holds `limit` token texts, which bounds its memory.
public final class Lexicon {
    // The tables live in a struct so that a whole text's look-ups are one access to the class's
    // storage (Swift checks exclusive access dynamically on each access to a class property).
    fileprivate var tables = LexiconTables()

    /// Token texts held before the lexicon starts afresh (about 40 MB of tables and text).
    public static let limit = 1 << 20

    public init() {}

    /// Number of distinct token texts held.
    public var count: Int { tables.count }
}

fileprivate struct LexiconTables {
    /// Token texts; per text, the id of its comparison key (-1 for a joined compound, whose
    /// text is interned only so that equal compounds compare equal).
    private var exact = ByteInterner()
    private var keyOfExact: [Int32] = []
    /// Comparison keys. A punctuation key starts with U+0001 so it never equals a word's.
    private var keys = ByteInterner()
    /// The accidental class between two token texts, by their ids: a corpus repeats its edits too.
    var accidentals: [UInt64: ChangeClass?] = [:]

    // The comparison in progress numbers the keys it uses 0, 1, 2 …, so that later stages index
    // small arrays by key. A key's number is valid while its stamp is the comparison's.
    private var stampOfKey: [UInt32] = []
    private var localOfKey: [Int32] = []
    private var stamp: UInt32 = 0
    private(set) var globalOfLocal: [Int32] = []
    private var scratch: [UInt8] = []

    var count: Int { exact.count }

    mutating func beginComparison() {
        if exact.count > Lexicon.limit || exact.byteCount + keys.byteCount > 32 << 20 {
            exact.removeAll(); keys.removeAll(); keyOfExact.removeAll()
            accidentals.removeAll()
            stampOfKey.removeAll(); localOfKey.removeAll()
        }
        if accidentals.count > 200_000 { accidentals.removeAll() }
        stamp &+= 1
        if stamp == 0 {
            for i in stampOfKey.indices { stampOfKey[i] = 0 }
            stamp = 1
        }
        globalOfLocal.removeAll(keepingCapacity: true)
    }

    /// Exact id and comparison key (this comparison's number) of one token's bytes.
    /// Exact ids and keys of a text's tokens (white space keeps -1).
    mutating func normalize(_ bytes: UnsafeRawBufferPointer, _ tokens: UnsafeBufferPointer<Token>,
                            keys: UnsafeMutableBufferPointer<Int32>, exact: UnsafeMutableBufferPointer<Int32>) {
        for i in tokens.indices where tokens[i].kind != .space {
            let token = tokens[i]
            let ids = self.token(UnsafeRawBufferPointer(rebasing: bytes[token.range]), punctuation: token.kind == .punctuation)
            exact[i] = ids.exact
            keys[i] = ids.key
        }
    }

    mutating func token(_ bytes: UnsafeRawBufferPointer, punctuation: Bool) -> (exact: Int32, key: Int32) {
        let hash = hashBytes(bytes)
        let id: Int32
        if let found = exact.find(bytes, hash: hash) {
            id = found
        } else {
            let folded = Folding.fold(Substring(String(decoding: bytes, as: UTF8.self)).unicodeScalars, layers: .all)
            let key = internKey(punctuation ? "\u{1}" + folded : folded)
            id = exact.insert(bytes, hash: hash)
            keyOfExact.append(key)
        }
        return (id, local(keyOfExact[Int(id)]))
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
        if g >= stampOfKey.count {
            let grown = max(g + 1, stampOfKey.count * 2, 1024)
            stampOfKey += [UInt32](repeating: 0, count: grown - stampOfKey.count)
            localOfKey += [Int32](repeating: 0, count: grown - localOfKey.count)
        }
        if stampOfKey[g] == stamp { return localOfKey[g] }
        stampOfKey[g] = stamp
        localOfKey[g] = Int32(globalOfLocal.count)
        globalOfLocal.append(global)
        return localOfKey[g]
    }

    /// This comparison's number for the key made of `locals`' keys written together, if either
    /// text has a token with that key.
    mutating func joinedKey(_ locals: [Int32]) -> Int32? {
        scratch.removeAll(keepingCapacity: true)
        for l in locals { keys.withBytes(globalOfLocal[Int(l)]) { scratch.append(contentsOf: $0) } }
        let global: Int32? = scratch.withUnsafeBytes { keys.find($0, hash: hashBytes($0)) }
        guard let global, Int(global) < stampOfKey.count, stampOfKey[Int(global)] == stamp else { return nil }
        return localOfKey[Int(global)]
    }

    /// An id for the text of a joined compound: negative, so it never equals a token's.
    mutating func joinedExact(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = hashBytes(bytes)
        if let id = exact.find(bytes, hash: hash) { return -2 - id }
        let id = exact.insert(bytes, hash: hash)
        keyOfExact.append(-1)
        return -2 - id
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

    func normalize(_ bytes: UnsafeRawBufferPointer, _ tokens: UnsafeBufferPointer<Token>,
                   keys: UnsafeMutableBufferPointer<Int32>, exact: UnsafeMutableBufferPointer<Int32>) {
        lexicon.tables.normalize(bytes, tokens, keys: keys, exact: exact)
    }

    func joinedKey(_ keys: [Int32]) -> Int32? { lexicon.tables.joinedKey(keys) }

    func joinedExact(_ bytes: ArraySlice<UInt8>) -> Int32 { bytes.withUnsafeBytes { lexicon.tables.joinedExact($0) } }

    /// `compute`'s class for two token texts, remembered by their exact ids.
    func accidental(_ a: Int32, _ b: Int32, compute: () -> ChangeClass?) -> ChangeClass? {
        let pair = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        if let hit = lexicon.tables.accidentals[pair] { return hit }
        let value = compute()
        lexicon.tables.accidentals[pair] = .some(value)
        return value
    }
}
