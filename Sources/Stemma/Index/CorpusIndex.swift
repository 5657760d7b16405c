import Foundation
import Git
import SQLite

/// The derived index: one SQLite file beside the corpus, answering per-story and per-edition
/// questions without walking history. Git stays the truth: the index records which `main`
/// commit it reflects and catches up from there, and deleting it only costs a rebuild.
///
/// Look-ups are B-tree searches: O(log n + k) for k results, flat in corpus size.
public final class CorpusIndex {
    public static let fileName = "stemma-index.sqlite"
    static let schemaVersion = "2"

    private let database: Database
    private unowned let corpus: Corpus
    private let isInMemory: Bool

    private init(database: Database, corpus: Corpus, isInMemory: Bool) {
        self.database = database; self.corpus = corpus; self.isInMemory = isInMemory
    }

    /// Opens the index file, or makes a fresh one if it is absent, from another schema, or
    /// damaged (SQLite's quick check fails: a cache is rebuilt, never trusted). A corpus we may
    /// not write to gets an index in memory instead. An index path that is not a plain file (a
    /// folder, say) is refused: it is not ours to delete.
    static func open(for corpus: Corpus) throws -> CorpusIndex {
        let (db, inMemory) = try DerivedDatabase.open(fileName, for: corpus, quickCheck: true) { db in
            try CorpusIndex(database: db, corpus: corpus, isInMemory: false).prepareSchema()
        }
        return CorpusIndex(database: db, corpus: corpus, isInMemory: inMemory)
    }

