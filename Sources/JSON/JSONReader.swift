/// A JSON reader (RFC 8259) into `JSONValue`, for documents read in bulk: an index rebuild reads
/// every edition record, and Foundation's `JSONSerialization` (bridged dictionaries, `Data`, `Any`)
/// was a tenth of it. It accepts what RFC 8259 allows — one value with white space around it,
/// UTF-8, strings with their escapes (surrogate pairs joined, a lone surrogate refused), numbers
/// as `.int` when they are integers that fit, else `.double` — and, as `JSONSerialization` does,
/// a trailing comma in an object or array, so that a record every other reader (`verify`,
/// `import`) takes is not refused here. Objects keep their keys in document order, duplicates
/// included (`JSONValue.field` takes the last, as JavaScript does).
public enum JSONReader {
    /// Nesting deeper than this is refused rather than risking the stack on hostile input.
    static let maximumDepth = 512

    /// The value `bytes` hold, or nil when they are not one JSON document.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer)
            guard let value = parser.value(depth: 0) else { return nil }
            parser.skipWhiteSpace()
            return parser.position == buffer.count ? value : nil
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhiteSpace() {
            while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
        }

        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for i in 0..<count where bytes[position + i] != literal.utf8Start[i] { return false }
            position += count
            return true
        }

        mutating func value(depth: Int) -> JSONValue? {
            skipWhiteSpace()
            guard let b = current, depth < JSONReader.maximumDepth else { return nil }
            switch b {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return take("null") ? .null : nil
            default: return number()
            }
        }

        mutating func object(depth: Int) -> JSONValue? {
            position += 1 // {
            var fields: [(String, JSONValue)] = []
            skipWhiteSpace()
            if current == UInt8(ascii: "}") { position += 1; return .object(fields) }
            while true {
                skipWhiteSpace()
                if current == UInt8(ascii: "}") && !fields.isEmpty { position += 1; return .object(fields) } // a trailing comma
                guard current == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhiteSpace()
                guard current == UInt8(ascii: ":") else { return nil }
                position += 1
                guard let value = value(depth: depth + 1) else { return nil }
                fields.append((key, value))
                skipWhiteSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(fields)
                default: return nil
                }
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            position += 1 // [
            var items: [JSONValue] = []
            skipWhiteSpace()
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                skipWhiteSpace()
                if current == UInt8(ascii: "]") && !items.isEmpty { position += 1; return .array(items) } // a trailing comma
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                skipWhiteSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(items)
                default: return nil
                }
            }
        }

        /// A string from its opening quote; plain runs are copied as they are, escapes decoded.
        mutating func string() -> String? {
            position += 1 // "
            var out: [UInt8] = []
            var runStart = position
            while let b = current {
                switch b {
                case UInt8(ascii: "\""):
                    out.append(contentsOf: bytes[runStart..<position])
                    position += 1
                    return String(validating: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    out.append(contentsOf: bytes[runStart..<position])
                    position += 1
                    guard let escaped = escape() else { return nil }
                    out.append(contentsOf: escaped)
                    runStart = position
                case 0..<0x20: return nil // control characters must be escaped
                default: position += 1
                }
            }
            return nil
        }

        /// The UTF-8 of the escape after a backslash.
        mutating func escape() -> [UInt8]? {
            guard let b = current else { return nil }
            position += 1
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [b]
            case UInt8(ascii: "b"): return [0x08]
            case UInt8(ascii: "f"): return [0x0C]
            case UInt8(ascii: "n"): return [0x0A]
            case UInt8(ascii: "r"): return [0x0D]
            case UInt8(ascii: "t"): return [0x09]
            case UInt8(ascii: "u"):
                guard let unit = hex4() else { return nil }
                var scalar = UInt32(unit)
                if (0xD800..<0xDC00).contains(unit) {
                    guard take("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
                }
                guard let s = Unicode.Scalar(scalar) else { return nil } // a lone low surrogate
                return Array(String(Character(s)).utf8)
            default: return nil
            }
        }

        mutating func hex4() -> UInt16? {
            guard bytes.count - position >= 4 else { return nil }
            var n: UInt16 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
                default: return nil
                }
                n = n << 4 | UInt16(digit)
                position += 1
            }
            return n
        }

        /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`
        mutating func number() -> JSONValue? {
            let start = position
            func digits() -> Int {
                let from = position
                while let b = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { position += 1 }
                return position - from
            }
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") { position += 1 } else if digits() == 0 { return nil }
            var integral = true
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { return nil }
                integral = false
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { return nil }
                integral = false
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if integral, let n = Int(text) { return .int(n) }
            return Double(text).map { .double($0) }
        }
    }
}

extension JSONValue {
    /// The value of `key` in an object (the last, if the key is repeated); nil for anything else.
    public func field(_ key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.last { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
}
