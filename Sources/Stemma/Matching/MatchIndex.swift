import Collation
import Foundation
import Git
import SQLite

/// One edition record as the matching index knows it.
public struct MatchEntry: Sendable, Equatable {
    public let id: Int64
    public let story: String
    public let source: String
    public let edition: String
    public let date: String
    public let signature: MinHash
    /// How many distinct shingles the text has (for the containment estimate).
    public let shingles: Int
}

/// The matching index: one SQLite file beside the corpus (`stemma-match.sqlite`), derived data
/// like `stemma-index.sqlite` and never part of the corpus. Per edition record it keeps a MinHash
/// signature of the text's shingles, the signature's LSH band keys (a B-tree from band key to
/// editions, so candidates are a few look-ups whatever the corpus size) and the text, folded, in a
/// contentless FTS5 table for `grep`. That table is filled only when `grep` asks (`catchUpWords`):
/// it serves nothing else, and filling it at every import and commit cost more than matching's
/// own tables. Records are numbered in the order they were added and never renumbered, so the
/// table holds exactly the records up to the one `meta` names (`words`), less those removed since.
///
/// It follows the corpus index, which follows `main`: it records the `main` commit it reflects,
/// and catching up compares its records with the corpus index's, adding and removing only the
/// difference. Deleting the file costs a rebuild.
public final class MatchIndex {
    public static let fileName = "stemma-match.sqlite"
    /// Changes whenever what is stored changes meaning (shingles, hash functions, fold): a file
    /// of another version is rebuilt.
    static let schemaVersion = "6"

    let database: Database
    private unowned let corpus: Corpus
    /// The file, nil for an index in memory (which a second connection cannot share).
    private let file: String?

    private init(database: Database, corpus: Corpus, file: String?) { self.database = database; self.corpus = corpus; self.file = file }

    /// Opens the file, or makes a fresh one if it is absent, of another version, or unreadable.
    /// A corpus we may not write to gets an index in memory instead.
    static func open(for corpus: Corpus) throws -> MatchIndex {
        let (db, inMemory) = try DerivedDatabase.open(fileName, for: corpus) { db in
            try MatchIndex(database: db, corpus: corpus, file: nil).prepareSchema()
        }
        return MatchIndex(database: db, corpus: corpus, file: inMemory ? nil : corpus.path + "/" + fileName)
    }

