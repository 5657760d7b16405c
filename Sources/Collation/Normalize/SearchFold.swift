/// The fold for searching text (`grep`, `find --title`): the collation engine's Unicode,
/// typography, case and diacritics layers on the characters (`key`), then, on words, its
/// spelling layer (`Spelling`: `organisation` is `organization`) and its joiners layer across
/// words: a phrase is found where its words written together equal whole words of the text
/// written together, as the engine's shingles read them, so `vietnam` finds `Việt Nam` and
/// `co operation` finds `cooperation` (and `rice trade` finds `ricetrade`: house style writes
/// compounds both ways, and to the engine they are the same words).
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

    /// The words of `text` as search compares them: `key`, cut at every character that is not a
    /// letter or a digit, each word in its canonical spelling.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            words.append(Spelling.canonical(utf8: word) ?? String(decoding: word, as: UTF8.self))
            word.removeAll(keepingCapacity: true)
        }
        // Scalar by scalar over the folded text (a word is letters and digits: after the fold, no
        // combining mark is left to need a whole character).
        for scalar in key(text).unicodeScalars {
            let v = scalar.value
            let isWord = v < 0x80
                ? (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if !isWord { flush() } else if v < 0x80 { word.append(UInt8(v)) } else { UTF8.encode(scalar) { word.append($0) } }
        }
        flush()
        return words
    }

    /// Whether the words of `phrase`, written together, equal a run of whole `words` written
    /// together (both as `words(_:)` gives them). Words are joined only between letters: `3.5` is
    /// not `35`, nor `3 5`.
    public static func containsPhrase(_ words: [String], _ phrase: [String]) -> Bool {
        let joined = Array(phrase.joined().utf8)
        guard !joined.isEmpty else { return true }
        // Where the phrase's own words meet, in the joined bytes.
        var phraseCuts = Set<Int>()
        var at = 0
        for word in phrase.dropLast() { at += word.utf8.count; phraseCuts.insert(at) }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        // A cut the other side does not have joins two words: only letters may meet there.
        func joinsLetters(_ cut: Int) -> Bool { !isDigit(joined[cut - 1]) && !isDigit(joined[cut]) }
        let parts = words.map { Array($0.utf8) }
        for start in parts.indices {
            var matched = 0
            var textCuts = Set<Int>()
            for part in parts[start...] {
                guard matched + part.count <= joined.count, joined[matched..<(matched + part.count)].elementsEqual(part) else { break }
                matched += part.count
                if matched == joined.count {
                    if textCuts.symmetricDifference(phraseCuts).allSatisfy(joinsLetters) { return true }
                    break
                }
                textCuts.insert(matched)
            }
        }
        return false
    }

    /// Whether `text` contains `needle` once both are folded, anywhere inside its words written
    /// together (a title search: `expo` finds `Exports`, `vietnam` finds `Việt Nam`).
    public static func contains(_ text: String, _ needle: String) -> Bool {
        let folded = words(needle).joined()
        return folded.isEmpty || words(text).joined().contains(folded)
    }
}
