/// Git's pkt-line framing and the receive-pack conversation (Documentation/gitprotocol-pack.txt):
/// the reference advertisement, the update commands, the status report. Bytes only; the
/// connection that carries them is `ReceivePackConnection`.
enum PktLine {
    static let flush: [UInt8] = Array("0000".utf8)

    /// `payload` with its 4-hex-digit length (the length counts itself).
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 4
        precondition(n <= 65_520, "pkt-line too long")
        let digits = Array("0123456789abcdef".utf8)
        return [digits[n >> 12 & 15], digits[n >> 8 & 15], digits[n >> 4 & 15], digits[n & 15]] + payload
    }

    /// Splits `bytes` into packets: nil stands for a flush. Throws on a malformed length; a
    /// packet cut short is an error too (the connection closed mid-packet).
    static func packets(_ bytes: [UInt8]) throws -> [[UInt8]?] {
        var out: [[UInt8]?] = []
        var at = 0
        while at < bytes.count {
            guard at + 4 <= bytes.count, let n = Int(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16) else {
                throw ProtocolError("malformed pkt-line length")
            }
            if n == 0 || n == 1 || n == 2 { out.append(nil); at += 4; continue } // flush, delim, response-end
            guard n >= 4, at + n <= bytes.count else { throw ProtocolError("pkt-line cut short") }
            out.append(Array(bytes[(at + 4)..<(at + n)]))
            at += n
        }
        return out
    }

    /// A protocol violation by the other side (or a connection that ended early).
    struct ProtocolError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// What a receive-pack offers: its references and capabilities.
struct ReceivePackAdvertisement: Equatable {
    var references: [String: ObjectID] = [:]
    var capabilities: Set<String> = []

    /// Parses the advertisement's packets, with or without smart HTTP's `# service=` header.
    init(_ bytes: [UInt8]) throws {
        var first = true
        for packet in try PktLine.packets(bytes) {
            guard var line = packet else { continue }
            if line.last == 10 { line.removeLast() }
            if first, line.starts(with: Array("# service=".utf8)) { continue }
            if first, let nul = line.firstIndex(of: 0) {
                capabilities = Set(String(decoding: line[(nul + 1)...], as: UTF8.self).split(separator: " ").map(String.init))
                line = Array(line[..<nul])
            }
            first = false
            guard line.count > 41, line[40] == 32, let id = ObjectID(hex: String(decoding: line[..<40], as: UTF8.self)) else {
                throw PktLine.ProtocolError("malformed reference advertisement")
            }
            let name = String(decoding: line[41...], as: UTF8.self)
            if name == "capabilities^{}" || name.hasSuffix("^{}") { continue } // an empty repository; peeled tags
            references[name] = id
        }
    }
}

/// The remote's answer to a push with `report-status`: whether it unpacked the pack, and each
/// reference's `ok` or `ng <reason>`.
struct ReceivePackReport: Equatable {
    var unpack = ""
    var rejected: [(reference: String, reason: String)] = []
    var accepted: [String] = []

    static func == (a: Self, b: Self) -> Bool {
        a.unpack == b.unpack && a.accepted == b.accepted && a.rejected.map { $0.reference + "\u{0}" + $0.reason } == b.rejected.map { $0.reference + "\u{0}" + $0.reason }
    }

    init(packets: [[UInt8]]) throws {
        for var line in packets {
            if line.last == 10 { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("unpack ") {
                unpack = String(text.dropFirst(7))
            } else if text.hasPrefix("ok ") {
                accepted.append(String(text.dropFirst(3)))
            } else if text.hasPrefix("ng ") {
                let rest = text.dropFirst(3)
                let space = rest.firstIndex(of: " ") ?? rest.endIndex
                rejected.append((String(rest[..<space]), String(rest[space...].drop(while: { $0 == " " }))))
            }
        }
        guard !unpack.isEmpty else { throw PktLine.ProtocolError("the remote sent no status for the push") }
    }
}
