/// Checks that bytes are acceptable as an edition text, before anything is written.
///
/// The text is stored exactly as given (BOM, CRLF and a missing final newline included);
/// these checks only refuse what is not text at all.
public enum EditionText {
    /// 16 MiB: far beyond any article, small enough to keep a corpus clonable.
    public static let defaultMaxBytes = 16 * 1024 * 1024

    /// Throws `.user` naming `name` (a path or manifest line) and the problem.
    public static func validate(_ bytes: [UInt8], name: String, maxBytes: Int = defaultMaxBytes) throws {
        if bytes.count > maxBytes {
            throw StemmaError.user("\(name): \(bytes.count) bytes is over the limit of \(maxBytes) (raise it with --max-bytes)")
        }
        try validateText(bytes, name: name)
        if isBlank(bytes) {
            throw StemmaError.user("\(name): is empty or only white space")
        }
    }

    /// Throws `.user` when the bytes are not text at all (a NUL byte, or not UTF-8): the check
    /// of anything compared or matched, which may be empty.
    public static func validateText(_ bytes: [UInt8], name: String) throws {
        if let offset = firstNULOffset(bytes) {
            throw StemmaError.user("\(name): contains a NUL byte at offset \(offset); editions are text")
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            throw StemmaError.user("\(name): not valid UTF-8 at byte offset \(offset)")
        }
    }

    /// The offset of the first NUL byte, or nil; eight bytes per step (an import checks every
    /// text twice, and the byte-wise search showed in its profile).
    static func firstNULOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            var i = 0
            while i + 8 <= raw.count {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            while i < raw.count {
                if raw[i] == 0 { return i }
                i += 1
            }
            return nil
        }
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    /// Overlong forms, surrogates and code points above U+10FFFF are rejected, as the standard says.
    public static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            // Runs of ASCII, eight bytes at a time.
            if i + 8 <= n, bytes.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) }) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            if i + length > n { return i }
            let second = bytes[i + 1]
            if second < lower || second > upper { return i }
            for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        // Any visible ASCII character settles it without decoding the text.
        if bytes.contains(where: { $0 > 32 && $0 < 127 }) { return false }
        // Otherwise decode, so that NBSP, ideographic spaces and a lone BOM count as blank too.
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.allSatisfy {
            $0.properties.isWhitespace || $0 == "\u{FEFF}"
        }
    }
}
