/// A small JSON writer with a fixed key order; Foundation's encoder sorts or shuffles keys,
/// and our contracts (`--json` output, record files) promise a stable order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    public func rendered(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .double(let d):
            if d.isFinite { out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) } else { out += "null" }
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.writeString(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        JSONString.append(Array(s.utf8), to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON string encoding straight onto UTF-8 bytes: the one place the escaping rules live, used by
/// `JSONValue` and by the exporter's hot loop. Quote, backslash and control characters are
/// escaped, and so are U+2028, U+2029 and U+FEFF (some JSON readers drop a literal BOM at the
/// start of a string); every other byte is copied as it is.
public enum JSONString {
    public static func append(_ s: [UInt8], to out: inout [UInt8]) {
        out.reserveCapacity(out.count + s.count + 16)
        out.append(34)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            switch b {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 0..<32: out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0xE2 where i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9):
                out += Array((s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8); i += 2
            case 0xEF where i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF:
                out += Array("\\ufeff".utf8); i += 2
            default: out.append(b)
            }
            i += 1
        }
        out.append(34)
    }
}
