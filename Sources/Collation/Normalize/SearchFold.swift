/// The fold for searching text such as titles: the collation engine's Unicode, typography, case and
/// diacritics layers, so `viet nam` finds `Việt Nam`. Joiners and spelling are left out: a search
/// for `rice trade` should not match across the space that `ricetrade` would drop.
public enum SearchFold {
    public static let layers: FoldLayers = [.unicode, .typography, .case, .diacritics]

    public static func key(_ text: String) -> String { Folding.fold(Substring(text).unicodeScalars, layers: layers) }

    /// Whether `text` contains `needle` once both are folded.
    public static func contains(_ text: String, _ needle: String) -> Bool {
        let folded = key(needle)
        return folded.isEmpty || key(text).contains(folded)
    }
}
