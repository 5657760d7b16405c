/// The fold for searching text such as titles: the collation engine's Unicode, typography, case and
/// diacritics layers, so `viet nam` finds `Việt Nam`. Joiners and spelling are left out: a search
/// for `rice trade` should not match across the space that `ricetrade` would drop.
public enum SearchFold {
    public static let layers: FoldLayers = [.unicode, .typography, .case, .diacritics]

    public static func key(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            // These layers fold each scalar on its own, and on ASCII only the case layer does
            // anything: ASCII runs are lowered byte by byte, the rest folded as usual. Same result,
            // without a `String` append per character of a whole edition.
            var out = [UInt8]()
            out.reserveCapacity(utf8.count)
            var i = 0
            while i < utf8.count {
                if utf8[i] < 0x80 {
                    let b = utf8[i]
                    out.append(b >= 65 && b <= 90 ? b + 32 : b)
                    i += 1
                    continue
                }
                var j = i
                while j < utf8.count && utf8[j] >= 0x80 { j += 1 }
                let run = String(decoding: UnsafeBufferPointer(rebasing: utf8[i..<j]), as: UTF8.self)
                out.append(contentsOf: Folding.fold(Substring(run).unicodeScalars, layers: layers).utf8)
                i = j
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Whether `text` contains `needle` once both are folded.
    public static func contains(_ text: String, _ needle: String) -> Bool {
        let folded = key(needle)
        return folded.isEmpty || key(text).contains(folded)
    }
}
