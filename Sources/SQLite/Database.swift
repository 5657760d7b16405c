import CSQLite

/// A failed sqlite3 call, with SQLite's own message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?
    public var description: String { sql.map { "\(message) (in: \($0))" } ?? message }
    /// Another connection holds the lock past the busy timeout.
    public init(code: Int32, message: String, sql: String?) { self.code = code; self.message = message; self.sql = sql }
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
}

/// A value bound to, or read from, a statement.
public enum SQLValue: Sendable, Equatable {
    case null, integer(Int64), text(String)
    /// Raw bytes (a matching signature, say): stored as written, read back as written.
    case blob([UInt8])
}

/// One SQLite connection. Owns its `sqlite3*` and closes it in `deinit`.
///
/// Thread-safety: like `Repository`, one thread at a time; not `Sendable`.
public final class Database {
    private let handle: OpaquePointer

    /// Opens (creating when absent) the database file at `path`.
    public init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message, sql: nil)
        }
        handle = db
        // Concurrent stemma processes wait for each other rather than failing at once.
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite3_close_v2(handle) }

    private func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "sqlite error \(rc)"
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, sql: sql)
        }
    }

    /// Compiles `sql` once for repeated use.
    public func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        return Statement(handle: stmt, database: self, sql: sql)
    }

    /// Runs `sql` with `values` bound and returns every row.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let stmt = try prepare(sql)
        try stmt.bind(values)
        var rows: [[SQLValue]] = []
        while let row = try stmt.nextRow() { rows.append(row) }
        return rows
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    /// IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    fileprivate func check(_ rc: Int32, _ sql: String) throws {
        if rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW { throw error(rc, sql) }
    }
}

/// A compiled statement. Owns its `sqlite3_stmt*`.
public final class Statement {
    private let handle: OpaquePointer
    private let database: Database // keeps the connection open while the statement lives
    private let sql: String

    fileprivate init(handle: OpaquePointer, database: Database, sql: String) {
        self.handle = handle; self.database = database; self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to its parameters 1…n.
    public func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let n): rc = sqlite3_bind_int64(handle, index, n)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, stemma_sqlite_transient())
            case .blob(let b): rc = b.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), stemma_sqlite_transient()) }
            }
            try database.check(rc, sql)
        }
    }

    /// The next row, or nil when there are no more.
    public func nextRow() throws -> [SQLValue]? {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return nil }
        try database.check(rc, sql)
        let count = sqlite3_column_count(handle)
        var row: [SQLValue] = []
        row.reserveCapacity(Int(count))
        for i in 0..<count {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_NULL: row.append(.null)
            case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(handle, i)))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, i))
                let start = sqlite3_column_blob(handle, i)
                row.append(.blob(count == 0 || start == nil ? [] : [UInt8](UnsafeRawBufferPointer(start: start, count: count))))
            default:
                if let text = sqlite3_column_text(handle, i) {
                    row.append(.text(String(cString: text)))
                } else {
                    row.append(.null)
                }
            }
        }
        return row
    }

    /// Binds `values` and runs the statement to completion (for writes).
    public func run(_ values: [SQLValue]) throws {
        try bind(values)
        while try nextRow() != nil {}
    }
}

extension SQLValue {
    public var string: String? { if case .text(let s) = self { return s }; return nil }
    public var int: Int64? { if case .integer(let n) = self { return n }; return nil }
    public var bytes: [UInt8]? { if case .blob(let b) = self { return b }; return nil }
}
