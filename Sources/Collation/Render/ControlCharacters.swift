/// Control characters of a text (ESC, BEL, backspace, the C1 range, DEL: every C0 and C1 control
/// but tab, line feed and carriage return) shown instead of passed on: a text written to a
/// terminal must never drive it (an ESC starts a terminal command).
public enum ControlCharacters {
    public static func isShownEscaped(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// `s` with each such character written as `\x1B` (C0, DEL) or `\u0085` (C1).
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isShownEscaped) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if !isShownEscaped(scalar) { out.unicodeScalars.append(scalar); continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out += scalar.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u00" + hex
        }
        return out
    }

    /// For HTML: the Unicode control pictures (␛ for ESC, ␇ for BEL, ␡ for DEL), `\u0085` for C1.
    public static func pictured(_ scalar: Unicode.Scalar) -> String? {
        guard isShownEscaped(scalar) else { return nil }
        if scalar.value < 0x20 { return String(Unicode.Scalar(0x2400 + scalar.value)!) }
        if scalar.value == 0x7F { return "\u{2421}" }
        return "\\u00" + String(scalar.value, radix: 16, uppercase: true)
    }
}
