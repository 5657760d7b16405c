import Foundation
import SQLite

/// Opening a file of derived data beside the corpus — the index, the summary cache, the matching
/// index — by one rule. Absent, of another schema (`prepare` throws), or damaged, the file is
/// removed and made afresh: it is only a cache of what git holds. A path that is not a plain file
/// (a folder, say) is refused, never deleted. A corpus we may not write to gets the data in memory.
enum DerivedDatabase {
    /// `quickCheck`: run SQLite's `quick_check` first, for files every command reads (the index);
    /// it reads the whole file (50 ms for the index of 10^5 editions), so it runs only when the
    /// file changed since the last check that passed (`CheckStamp`), and larger caches skip it
    /// and rely on their reads failing instead.
    static func open(_ fileName: String, for corpus: Corpus, quickCheck: Bool = false,
                     prepare: (Database) throws -> Void) throws -> (database: Database, inMemory: Bool) {
        let file = corpus.path + "/" + fileName
        if (try? corpus.checkWritable()) != nil {
            for attempt in 0..<2 {
                try refuseNonFile(file)
                do {
                    let db = try Database(path: file)
                    try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
                    if quickCheck, !CheckStamp.matches(file) {
                        let check = try db.query("PRAGMA quick_check").first?.first?.string
                        guard check == "ok" else { throw SQLiteError(code: 11, message: "\(fileName) damaged: \(check ?? "?")", sql: nil) }
                        CheckStamp.write(file)
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
        for suffix in ["", "-wal", "-shm", CheckStamp.suffix] {
            var info = stat()
            if lstat(file + suffix, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(file + suffix) }
        }
    }
}

/// What a derived file and its write-ahead log looked like (size, modification time to the
/// nanosecond, inode) when `quick_check` last passed, kept beside it: a file that still looks
/// the same has not been written since, by us or by anything else.
enum CheckStamp {
    static let suffix = "-checked"

    static func matches(_ file: String) -> Bool {
        guard let saved = try? String(contentsOfFile: file + suffix, encoding: .utf8) else { return false }
        return saved == current(file)
    }

    static func write(_ file: String) {
        try? current(file).write(toFile: file + suffix, atomically: true, encoding: .utf8)
    }

    private static func current(_ file: String) -> String {
        // An empty log (SQLite makes one at open, and removes it at the last close) holds nothing.
        ["", "-wal"].map { suffix -> String in
            var info = stat()
            guard lstat(file + suffix, &info) == 0, info.st_size > 0 else { return "-" }
            return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
        }.joined(separator: " ")
    }
}
