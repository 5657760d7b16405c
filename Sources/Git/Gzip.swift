import CZlib

/// Reads a file that may or may not be gzip-compressed (zlib's gzread reads both), line by line,
/// without loading it whole. Owns its `gzFile` and closes it in `deinit`.
public final class LineReader {
    private let file: gzFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    public let path: String

    public init(path: String) throws {
        guard let file = gzopen(path, "rb") else {
            throw GitError(code: -1, errorClass: 0, message: "cannot open \(path)", operation: "gzopen")
        }
        _ = gzbuffer(file, 1 << 17)
        self.file = file
        self.path = path
    }

    deinit { gzclose(file) }

    /// The next line without its line feed (a trailing CR is kept), or nil at the end.
    public func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                let line = buffer[start..<newline]
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return line
            }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            let chunk = 1 << 16
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + old, UInt32(chunk)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
                throw GitError(code: code, errorClass: 0, message: "\(path): \(message)", operation: "gzread")
            }
            buffer.removeLast(chunk - Int(n))
            if n == 0 { atEnd = true }
        }
    }
}

/// Writes a file, gzip-compressed or plain. Owns its `gzFile`; `close()` reports the last error.
public final class CompressedWriter {
    private var file: gzFile?
    public let path: String

    /// `compressed: false` writes plain bytes through the same interface ("wT" mode).
    public init(path: String, compressed: Bool) throws {
        guard let file = gzopen(path, compressed ? "wb6" : "wT") else {
            throw GitError(code: -1, errorClass: 0, message: "cannot create \(path)", operation: "gzopen")
        }
        _ = gzbuffer(file, 1 << 17)
        self.file = file
        self.path = path
    }

    deinit { if let file { gzclose(file) } }

    public func write(_ bytes: [UInt8]) throws {
        guard let file, !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        if n <= 0 { throw GitError(code: -1, errorClass: 0, message: "\(path): write failed", operation: "gzwrite") }
    }

    public func close() throws {
        guard let file else { return }
        self.file = nil
        if gzclose(file) != Z_OK { throw GitError(code: -1, errorClass: 0, message: "\(path): close failed", operation: "gzclose") }
    }
}
