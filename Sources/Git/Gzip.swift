import CZlib

/// Reads a file that may or may not be gzip-compressed (zlib's gzread reads both), line by line,
/// without loading it whole. Owns its `gzFile` and closes it in `deinit`.
///
/// Each byte is scanned for a line feed once, however long its line: a line that grows over many
/// reads is not rescanned from its start (that made a 40 MB line take seconds). A line longer than
/// `maxLineBytes` is skipped to its end without being kept, and reported as `.tooLong`.
public final class LineReader {
    public enum Line {
        /// A line without its line feed (a trailing CR is kept).
        case line(ArraySlice<UInt8>)
        /// A line longer than `maxLineBytes`, skipped; its length in bytes.
        case tooLong(Int)
    }

    private let file: gzFile
    private var buffer: [UInt8] = []
    private var start = 0
    /// `buffer[start..<scanned]` holds no line feed.
    private var scanned = 0
    private var atEnd = false
    public let path: String
    public let maxLineBytes: Int

    public init(path: String, maxLineBytes: Int = Int.max) throws {
        guard let file = gzopen(path, "rb") else {
            throw GitError(code: -1, errorClass: 0, message: "cannot open \(path)", operation: "gzopen")
        }
        _ = gzbuffer(file, 1 << 17)
        self.file = file
        self.path = path
        self.maxLineBytes = maxLineBytes
    }

    deinit { gzclose(file) }

    /// The next line, or nil at the end. Throws when the file cannot be read, and when a
    /// compressed stream ends early (cut short, or without its CRC/length trailer): zlib then
    /// only flags `Z_BUF_ERROR` and returns what it had, which would read as a shorter file.
    public func nextLine() throws -> Line? {
        var skipped = 0 // bytes of a too-long line dropped so far
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                let length = newline - start
                defer { start = newline + 1; scanned = start }
                if skipped > 0 || length > maxLineBytes { return .tooLong(skipped + length) }
                return .line(buffer[start..<newline])
            }
            scanned = buffer.count
            if buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0; scanned = 0
            }
            if atEnd {
                guard start < buffer.count || skipped > 0 else { return nil }
                let length = buffer.count - start
                let line = buffer[start...]
                start = buffer.count; scanned = start
                if skipped > 0 || length > maxLineBytes { return .tooLong(skipped + length) }
                return .line(line)
            }
            if start > 0 { buffer.removeFirst(start); scanned -= start; start = 0 }
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
            if n == 0 {
                var code: Int32 = 0
                _ = gzerror(file, &code)
                if code == Z_BUF_ERROR {
                    throw GitError(code: code, errorClass: 0, message: "\(path): the compressed stream is cut short (no end or no CRC/length trailer)",
                                   operation: "gzread")
                }
                atEnd = true
            }
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