    private func prepareSchema() throws {
        try sqliteCall {
            try database.execute("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY AUTOINCREMENT, story TEXT NOT NULL, source TEXT NOT NULL,
              edition BLOB NOT NULL, date TEXT NOT NULL, signature BLOB NOT NULL, shingles INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS docs_by_edition ON docs(edition);
            CREATE TABLE IF NOT EXISTS bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc)) WITHOUT ROWID;
            CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(body, content='', detail=none, tokenize='unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE IF NOT EXISTS words_vocab USING fts5vocab(words, 'row');
            """)
            let version = try database.query("SELECT value FROM meta WHERE key='schema'").first?.first?.string
            if version == nil {
                try database.query("INSERT INTO meta VALUES('schema', ?)", [.text(Self.schemaVersion)])
            } else if version != Self.schemaVersion {
                throw SQLiteError(code: 1, message: "matching index version \(version!) is not \(Self.schemaVersion)", sql: nil)
            }
        }
    }

    /// The `main` commit this index reflects.
    public func indexedCommit() throws -> String? {
        try sqliteCall { try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string }
    }

    /// Brings the index up to `main`: the records the corpus index has and this one lacks are added
    /// (their texts read and shingled), those it no longer has are removed, and a changed date is
    /// updated. Nothing is read again for records already here.
    public func catchUp() throws {
        _ = try finishCheckpoint(waiting: true)
        guard let tip = try corpus.mainCommit() else { return }
        if try indexedCommit() == tip.hex { return }
        let records = try corpus.index()
        forgetPostings(keepCommon: false)
        try sqliteCall {
            try database.writeTransaction {
                // Another process may have caught up while we waited for the lock.
                if try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string == tip.hex { return }
                var wanted: [String: LoggedEdition] = [:]
                try records.forEachEdition { wanted[Self.recordKey($0.metadata.story, $0.metadata.source, $0.edition)] = $0 }
                let writer = try Writer(database)
                for row in try database.query("SELECT id, story, source, edition, date FROM docs") {
                    let edition = Self.hex(row[3])
                    let key = Self.recordKey(row[1].string ?? "", row[2].string ?? "", edition)
                    if let record = wanted.removeValue(forKey: key) {
                        if record.metadata.date != row[4].string {
                            try database.query("UPDATE docs SET date=? WHERE id=?", [.text(record.metadata.date), row[0]])
                        }
                    } else {
                        try writer.remove(id: row[0].int ?? 0, edition: edition, corpus: corpus)
                    }
                }
                for record in wanted.values.sorted(by: { $0.edition < $1.edition }) {
                    try writer.add(record.metadata, edition: record.edition, text: try corpus.text(of: record.edition))
                }
                try database.query("INSERT OR REPLACE INTO meta VALUES('main', ?)", [.text(tip.hex)])
            }
        }
    }

    /// Adds one record `commit` has just made, if the index was at that commit's parent; otherwise
    /// catches up as usual. Called after a commit so the next one finds this edition without a
    /// comparison of every record.
    func noteCommitted(_ metadata: EditionMetadata, edition: String, text: [UInt8], commit: String) throws {
        _ = try finishCheckpoint(waiting: true)
        forgetPostings(keepCommon: false)
        guard let id = ObjectID(hex: commit), let parent = try gitCall({ try corpus.repository.commit(id).parents.first }) else {
            return try catchUp()
        }
        let added: Bool = try sqliteCall {
            try database.writeTransaction {
                guard try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string == parent.hex else { return false }
                let writer = try Writer(database)
                for row in try database.query("SELECT id FROM docs WHERE edition=? AND story=? AND source=?",
                                              [Self.edition(edition), .text(metadata.story), .text(metadata.source)]) {
                    try writer.remove(id: row[0].int ?? 0, edition: edition, corpus: corpus)
                }
                try writer.add(metadata, edition: edition, text: text)
                try database.query("INSERT OR REPLACE INTO meta VALUES('main', ?)", [.text(commit)])
                return true
            }
        }
        if !added { try catchUp() }
    }

    /// Stores what an import wrote up to a checkpoint that moved `main` from `from` to `to`, in one
    /// transaction: the new records (`added`, with the sketches they were matched with) and the
    /// dates of records it updated (`updated`, the checkpoint's records not in `added`). An index
    /// that was at `from` is then at `to`; one that was elsewhere keeps its commit and the next
    /// catch-up finds these records already here. One that another process brought to `to` already
    /// has them.
    func addCheckpoint(_ added: [PendingMatches.Item], updated: [LoggedEdition], from: String?, to: String) throws {
        adopt(try sqliteCall { try Self.store(added, updated: updated, from: from, to: to, in: database) })
    }

    /// As `addCheckpoint`, on a thread of its own with a connection of its own, so the import goes
    /// on matching meanwhile (the transaction was a tenth of its main thread at 10^5 editions).
    /// Until `finishCheckpoint` says it is done the caller keeps `added` among its pending
    /// records, and this connection passes over every record numbered above those it knew when
    /// the write began: a query that read the new rows as well would meet each of them twice. A
    /// write still going is waited for first, here and at every catch-up. An index in memory
    /// (which a second connection cannot share) is written at once, on this thread.
    func beginCheckpoint(_ added: [PendingMatches.Item], updated: [LoggedEdition], from: String?, to: String) throws {
        _ = try finishCheckpoint(waiting: true)
        guard let file else { return try addCheckpoint(added, updated: updated, from: from, to: to) }
        let writer = try sqliteCall { () throws -> Database in
            if let open = checkpointConnection { return open }
            let db = try Database(path: file)
            try db.execute("PRAGMA synchronous=NORMAL;")
            checkpointConnection = db
            return db
        }
        storingAbove = try sqliteCall { try database.query("SELECT COALESCE(MAX(id), 0) FROM docs").first?.first?.int ?? 0 }
        let write = CheckpointWrite(CheckpointWrite.Work(added: added, updated: updated, from: from, to: to), on: writer)
        checkpointWrite = write
        Thread { write.run() }.start()
    }

    /// Whether no checkpoint is being stored any more (`beginCheckpoint`): one that is done is
    /// taken into the caches; `waiting`: waits for it.
    ///
    /// A write that failed on its thread (its connection waited out another process's lock, say)
    /// is made again here, on this connection: until then its records are in the index nowhere
    /// but in the caller's pending ones, which this lets go of (`candidates`). Should that fail
    /// too, the error is thrown for the import to stop on, as when the write was made in line.
    func finishCheckpoint(waiting: Bool) throws -> Bool {
        guard let write = checkpointWrite else { return true }
        guard let result = write.result(waiting: waiting) else { return false }
        checkpointWrite = nil
        storingAbove = nil
        switch result {
        case .success(let stored):
            adopt(stored)
        case .failure:
            checkpointConnection = nil // perhaps left inside its transaction
            write.closeConnection()
            checkpointsRetried += 1
            let work = write.work
            try addCheckpoint(work.added, updated: work.updated, from: work.from, to: work.to)
        }
        return true
    }

    /// How many checkpoint writes failed on their thread and were made again (`finishCheckpoint`).
    private(set) var checkpointsRetried = 0

    /// A checkpoint's write on its thread: what it was given, and what it stored once done.
    /// Shared by two threads in turn, never at once: the writing thread alone until `done` is
    /// signalled (it owns `Work`'s connection until then), the index's thread alone after.
    final class CheckpointWrite: @unchecked Sendable {
        struct Work {
            let added: [PendingMatches.Item], updated: [LoggedEdition], from: String?, to: String
        }
        let work: Work
        private var connection: Database?
        private var stored: Result<StoredCheckpoint, Error>?
        private let done = DispatchSemaphore(value: 0)
        private var signalled = false

        init(_ work: Work, on connection: Database) { self.work = work; self.connection = connection }

        func run() {
            stored = Result { try MatchIndex.store(work.added, updated: work.updated, from: work.from, to: work.to, in: connection!) }
            done.signal()
        }

        /// After a failed write: the connection is closed (SQLite rolls back what it left open).
        func closeConnection() { connection = nil }

        /// What was stored, or nil while it is still being stored and `waiting` is false.
        func result(waiting: Bool) -> Result<StoredCheckpoint, Error>? {
            if !signalled {
                if waiting { done.wait() } else if done.wait(timeout: .now()) == .timedOut { return nil }
                signalled = true
            }
            return stored
        }
    }

    struct StoredCheckpoint {
        /// Whether the index was where this connection left it, and now is at the checkpoint.
        let moved: Bool
        let redated: Bool
        let stored: [(id: Int64, item: PendingMatches.Item)]
        let bands: [(key: Int64, doc: Int64)]
    }

    fileprivate static func store(_ added: [PendingMatches.Item], updated: [LoggedEdition], from: String?, to: String,
                              in database: Database) throws -> StoredCheckpoint {
        var stored: [(id: Int64, item: PendingMatches.Item)] = []
        var bands: [(key: Int64, doc: Int64)] = []
        let moved: Bool = try database.writeTransaction {
            let at = try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string
            if at == to { return false }
            let writer = try Writer(database)
            let present = try database.prepare("SELECT 1 FROM docs WHERE edition=? AND story=? AND source=? LIMIT 1")
            func isPresent(_ m: EditionMetadata, _ edition: String) throws -> Bool {
                try present.bind([Self.edition(edition), .text(m.story), .text(m.source)])
                return try present.nextRow() != nil
            }
            // Band rows in key order, after the rows they name: B-tree inserts in order, not at random.
            for item in added where try !isPresent(item.metadata, item.entry.edition) {
                let id = try writer.add(item.metadata, edition: item.entry.edition, text: item.text, sketch: item.sketch, withBands: false)
                stored.append((id, item))
                if !item.sketch.signature.isEmpty { for band in item.sketch.signature.bands { bands.append((band, id)) } }
            }
            bands.sort { $0.key != $1.key ? $0.key < $1.key : $0.doc < $1.doc }
            try writer.insertBands(bands)
            let redate = try database.prepare("UPDATE docs SET date=? WHERE edition=? AND story=? AND source=?")
            for row in updated {
                try redate.run([.text(row.metadata.date), Self.edition(row.edition), .text(row.metadata.story), .text(row.metadata.source)])
            }
            if at == from { try database.query("INSERT OR REPLACE INTO meta VALUES('main', ?)", [.text(to)]) }
            return at == from
        }
        return StoredCheckpoint(moved: moved, redated: !updated.isEmpty, stored: stored, bands: bands)
    }

    /// The index moved from where this connection left it to what it wrote, and no row was
    /// redated: the caches gain what was written instead of being forgotten (an import's next
    /// queries would read again from SQLite every posting, signature and entry they meet).
    /// Otherwise another process wrote too, or a cached entry may be out of date.
    private func adopt(_ checkpoint: StoredCheckpoint) {
        if checkpoint.moved && !checkpoint.redated {
            remember(checkpoint.stored, bands: checkpoint.bands)
        } else {
            forgetPostings(keepCommon: true)
        }
    }

    /// A record (story, source, edition) as one value, for sets of records.
    static func recordKey(_ story: String, _ source: String, _ edition: String) -> String { story + "\u{0}" + source + "\u{0}" + edition }

    /// Edition ids are stored as their 20 bytes, half the room of their hex.
    static func edition(_ hex: String) -> SQLValue { .blob(bytes(ofHex: Array(hex.lowercased().utf8))) }

    static func bytes(ofHex hex: [UInt8]) -> [UInt8] {
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: hex.count - 1, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }

    static func hex(_ value: SQLValue) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in value.bytes ?? [] { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes and removes records: the row and its band keys together, and a removed record's words
    /// if the words table has them (a record is added to it only by `catchUpWords`).
    private struct Writer {
        let database: Database
        let insertDoc: Statement, insertBand: Statement, lastID: Statement
        /// The last record the words table was filled up to (`MatchIndex.wordsThrough`).
        let wordsThrough: Int64

        init(_ database: Database) throws {
            self.database = database
            insertDoc = try database.prepare("INSERT INTO docs(story, source, edition, date, signature, shingles) VALUES(?,?,?,?,?,?)")
            insertBand = try database.prepare("INSERT OR IGNORE INTO bands(key, doc) VALUES(?,?)")
            lastID = try database.prepare("SELECT last_insert_rowid()")
            wordsThrough = try MatchIndex.wordsThrough(database)
        }

        /// The new row's id. `withBands: false` leaves its band rows to the caller (`insertBands`).
        @discardableResult
        func add(_ m: EditionMetadata, edition: String, text: [UInt8], sketch known: TextSketch? = nil, withBands: Bool = true) throws -> Int64 {
            let sketch = known ?? TextSketch(text)
            let signature = sketch.signature
            try insertDoc.run([.text(m.story), .text(m.source), MatchIndex.edition(edition), .text(m.date), .blob(signature.compact),
                               .integer(Int64(sketch.shingles))])
            try lastID.bind([])
            let id = try lastID.nextRow()?.first?.int ?? 0
            if withBands && !signature.isEmpty {
                for band in signature.bands { try insertBand.run([.integer(band), .integer(id)]) }
            }
            return id
        }

        /// Many rows a statement: at a checkpoint of 10^4 editions, 2 × 10^5 of them.
        func insertBands(_ rows: [(key: Int64, doc: Int64)]) throws {
            let batch = 100
            let many = try database.prepare("INSERT OR IGNORE INTO bands(key, doc) VALUES" + Array(repeating: "(?,?)", count: batch).joined(separator: ","))
            var values: [SQLValue] = []
            values.reserveCapacity(2 * batch)
            var start = 0
            while rows.count - start >= batch {
                values.removeAll(keepingCapacity: true)
                for row in rows[start..<start + batch] { values.append(.integer(row.key)); values.append(.integer(row.doc)) }
                try many.run(values)
                start += batch
            }
            for row in rows[start...] { try insertBand.run([.integer(row.key), .integer(row.doc)]) }
        }

        /// A contentless FTS5 table forgets a row only when told the text it indexed: read again
        /// from git, where a removed record's text stays in history.
        /// The band keys are worked out again from the text too (the row keeps too little of the
        /// signature for them). Should the text be gone, what is left of the row in `bands` and
        /// `words` names an id no row has or will have again (AUTOINCREMENT), which every query
        /// joins away.
        func remove(id: Int64, edition: String, corpus: Corpus) throws {
            if let text = try? corpus.text(of: edition) {
                let signature = MinHash(shingles: Shingles.of(text))
                if !signature.isEmpty {
                    for band in signature.bands { try database.query("DELETE FROM bands WHERE key=? AND doc=?", [.integer(band), .integer(id)]) }
                }
                if id <= wordsThrough {
                    try database.query("INSERT INTO words(words, rowid, body) VALUES('delete', ?, ?)", [.integer(id), .text(MatchIndex.searchText(text))])
                }
            }
            try database.query("DELETE FROM docs WHERE id=?", [.integer(id)])
        }
    }

    /// What the words table indexes: the text's words as search compares them (`SearchFold.words`:
    /// folded, in their canonical spelling), so FTS5's own folding only ever sees what Collation
    /// already folded.
    static func searchText(_ text: [UInt8]) -> String { SearchFold.words(String(decoding: text, as: UTF8.self)).joined(separator: " ") }

    /// The FTS5 query for the records that may hold `words` (as `SearchFold.words` gives them) as a
    /// phrase, each then checked in its text: every word, or the word as house style writes it
    /// apart or together where the table has that form: in two words (`vietnam` as `viet nam`), or
    /// joined to the next or the last word of the phrase (`viet nam` as `vietnam`).
    func candidateQuery(_ words: [String]) throws -> String {
        var known: [String: Bool] = [:]
        func has(_ term: String) throws -> Bool {
            if let found = known[term] { return found }
            let found = try sqliteCall { try !database.query("SELECT 1 FROM words_vocab WHERE term = ?", [.text(term)]).isEmpty }
            known[term] = found
            return found
        }
        func quoted(_ term: String) -> String { "\"" + term + "\"" } // a word holds no quote: nothing to escape
        var clauses: [String] = []
        for (i, word) in words.enumerated() {
            var alternatives = [quoted(word)]
            let letters = Array(word)
            for cut in letters.indices.dropFirst() {
                let (head, tail) = (String(letters[..<cut]), String(letters[cut...]))
                if try has(head), try has(tail) { alternatives.append("(\(quoted(head)) AND \(quoted(tail)))") }
            }
            if i > 0, try has(words[i - 1] + word) { alternatives.append(quoted(words[i - 1] + word)) }
            if i + 1 < words.count, try has(word + words[i + 1]) { alternatives.append(quoted(word + words[i + 1])) }
            clauses.append(alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")")
        }
        return clauses.joined(separator: " AND ")
    }

    /// The record the words table is filled up to: it holds every record numbered up to this one
    /// that is still here, and none above it.
    private static func wordsThrough(_ database: Database) throws -> Int64 {
        try database.query("SELECT value FROM meta WHERE key='words'").first?.first?.string.flatMap { Int64($0) } ?? 0
    }

    /// Fills the words table with the records added since it was last filled: their texts read
    /// from git and folded, in one transaction. The first `grep` after an import or a rebuild
    /// pays for it (`onProgress`, done and in all, when it takes over a second); the next finds
    /// nothing to do.
    func catchUpWords(onProgress: ((Int, Int) -> Void)? = nil) throws {
        try sqliteCall {
            let newest = try database.query("SELECT MAX(id) FROM docs").first?.first?.int ?? 0
            guard try Self.wordsThrough(database) < newest else { return }
            try database.writeTransaction {
                // Another process may have filled it while we waited for the lock.
                let rows = try database.query("SELECT id, edition FROM docs WHERE id > ? ORDER BY id", [.integer(try Self.wordsThrough(database))])
                guard let last = rows.last?[0].int else { return }
                let started = Date()
                let insert = try database.prepare("INSERT INTO words(rowid, body) VALUES(?,?)")
                for (done, row) in rows.enumerated() {
                    try insert.run([row[0], .text(Self.searchText(try corpus.text(of: Self.hex(row[1]))))])
                    if done % 512 == 0, let onProgress, Date().timeIntervalSince(started) > 1 { onProgress(done, rows.count) }
                }
                if let onProgress, Date().timeIntervalSince(started) > 1 { onProgress(rows.count, rows.count) }
                try database.query("INSERT OR REPLACE INTO meta VALUES('words', ?)", [.text(String(last))])
            }
        }
    }

    // MARK: queries

    private static let entryColumns = "id, story, source, edition, date, signature, shingles"

    private static func entry(_ row: [SQLValue]) -> MatchEntry? {
        guard let id = row[0].int, let signature = row[5].bytes.flatMap(MinHash.init(compact:)) else { return nil }
        return MatchEntry(id: id, story: row[1].string ?? "", source: row[2].string ?? "", edition: hex(row[3]),
                          date: row[4].string ?? "", signature: signature, shingles: Int(row[6].int ?? 0))
    }

    /// Records that share at least one band with `sketch`'s signature, whose estimate is at least
    /// `minimumScore` and whose estimated share of the sketch's shingles (`TextSketch.containment`)
    /// is at least `minimumContainment`: the LSH candidates, from the `limit` sharing the most bands (then the lower
    /// id). A band key more than `commonBand` editions share is passed over: it is a stock
    /// phrase's shingle as a minimum (10^4 generated editions have keys shared by 2,000), evidence
    /// of nothing, and reading it would grow with the corpus. `pending` adds an import's records
    /// not stored yet, counted with the stored ones.
    ///
    /// Only the signatures of the `limit` are read before the estimate, the rest of a row only for
    /// those that pass it: most candidates share one stock-phrase band and fail.
    func candidates(_ sketch: TextSketch, pending: PendingMatches? = nil, minimumScore: Double, minimumContainment: Double = 0,
                    limit: Int = 200) throws -> [MatchEntry] {
        let commonBand = Self.commonBand
        let signature = sketch.signature
        guard !signature.isEmpty else { return [] }
        // The records of a checkpoint being stored are pending only until the index has them
        // (`finishCheckpoint`, whoever called it): met twice otherwise.
        if let pending, pending.storing != nil, storingAbove == nil { pending.storing = nil }
        func passes(_ theirs: MinHash.LowHalves, shingles: Int) -> Bool {
            let score = theirs.similarity(signature.halves)
            return score >= minimumScore && (minimumContainment <= 0 || sketch.containment(inTextOf: shingles, similarity: score) >= minimumContainment)
        }
        return try sqliteCall {
            for band in signature.bands {
                guard let stored = try postings(band, commonBand: commonBand) else { continue }
                let mine = pending?.postings(band) ?? []
                if stored.count + mine.count > commonBand { continue }
                for doc in stored { hits.add(doc) }
                for doc in mine { hits.add(doc) }
            }
            // The `limit` sharing the most bands, then the lower id: by count, without sorting every hit.
            let byCount = hits.drain(counts: MinHash.bandCount)
            var best: [Int64] = []
            for count in stride(from: MinHash.bandCount, through: 1, by: -1) where best.count < limit {
                // Sorted only where the limit cuts: the order of `best` is not the candidates' order.
                let ids = byCount[count]
                best.append(contentsOf: ids.count <= limit - best.count ? ids[...] : Self.lowest(limit - best.count, of: ids))
            }
            var found: [MatchEntry] = []
            for id in best {
                if let pending, let theirs = pending.estimate(id: id) {
                    if passes(theirs.halves, shingles: theirs.shingles), let entry = pending.entry(id: id) { found.append(entry) }
                } else if let stored = try storedEstimate(id), passes(stored.halves, shingles: stored.shingles),
                          let entry = try storedEntry(id, signature: MinHash(halves: stored.halves), shingles: stored.shingles) {
                    found.append(entry)
                }
            }
            return found
        }
    }

    /// The `k` lowest of `ids` (distinct ids, 0 < k ≤ their count), in no order: a selection
    /// (Hoare's), not a sort. A query meets ~350 records through one band each and keeps the ~180
    /// with the lowest ids; sorting them all was a tenth of finding its candidates.
    static func lowest(_ k: Int, of ids: [Int64]) -> ArraySlice<Int64> {
        precondition(k > 0 && k <= ids.count, "selecting \(k) of \(ids.count)")
        var a = ids
        var lo = 0, hi = a.count - 1
        // a[..<lo] holds only values below a[lo...hi], a[(hi + 1)...] only values above them.
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { break }
        }
        return a[..<k]
    }

    // Caches for a process that queries many times (an import): the postings of band keys (a
    // stock phrase's come up again and again), the keys found too common, and stored signatures.
    // Postings are forgotten whenever this connection writes (`forgetPostings`), except that an
    // import's checkpoint adds what it stored (`remember`); a signature never changes under its id
    // (ids are never reused), and a removed row is found missing when its entry is read.
    private var hits = HitCounter()
    private var postingsCache: [Int64: [Int64]] = [:]
    private var commonKeys = Set<Int64>()
    /// Whether any band is stored (nil: not known yet): an import into a new corpus finds none
    /// until its first checkpoint, and need not look for each key.
    private var anyStored: Bool?
    /// Every band key stored, while this connection has written every band row there is (it found
    /// none, and only its own checkpoints added any since): a key not here has no postings, and
    /// is not looked for in SQLite. Most keys of a text that starts a story are new, and at 10^5
    /// editions their look-ups were a tenth of an import's main thread.
    private var allStoredKeys: Set<Int64>?
    private var signatureCache = EstimateCache()
    /// While a checkpoint is stored on its own thread (`beginCheckpoint`): the highest record id
    /// there was before it. Records above it are still the import's pending ones.
    private var storingAbove: Int64?
    /// `beginCheckpoint`'s connection, kept from one checkpoint to the next, and its write.
    private var checkpointConnection: Database?
    private var checkpointWrite: CheckpointWrite?
    /// The entries of records this process stored (an import's, at its checkpoints): the rows of
    /// the candidates that pass, read otherwise one query each.
    private var entryCache: [Int64: MatchEntry] = [:]
    private static let cacheLimit = 1 << 17
    private lazy var postingsStatement = Result { try database.prepare("SELECT doc FROM bands WHERE key=? LIMIT ?") }
    private lazy var signatureStatement = Result { try database.prepare("SELECT signature, shingles FROM docs WHERE id=?") }
    private lazy var entryStatement = Result { try database.prepare("SELECT story, source, edition, date FROM docs WHERE id=?") }

    /// Adds to the caches the records just stored and their band rows (in key order, each key's
    /// documents ascending as SQLite gives them): a key's cached postings grow, or it becomes common.
    private func remember(_ stored: [(id: Int64, item: PendingMatches.Item)], bands: [(key: Int64, doc: Int64)]) {
        for (id, item) in stored {
            signatureCache[id] = CandidateEstimate(item.sketch)
            if entryCache.count >= Self.cacheLimit { entryCache.removeAll(keepingCapacity: true) }
            let e = item.entry
            entryCache[id] = MatchEntry(id: id, story: e.story, source: e.source, edition: e.edition, date: e.date, signature: e.signature, shingles: e.shingles)
        }
        for (key, doc) in bands where postingsCache[key] != nil {
            postingsCache[key]!.append(doc)
            if postingsCache[key]!.count > Self.commonBand { postingsCache[key] = nil; commonKeys.insert(key) }
        }
        if !bands.isEmpty { anyStored = true }
        if allStoredKeys != nil { for (key, _) in bands { allStoredKeys!.insert(key) } }
    }

    /// `keepCommon`: after adding rows only, a key too common stays so.
    private func forgetPostings(keepCommon: Bool) {
        postingsCache.removeAll(keepingCapacity: true)
        entryCache.removeAll(keepingCapacity: true) // a row may have been removed or redated
        anyStored = nil
        allStoredKeys = nil
        if !keepCommon { commonKeys.removeAll() }
    }

    /// A band key more editions share is a stock phrase's (see `candidates`).
    static let commonBand = 256

    /// The stored records with band key `band`, or nil for a key more than `commonBand` share.
    private func postings(_ band: Int64, commonBand: Int) throws -> [Int64]? {
        if commonKeys.contains(band) { return nil }
        if let known = postingsCache[band] { return known }
        if anyStored == nil {
            anyStored = try database.query("SELECT EXISTS(SELECT 1 FROM bands)").first?.first?.int == 1
            if anyStored == false { allStoredKeys = [] }
        }
        if anyStored == false { return [] }
        if let all = allStoredKeys, !all.contains(band) { return [] }
        let statement = try postingsStatement.get()
        try statement.bind([.integer(band), .integer(Int64(commonBand + 1))])
        var docs: [Int64] = []
        while let row = try statement.nextRow() { docs.append(row[0].int ?? 0) }
        if docs.count > commonBand { commonKeys.insert(band); return nil }
        if let above = storingAbove { docs.removeAll { $0 > above } } // still pending (`beginCheckpoint`)
        if postingsCache.count >= Self.cacheLimit { postingsCache.removeAll(keepingCapacity: true) }
        postingsCache[band] = docs
        return docs
    }

    /// The one row a look-up by id gives, the statement then run to its end: a statement kept
    /// for reuse and left mid-way would hold its read snapshot open, and SQLite could never
    /// checkpoint the write-ahead log past it (it grew to the whole index during an import).
    private static func onlyRow(_ statement: Statement, _ values: [SQLValue]) throws -> [SQLValue]? {
        try statement.bind(values)
        let row = try statement.nextRow()
        while try statement.nextRow() != nil {}
        return row
    }

    private func storedEstimate(_ id: Int64) throws -> CandidateEstimate? {
        if let known = signatureCache[id] { return known }
        guard let row = try Self.onlyRow(try signatureStatement.get(), [.integer(id)]), let signature = row[0].bytes.flatMap(MinHash.init(compact:)) else { return nil }
        let known = CandidateEstimate(halves: signature.halves, shingles: Int(row[1].int ?? 0))
        signatureCache[id] = known
        return known
    }

    private func storedEntry(_ id: Int64, signature: MinHash, shingles: Int) throws -> MatchEntry? {
        if let known = entryCache[id] { return known }
        guard let row = try Self.onlyRow(try entryStatement.get(), [.integer(id)]) else { return nil }
        return MatchEntry(id: id, story: row[0].string ?? "", source: row[1].string ?? "", edition: Self.hex(row[2]),
                          date: row[3].string ?? "", signature: signature, shingles: shingles)
    }

    /// Every record of `edition`.
    func entries(edition: String) throws -> [MatchEntry] {
        try sqliteCall { try database.query("SELECT \(Self.entryColumns) FROM docs WHERE edition=?", [Self.edition(edition)]).compactMap(Self.entry) }
    }

    /// Every record, in the order they were added.
    func forEachEntry(_ body: (MatchEntry) throws -> Void) throws {
        let statement = try sqliteCall { try database.prepare("SELECT \(Self.entryColumns) FROM docs ORDER BY id") }
        try sqliteCall { try statement.bind([]) }
        while let row = try sqliteCall({ try statement.nextRow() }) { if let e = Self.entry(row) { try body(e) } }
    }

    /// Groups of records that share a band key (two or more each, at most `largest`: a value more
    /// editions share is a stock phrase, not shared text): the pairs worth comparing.
    func forEachBandGroup(largest: Int = 100, _ body: ([Int64]) throws -> Void) throws {
        let statement = try sqliteCall { try database.prepare("SELECT key, doc FROM bands ORDER BY key") }
        try sqliteCall { try statement.bind([]) }
        var current: Int64? = nil
        var group: [Int64] = []
        while let row = try sqliteCall({ try statement.nextRow() }) {
            let key = row[0].int ?? 0
            if key != current {
                if group.count > 1 && group.count <= largest { try body(group) }
                group.removeAll(keepingCapacity: true); current = key
            }
            group.append(row[1].int ?? 0)
        }
        if group.count > 1 && group.count <= largest { try body(group) }
    }

    /// Records whose folded words match the FTS5 query `phrase` (every word of the phrase: the
    /// table keeps no positions, `detail=none`, a fifth of the size with them), newest first. The
    /// words table is caught up first (`catchUpWords`).
    func search(words: [String], story: String?, source: String?, limit: Int, onProgress: ((Int, Int) -> Void)? = nil) throws -> [MatchEntry] {
        try catchUpWords(onProgress: onProgress)
        var sql = "SELECT d.id, d.story, d.source, d.edition, d.date, d.signature, d.shingles FROM words JOIN docs d ON d.id = words.rowid WHERE words MATCH ?"
        var values: [SQLValue] = [.text(try candidateQuery(words))]
        if let story { sql += " AND d.story = ?"; values.append(.text(story)) }
        if let source { sql += " AND d.source = ?"; values.append(.text(source)) }
        sql += " ORDER BY d.date DESC, d.id DESC"
        if limit > 0 { sql += " LIMIT ?"; values.append(.integer(Int64(limit))) }
        return try sqliteCall { try database.query(sql, values).compactMap(Self.entry) }
    }

    func entry(id: Int64) throws -> MatchEntry? {
        try sqliteCall { try database.query("SELECT \(Self.entryColumns) FROM docs WHERE id=?", [.integer(id)]).first.flatMap(Self.entry) }
    }
}

/// What a candidate is estimated by (`MatchIndex.candidates`): its signature's low halves and its
/// shingle count, no reference inside, so the caches copy it freely.
struct CandidateEstimate: Sendable {
    let halves: MinHash.LowHalves
    let shingles: Int

    init(halves: MinHash.LowHalves, shingles: Int) { self.halves = halves; self.shingles = shingles }
    init(_ sketch: TextSketch) { self.init(halves: sketch.signature.halves, shingles: sketch.shingles) }
}

/// Stored records' estimates by id. Ids count up from 1, so once the cache holds many, those
/// below `denseLimit` sit in an array at their id: an import weighs up to 200 candidates a query,
/// and a dictionary's hashing and its separate key and value storage made the look-up the costliest
/// part of it at 10^5 editions. Until then it is a dictionary alone: a `match` process weighs a few
/// hundred, and an array as long as their highest id took it longer to fill (page faults over
/// megabytes, 15 ms at 10^5 editions) than it saved. A signature never changes under its id (ids
/// are never reused), so nothing is ever stale.
struct EstimateCache {
    private static let denseLimit: Int64 = 1 << 18
    private static let denseFrom = 4_096
    private static let sparseLimit = 1 << 17
    private var dense: [CandidateEstimate?] = []
    private var sparse: [Int64: CandidateEstimate] = [:]
    /// Whether ids below `denseLimit` go to `dense` (from `denseFrom` entries on).
    private var denseInUse = false

    private func inDense(_ id: Int64) -> Bool { denseInUse && id >= 0 && id < Self.denseLimit }

    subscript(id: Int64) -> CandidateEstimate? {
        get {
            if inDense(id) { return id < dense.count ? dense[Int(id)] : nil }
            return sparse[id]
        }
        set {
            if !denseInUse && sparse.count >= Self.denseFrom { moveToDense() }
            if inDense(id) {
                grow(toHold: id)
                dense[Int(id)] = newValue
            } else {
                if sparse.count >= Self.sparseLimit { sparse.removeAll(keepingCapacity: true) }
                sparse[id] = newValue
            }
        }
    }

    private mutating func moveToDense() {
        denseInUse = true
        let movable = sparse.filter { $0.key >= 0 && $0.key < Self.denseLimit }
        guard let highest = movable.keys.max() else { return }
        grow(toHold: highest)
        for (id, estimate) in movable { dense[Int(id)] = estimate; sparse[id] = nil }
    }

    private mutating func grow(toHold id: Int64) {
        guard Int(id) >= dense.count else { return }
        let size = min(Int(Self.denseLimit), max(Int(id) + 1, 2 * dense.count))
        dense.append(contentsOf: repeatElement(nil, count: size - dense.count))
    }
}

/// How many of one query's bands each record shares: an open-addressing table of ids, kept from
/// query to query (a query meets up to 20 × 256 records; a `Dictionary` hashed each one again).
private struct HitCounter {
    private static let bits = 14
    private static let empty = Int64.min
    private var ids = [Int64](repeating: HitCounter.empty, count: 1 << HitCounter.bits)
    private var counts = [UInt8](repeating: 0, count: 1 << HitCounter.bits)
    private var used: [Int] = []

    private func slot(_ id: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    mutating func add(_ id: Int64) {
        if 2 * used.count >= ids.count { grow() }
        let mask = ids.count - 1
        var i = slot(id) & mask
        while ids[i] != Self.empty {
            if ids[i] == id { counts[i] &+= 1; return }
            i = (i + 1) & mask
        }
        ids[i] = id
        counts[i] = 1
        used.append(i)
    }

    /// The ids counted, by their count (index 1 … `counts`), and a fresh start.
    mutating func drain(counts top: Int) -> [[Int64]] {
        var byCount = [[Int64]](repeating: [], count: top + 1)
        for i in used {
            byCount[min(Int(counts[i]), top)].append(ids[i])
            ids[i] = Self.empty
        }
        used.removeAll(keepingCapacity: true)
        return byCount
    }

    /// Past the usual size (many pending records share a band): twice the room, the same counts.
    private mutating func grow() {
        let old = used.map { (ids[$0], counts[$0]) }
        ids = [Int64](repeating: Self.empty, count: ids.count * 2)
        counts = [UInt8](repeating: 0, count: ids.count)
        used.removeAll(keepingCapacity: true)
        let mask = ids.count - 1
        for (id, count) in old {
            var i = slot(id) & mask
            while ids[i] != Self.empty { i = (i + 1) & mask }
            ids[i] = id
            counts[i] = count
            used.append(i)
        }
    }
}
