import Collation
import Foundation
import SQLite

/// Change summaries (`ChangeSummary`) of editions against their parents, kept in one SQLite
/// file beside the corpus. Derived data, never the truth: a row is keyed by the two edition
/// ids (git blob ids, so content ids) and therefore never goes stale; deleting the file only
/// costs recomputing; a different engine version (`Collator.version`) empties it.
///
/// Look-ups are B-tree searches, O(log n) each, flat in corpus size.
public final class SummaryCache {
    public static let fileName = "stemma-summaries.sqlite"
    static let schemaVersion = "1"

    private let database: Database

    private init(database: Database) { self.database = database }

    /// Opens the cache file, or makes a fresh one if it is absent, from another schema or engine
    /// version, or unreadable. A corpus we may not write to gets a cache in memory instead.
    static func open(for corpus: Corpus) throws -> SummaryCache {
        SummaryCache(database: try DerivedDatabase.open(fileName, for: corpus, prepare: prepare).database)
    }

    private static func prepare(_ db: Database) throws {
        try db.execute("""
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS summaries(parent TEXT NOT NULL, child TEXT NOT NULL, counts TEXT NOT NULL,
          PRIMARY KEY(parent, child)) WITHOUT ROWID;
        """)
        let version = "\(schemaVersion)/\(Collator.version)"
        try db.writeTransaction {
            let stored = try db.query("SELECT value FROM meta WHERE key='version'").first?.first?.string
            if stored != version {
                // Summaries of another engine may count differently: start again.
                try db.execute("DELETE FROM summaries")
                try db.query("INSERT OR REPLACE INTO meta VALUES('version', ?)", [.text(version)])
            }
        }
    }

    /// The cached summary of `child` against `parent` (full edition ids), if there is one.
    public func summary(parent: String, child: String) throws -> ChangeSummary? {
        try sqliteCall {
            try database.query("SELECT counts FROM summaries WHERE parent=? AND child=?", [.text(parent), .text(child)])
                .first?.first?.string.flatMap(ChangeSummary.init(encoded:))
        }
    }

    /// Stores summaries in one transaction (a row already there is left as it is: same key, same content).
    public func store(_ rows: [(parent: String, child: String, summary: ChangeSummary)]) throws {
        guard !rows.isEmpty else { return }
        try sqliteCall {
            try database.writeTransaction {
                let insert = try database.prepare("INSERT OR IGNORE INTO summaries(parent, child, counts) VALUES(?,?,?)")
                for row in rows { try insert.run([.text(row.parent), .text(row.child), .text(row.summary.encoded)]) }
            }
        }
    }

    /// Every (parent, child) the cache holds, as `key(_:_:)` forms them: one read for a fill.
    func keys() throws -> Set<String> {
        try sqliteCall {
            let statement = try database.prepare("SELECT parent, child FROM summaries")
            try statement.bind([])
            var keys = Set<String>()
            while let row = try statement.nextRow() { keys.insert(Self.key(row[0].string ?? "", row[1].string ?? "")) }
            return keys
        }
    }

    static func key(_ parent: String, _ child: String) -> String { parent + " " + child }

    /// How many summaries the cache holds.
    public func count() throws -> Int {
        try sqliteCall { Int(try database.query("SELECT COUNT(*) FROM summaries").first?.first?.int ?? 0) }
    }
}
