import Foundation
import SQLite

/// Opening a file of derived data beside the corpus — the index, the summary cache, the matching
/// index — by one rule. Absent, of another schema (`prepare` throws), or damaged, the file is
/// removed and made afresh: it is only a cache of what git holds. A path that is not a plain file
/// (a folder, say) is refused, never deleted. A corpus we may not write to gets the data in memory.
enum DerivedDatabase {
    /// `quickCheck`: run SQLite's `quick_check` first, for files every command reads (the index);
    /// it reads the whole file, so larger caches skip it and rely on their reads failing instead.
    static func open(_ fileName: String, for corpus: Corpus, quickCheck: Bool = false,
                     prepare: (Database) throws -> Void) throws -> (database: Database, inMemory: Bool) {
        let file = corpus.path + "/" + fileName
        if (try? corpus.checkWritable()) != nil {
            for attempt in 0..<2 {
                try refuseNonFile(file)
                do {
                    let db = try Database(path: file)
                    try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
                    if quickCheck {
                        let check = try db.query("PRAGMA quick_check").first?.first?.string
                        guard check == "ok" else { throw SQLiteError(code: 11, message: "\(fileName) damaged: \(check ?? "?")", sql: nil) }
                    }
                    try prepare(db)
                    return (db, false)
                } catch {
                    if attempt == 0 { removeFiles(file) }
                }
            }
        }
        let db = try sqliteCall { try Database(path: ":memory:") }
        try prepare(db)
        return (db, true)
    }

    /// Throws `.corpus` when the file or its companions exist and are not plain files.
    private static func refuseNonFile(_ file: String) throws {
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            guard lstat(file + suffix, &info) == 0 else { continue }
            if info.st_mode & S_IFMT != S_IFREG {
                throw StemmaError.corpus("\(file + suffix) is in the way of derived data and is not a file (a folder?); "
                    + "move it elsewhere and try again (stemma deletes only its own files)")
            }
        }
    }

    /// Removes the file and its companions, plain files only.
    private static func removeFiles(_ file: String) {
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            if lstat(file + suffix, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(file + suffix) }
        }
    }
}
