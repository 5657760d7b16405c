import Collation

/// A text as matching reads it, worked out once: segmented and shingled a single time for its
/// LSH query, its stored signature, the `contained` share and the sentence count alignment needs
/// (each of these used to segment and shingle the text again).
struct QueryText: Sendable {
    let bytes: [UInt8]
    /// Its sentences (what `aligned` is a share of).
    let sentences: Int
    /// Its distinct shingle hashes.
    let shingles: [UInt64]
    /// An eighth of them (`ShingleSample`), for ruling candidates out and for being ruled out.
    let sample: ShingleSample
    let sketch: TextSketch
    /// What a new story's slug is made of when the edition has no title (`StorySlug`).
    let firstSentence: String
    /// The sources it credits (`Conventions.credits`), for telling which of two editions of one
    /// day derives from the other.
    let credits: Set<String>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let segmented = Segmenter.segment(bytes)
        sentences = segmented.units.reduce(0) { $0 + ($1.kind == .sentence ? 1 : 0) }
        firstSentence = StorySlug.firstSentence(segmented)
        shingles = Shingles.of(segmented)
        sample = ShingleSample(shingles)
        sketch = TextSketch(shingles: shingles)
        credits = Conventions.credits(of: bytes)
    }
}

/// What matching needs of an import item given without a story that depends on its text alone,
/// worked out on the import's reader threads ahead of the writer (`PreparedStream`): its query.
struct PreparedMatch: Sendable {
    let edition: String
    let query: QueryText

    init(_ item: PendingEdition) {
        edition = item.edition
        query = QueryText(item.bytes)
    }
}

/// Candidates' texts and shingles for the queries of one proposal or one import, each read
/// from git and shingled once: an import meets the same candidates again and again (the
/// editions of a story, stock-phrase neighbours), mostly those it met last. The sample of every
/// text met (`ShingleSample`) is kept for the whole import: at 10^5 editions an import met
/// ~60,000 stock-phrase neighbours long out of the recent ones, each of them read and shingled
/// only to be found sharing 8 % of the query's shingles.
final class CandidateTexts {
    private let read: (String) throws -> [UInt8]?
    private var texts = Recent<[UInt8]>()
    private var shingleLists = Recent<[UInt64]>()
    private var samples: [String: ShingleSample] = [:]
    /// The sources each text met credits (`Conventions.credits`), kept for the whole import.
    private var creditLists: [String: Set<String>] = [:]

    /// `read`: an edition's text, nil if it is not to be had.
    init(_ read: @escaping (String) throws -> [UInt8]?) { self.read = read }

    func text(of edition: String) throws -> [UInt8]? {
        if let known = texts[edition] { return known }
        guard let text = try read(edition) else { return nil }
        texts[edition] = text
        return text
    }

    /// The edition's distinct shingles.
    func shingles(of edition: String) throws -> [UInt64]? {
        if let known = shingleLists[edition] { return known }
        guard let text = try text(of: edition) else { return nil }
        let shingles = Shingles.of(text)
        note(edition, shingles: shingles, sample: ShingleSample(shingles))
        return shingles
    }

    /// The shingles, sample and credits of an edition whose text was read already (an import's own items).
    func note(_ edition: String, shingles: [UInt64], sample: ShingleSample, credits: Set<String>? = nil) {
        shingleLists[edition] = shingles
        samples[edition] = sample
        if let credits { creditLists[edition] = credits }
    }

    /// The sources the edition's text credits, nil if its text is not to be had.
    func credits(of edition: String) throws -> Set<String>? {
        if let known = creditLists[edition] { return known }
        guard let text = try text(of: edition) else { return nil }
        let credits = Conventions.credits(of: text)
        creditLists[edition] = credits
        return credits
    }

    /// The sample of the edition's shingles, if its text was met (read or noted) before.
    func sample(of edition: String) -> ShingleSample? { samples[edition] }
}

/// The shingles of a text whose top three bits are zero, an eighth of them, as sorted 32-bit
/// values: a consistent sample (the same shingle is in or out of every text's), so the share of
/// a query's sampled shingles that a candidate's sample holds estimates the share of all of them
/// it holds (`QueryAligner.containedSample`), and a tenth of the memory of the shingles keeps it
/// for every edition an import meets.
struct ShingleSample: Sendable {
    let values: [UInt32]

    init(_ shingles: [UInt64]) {
        values = shingles.compactMap { $0 >> 61 == 0 ? UInt32(truncatingIfNeeded: $0) : nil }.sorted()
    }

    /// How many values the two samples share (both sorted, each value once).
    func shared(with other: ShingleSample) -> Int {
        var (i, j, n) = (0, 0, 0)
        let a = values, b = other.values
        while i < a.count && j < b.count {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }
}

/// Values by edition, the most recently used kept: two generations of up to `limit` each; when
/// the newer fills, the older is forgotten, and a value found in the older moves to the newer.
/// (Forgetting everything at the limit made an import shingle again the editions it was meeting.)
struct Recent<Value> {
    private var newer: [String: Value] = [:]
    private var older: [String: Value] = [:]
    private let limit = 2_048

    subscript(edition: String) -> Value? {
        mutating get {
            if let value = newer[edition] { return value }
            guard let value = older.removeValue(forKey: edition) else { return nil }
            self[edition] = value
            return value
        }
        set {
            guard let newValue else { newer[edition] = nil; older[edition] = nil; return }
            if newer.count >= limit, newer[edition] == nil { older = newer; newer = [:]; newer.reserveCapacity(limit) }
            newer[edition] = newValue
        }
    }
}

/// A text's distinct shingle hashes as a set: open addressing on the hashes' own bits (they are
/// mixed already), where a `Set` hashed each again (SipHash) for every candidate shingle looked up.
struct ShingleSet: Sendable {
    private var slots: [UInt64]
    private var hasZero = false // 0 marks an empty slot
    let count: Int
    var isEmpty: Bool { count == 0 }

    /// `shingles`: distinct, as `Shingles.of` gives them.
    init(_ shingles: [UInt64]) {
        var size = 16
        while size < 2 * shingles.count { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        count = shingles.count
        let mask = size - 1
        for h in shingles {
            if h == 0 { hasZero = true; continue }
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 && slots[i] != h { i = (i + 1) & mask }
            slots[i] = h
        }
    }

    func contains(_ h: UInt64) -> Bool {
        if h == 0 { return hasZero }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 {
                if slots[i] == h { return true }
                i = (i + 1) & mask
            }
            return false
        }
    }
}