    /// The index's tables: the one place the schema is written down. Rows are derived from git
    /// (see `catchUp`); `bad_records` holds the record files that could not be read, so that
    /// every command can name them and answer for the rest.
    private func prepareSchema() throws {
        try sqliteCall {
            try database.execute("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS editions(
              story TEXT NOT NULL, source TEXT NOT NULL, edition TEXT NOT NULL, date TEXT NOT NULL,
              title TEXT, url TEXT, derived_from TEXT, language TEXT, bytes INTEGER NOT NULL,
              commit_id TEXT NOT NULL, committed_at INTEGER NOT NULL, tz INTEGER NOT NULL, seq INTEGER NOT NULL,
              first_commit TEXT NOT NULL,
              PRIMARY KEY(story, source, edition)) WITHOUT ROWID;
            \(Self.secondaryIndexes)
            CREATE TABLE IF NOT EXISTS bad_records(path TEXT PRIMARY KEY, commit_id TEXT NOT NULL, reason TEXT NOT NULL);
            """)
            let version = try database.query("SELECT value FROM meta WHERE key='schema'").first?.first?.string
            if version == nil {
                try database.execute("INSERT OR REPLACE INTO meta VALUES('schema', '\(Self.schemaVersion)')")
            } else if version != Self.schemaVersion {
                throw SQLiteError(code: 1, message: "index schema \(version!) is not \(Self.schemaVersion)", sql: nil)
            }
        }
    }

    /// The look-ups besides the primary key. A rebuild drops them and makes them again once the
    /// rows are in: one sort each instead of a B-tree insert per row.
    private static let secondaryIndexes = """
        CREATE INDEX IF NOT EXISTS editions_by_id ON editions(edition);
        CREATE INDEX IF NOT EXISTS editions_by_date ON editions(story, date, seq);
        CREATE INDEX IF NOT EXISTS editions_by_parent ON editions(derived_from);
        """

    /// The `main` commit this index reflects.
    public func indexedCommit() throws -> String? {
        try sqliteCall { try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string }
    }

    /// Called while a rebuild runs, with records done and in all (set by `Corpus.onIndexProgress`).
    var onProgress: ((Int, Int) -> Void)?

    /// Brings the index up to `main`. The rows are what `main`'s tree holds: after a fast-forward,
    /// a merge or any other change, only the records that differ between the indexed tree and
    /// `main`'s are read. Each row names the commit that wrote its current record and the first
    /// commit that added it, found by one walk over the new commits (see `CommitAttribution`). If `main` was rewritten so the
    /// indexed commit is no longer its ancestor, the index is rebuilt from `main`'s tree.
    public func catchUp() throws {
        guard let tip = try corpus.mainCommit() else { return }
        if try indexedCommit() == tip.hex { return }
        try sqliteCall {
            try database.writeTransaction {
                // Another process may have caught up while we waited for the lock.
                let indexed = try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string
                if indexed == tip.hex { return }
                if let indexed, let old = ObjectID(hex: indexed), corpus.repository.contains(old),
                   try corpus.repository.isAncestor(old, of: tip) {
                    try update(from: old, to: tip)
                } else {
                    try rebuild(at: tip)
                }
                try database.query("INSERT OR REPLACE INTO meta VALUES('main', ?)", [.text(tip.hex)])
            }
        }
    }

    /// Every row again, from `tip`'s tree and one walk of the whole history.
    private func rebuild(at tip: ObjectID) throws {
        let repository = corpus.repository
        for index in try database.query("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='editions' AND sql IS NOT NULL") {
            try database.execute("DROP INDEX \(index[0].string ?? "")")
        }
        try database.execute("DELETE FROM editions; DELETE FROM bad_records; DELETE FROM meta WHERE key='seq'")
        var records: [String: ObjectID] = [:]
        try repository.forEachBlob(in: try repository.commit(tip).tree, suffix: ".json") { path, id in
            if CorpusLayout.parseRecordPath(path) != nil { records[path] = id }
        }
        try write(records, attributions: try CommitAttribution.find(records, in: repository, from: tip, hiding: []), tip: tip)
        try database.execute(Self.secondaryIndexes)
    }

    /// The rows that changed between the indexed commit `old` and `tip`.
    private func update(from old: ObjectID, to tip: ObjectID) throws {
        let repository = corpus.repository
        let deltas = try repository.diffTrees(try repository.commit(old).tree, try repository.commit(tip).tree)
        var added: [String: ObjectID] = [:], changed: [String: ObjectID] = [:]
        let delete = try database.prepare("DELETE FROM editions WHERE story=? AND source=? AND edition=?")
        let forget = try database.prepare("DELETE FROM bad_records WHERE path=?")
        for delta in deltas {
            guard let key = CorpusLayout.parseRecordPath(delta.path) else { continue }
            try forget.run([.text(delta.path)])
            switch (delta.oldID, delta.newID) {
            case (_, nil): try delete.run([.text(key.story), .text(key.source), .text(key.edition)])
            case (nil, let id?): added[delta.path] = id
            case (_, let id?): changed[delta.path] = id
            }
        }
        // Changed records keep their row's first commit and take the commit that wrote them now.
        let differing = added.merging(changed) { new, _ in new }
        try write(differing, attributions: try CommitAttribution.find(differing, in: repository, from: tip, hiding: [old]), tip: tip)
    }

    /// Reads each record blob and writes its row, in the order their commits first recorded them. A
    /// row already there keeps its number and first commit; a record that cannot be read goes to
    /// `bad_records`.
    private func write(_ records: [String: ObjectID], attributions: [String: CommitAttribution.Attribution], tip: ObjectID) throws {
        guard !records.isEmpty else { return }
        let repository = corpus.repository
        var rows = try RowWriter(database)
        let bad = try database.prepare("INSERT OR REPLACE INTO bad_records VALUES(?, ?, ?)")
        let unrow = try database.prepare("DELETE FROM editions WHERE story=? AND source=? AND edition=?")
        let tipOrigin = try CommitAttribution.Origin(order: Int.max, commit: repository.commit(tip))
        let fallback = CommitAttribution.Attribution(first: tipOrigin, writer: tipOrigin)
        let ordered = records.map { (path: $0.key, id: $0.value, origin: attributions[$0.key] ?? fallback) }
            .sorted { ($0.origin.first.order, $0.path) < ($1.origin.first.order, $1.path) }
        let started = Date()
        for (done, entry) in ordered.enumerated() {
            if done % 512 == 0, let onProgress, Date().timeIntervalSince(started) > 1 { onProgress(done, ordered.count) }
            let key = CorpusLayout.parseRecordPath(entry.path)!
            do {
                var record = try EditionRecord.parse(try repository.blobBytes(entry.id), path: entry.path)
                // The path names the record; it wins over what the file says.
                (record.edition, record.metadata.story, record.metadata.source) = (key.edition, key.story, key.source)
                let writer = entry.origin.writer
                try rows.write(LoggedEdition(record: record, commit: writer.commit, committedAt: writer.time,
                                             offsetMinutes: writer.offsetMinutes, firstCommit: entry.origin.first.commit))
            } catch is StemmaError {
                // An unreadable new version replaces the row it had: it must not answer as the old one.
                try unrow.run([.text(key.story), .text(key.source), .text(key.edition)])
                try bad.run([.text(entry.path), .text(entry.origin.writer.commit), .text("not an edition record (JSON with edition, story, source and date)")])
            }
        }
        if let onProgress, Date().timeIntervalSince(started) > 1 { onProgress(ordered.count, ordered.count) }
        try rows.save()
    }

    /// Record files the index could not read, with the commit that recorded each and why.
    public func badRecords() throws -> [(path: String, commit: String, reason: String)] {
        try sqliteCall {
            try database.query("SELECT path, commit_id, reason FROM bad_records ORDER BY path").map {
                ($0[0].string ?? "", $0[1].string ?? "", $0[2].string ?? "")
            }
        }
    }

    /// Adds rows a bulk import just committed, if the index was exactly at `old`; otherwise
    /// leaves it to `catchUp`, which reads the same rows from git.
    /// Returns whether the rows went in.
    @discardableResult
    func record(_ rows: [LoggedEdition], movingFrom old: String?, to new: String) throws -> Bool {
        try sqliteCall {
            try database.writeTransaction {
                let indexed = try database.query("SELECT value FROM meta WHERE key='main'").first?.first?.string
                guard indexed == old || (old == nil && indexed == nil) else { return false }
                var writer = try RowWriter(database)
                for e in rows { try writer.write(e) }
                try writer.save()
                try database.query("INSERT OR REPLACE INTO meta VALUES('main', ?)", [.text(new)])
                return true
            }
        }
    }

    /// Every edition record in the order git recorded them (for export), one at a time.
    public func forEachEdition(_ body: (LoggedEdition) throws -> Void) throws {
        let statement = try sqliteCall { try database.prepare("SELECT \(Self.columns) FROM editions ORDER BY seq") }
        try sqliteCall { try statement.bind([]) }
        while let row = try sqliteCall({ try statement.nextRow() }) { try body(Self.logged(row)) }
    }

    /// Adds or updates edition rows, numbering them in the order git recorded them (`seq`
    /// breaks ties between equal dates). A row already there keeps its number and `first_commit`
    /// (the commit that added it); its `commit_id` becomes the commit that wrote its current record.
    private struct RowWriter {
        let database: Database
        let upsert: Statement
        var seq: Int64

        init(_ database: Database) throws {
            self.database = database
            upsert = try database.prepare("""
                INSERT INTO editions(story, source, edition, date, title, url, derived_from, language, bytes,
                  commit_id, committed_at, tz, seq, first_commit)
                VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(story, source, edition) DO UPDATE SET date=excluded.date, title=excluded.title, url=excluded.url,
                  derived_from=excluded.derived_from, language=excluded.language, bytes=excluded.bytes,
                  commit_id=excluded.commit_id, committed_at=excluded.committed_at, tz=excluded.tz
                """)
            seq = try database.query("SELECT value FROM meta WHERE key='seq'").first?.first?.string.flatMap { Int64($0) } ?? 0
        }

        mutating func write(_ e: LoggedEdition) throws {
            let m = e.metadata
            seq += 1
            try upsert.run([.text(m.story), .text(m.source), .text(e.edition), .text(m.date), .optionalText(m.title),
                            .optionalText(m.url), .optionalText(m.derivedFrom), .optionalText(m.language),
                            .integer(Int64(e.record.bytes)), .text(e.commit), .integer(e.committedAt),
                            .integer(Int64(e.offsetMinutes)), .integer(seq), .text(e.firstCommit)])
        }

        func save() throws {
            try database.query("INSERT OR REPLACE INTO meta VALUES('seq', ?)", [.text(String(seq))])
        }
    }

    // MARK: queries

    static let columns = "story, source, edition, date, title, url, derived_from, language, bytes, commit_id, committed_at, tz, first_commit"

    /// Every edition of `story`, newest first: by date, then by commit order.
    public func editions(story: String) throws -> [LoggedEdition] {
        try sqliteCall {
            try database.query("SELECT \(Self.columns) FROM editions WHERE story=? ORDER BY date DESC, seq DESC", [.text(story)])
                .map(Self.logged)
        }
    }

    /// Editions of `story` from `source`, newest first.
    public func editions(story: String, source: String) throws -> [LoggedEdition] {
        try sqliteCall {
            try database.query("SELECT \(Self.columns) FROM editions WHERE story=? AND source=? ORDER BY date DESC, seq DESC",
                               [.text(story), .text(source)]).map(Self.logged)
        }
    }

    /// Records whose edition id starts with `prefix` (lower-case hex), newest first.
    public func editions(idPrefix prefix: String, limit: Int = 50) throws -> [LoggedEdition] {
        try sqliteCall {
            try database.query("SELECT \(Self.columns) FROM editions WHERE edition >= ? AND edition < ? ORDER BY date DESC, seq DESC LIMIT ?",
                               [.text(prefix), .text(prefix + "g"), .integer(Int64(limit))]).map(Self.logged)
        }
    }

    /// Records matching every given condition, newest first, at most `limit`. Story, source and
    /// parent use the index's B-trees; a date range on its own and title text scan the table.
    public func find(_ query: EditionQuery, limit: Int = 1_000) throws -> [LoggedEdition] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let v = query.story { conditions.append("story = ?"); values.append(.text(v)) }
        if let v = query.source { conditions.append("source = ?"); values.append(.text(v)) }
        if let v = query.from { conditions.append("date >= ?"); values.append(.text(v)) }
        if let v = query.to { conditions.append("date <= ?"); values.append(.text(v)) }
        if let v = query.derivedFrom { conditions.append("derived_from = ?"); values.append(.text(v)) }
        if let v = query.titleContains {
            conditions.append("title LIKE ? ESCAPE '\\'")
            let escaped = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            values.append(.text("%" + escaped + "%"))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        values.append(.integer(Int64(limit)))
        return try sqliteCall {
            try database.query("SELECT \(Self.columns) FROM editions \(whereClause) ORDER BY date DESC, seq DESC LIMIT ?", values).map(Self.logged)
        }
    }

    /// The record of one edition in one story from one source, if indexed. The statement is
    /// prepared once: a bulk import asks this for every item.
    public func record(story: String, source: String, edition: String) throws -> LoggedEdition? {
        try sqliteCall {
            if recordLookup == nil {
                recordLookup = try database.prepare("SELECT \(Self.columns) FROM editions WHERE story=? AND source=? AND edition=?")
            }
            try recordLookup!.bind([.text(story), .text(source), .text(edition)])
            let row = try recordLookup!.nextRow()
            // Stepping to the end finishes the statement, so it holds no read transaction open.
            while try recordLookup!.nextRow() != nil {}
            return row.map(Self.logged)
        }
    }
    private var recordLookup: Statement?

    // Whether a row exists, asked by an import's story proposals for every item: each statement
    // prepared once, and no row read into a `LoggedEdition`.

    /// Whether this record is indexed (as `record(story:source:edition:)` finds it), and whether
    /// any record names `edition` as its parent: one statement, as a story proposal asks both.
    func recordAndChildren(story: String, source: String, edition: String) throws -> (recorded: Bool, hasChildren: Bool) {
        try sqliteCall {
            if recordAndChildrenLookup == nil {
                recordAndChildrenLookup = try database.prepare("""
                SELECT EXISTS(SELECT 1 FROM editions WHERE story=? AND source=? AND edition=?),
                       EXISTS(SELECT 1 FROM editions WHERE derived_from=?)
                """)
            }
            try recordAndChildrenLookup!.bind([.text(story), .text(source), .text(edition), .text(edition)])
            let row = try recordAndChildrenLookup!.nextRow()
            while try recordAndChildrenLookup!.nextRow() != nil {} // finished: no read transaction held open
            return (row?[0].int == 1, row?[1].int == 1)
        }
    }

    /// Whether `story` has any record.
    func hasStory(_ story: String) throws -> Bool {
        try exists(&storyLookup, "SELECT 1 FROM editions WHERE story=? LIMIT 1", [.text(story)])
    }

    /// Whether any record is from `source` (a scan: no index is kept by source).
    func hasSource(_ source: String) throws -> Bool {
        try exists(&sourceLookup, "SELECT 1 FROM editions WHERE source=? LIMIT 1", [.text(source)])
    }

    private var recordAndChildrenLookup: Statement?, storyLookup: Statement?, sourceLookup: Statement?

    private func exists(_ statement: inout Statement?, _ sql: String, _ values: [SQLValue]) throws -> Bool {
        try sqliteCall {
            if statement == nil { statement = try database.prepare(sql) }
            try statement!.bind(values)
            let found = try statement!.nextRow() != nil
            // Stepping to the end finishes the statement, so it holds no read transaction open.
            while try statement!.nextRow() != nil {}
            return found
        }
    }

    public func hasEdition(_ edition: String) throws -> Bool {
        try !editions(idPrefix: edition, limit: 1).filter { $0.edition == edition }.isEmpty
    }

    /// Every story and its number of edition records, in story-id order.
    public func stories() throws -> [(story: String, editions: Int)] {
        try sqliteCall {
            try database.query("SELECT story, COUNT(*) FROM editions GROUP BY story ORDER BY story").map {
                ($0[0].string ?? "", Int($0[1].int ?? 0))
            }
        }
    }

    private static func logged(_ row: [SQLValue]) -> LoggedEdition {
        let metadata = EditionMetadata(story: row[0].string ?? "", source: row[1].string ?? "", date: row[3].string ?? "",
                                       title: row[4].string, url: row[5].string, derivedFrom: row[6].string, language: row[7].string)
        return LoggedEdition(record: EditionRecord(edition: row[2].string ?? "", bytes: Int(row[8].int ?? 0), metadata: metadata),
                             commit: row[9].string ?? "", committedAt: row[10].int ?? 0, offsetMinutes: Int(row[11].int ?? 0),
                             firstCommit: row[12].string)
    }
}

extension SQLValue {
    static func optionalText(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
}

/// Runs an index call, turning SQLite and git failures into corpus errors.
func sqliteCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SQLiteError {
        throw StemmaError.corpus("index: \(error.message)")
    } catch let error as GitError {
        throw StemmaError.corpus("git: \(error.message) (\(error.operation))")
    }
}
