/// Stage 4a: names the difference between two spellings of the same words.
public enum Classifier {
    /// The accidental class separating `a` and `b`, or nil when they differ in substance.
    /// Probes leave out one normalisation layer at a time, strongest first: the class is the
    /// first layer without which the two no longer compare equal (so `Vietnam → Việt Nam`, which
    /// differs in diacritics and spacing, is `diacritics`).
    /// Pure and unremembered: the engine asks through its lexicon's `AccidentalMemo`.
    public static func accidental(_ a: String, _ b: String) -> ChangeClass? {
        if a.utf8.elementsEqual(b.utf8) { return nil }
        return classify(a, b)
    }

    private static func classify(_ a: String, _ b: String) -> ChangeClass? {
        // Swift's String == is canonical equivalence: equal here means only NFC/NFD differs.
        if a == b { return .unicode }
        guard Normalizer.key(a, except: []) == Normalizer.key(b, except: []) else {
            return punctuationOnly(a, b) ? .punctuation : nil
        }
        let probes: [(FoldLayers, ChangeClass)] = [(.spelling, .spelling), (.diacritics, .diacritics), (.joiners, .hyphenation),
                                                   (.case, .case), (.typography, .typography)]
        for (layer, cls) in probes where Normalizer.key(a, except: layer) != Normalizer.key(b, except: layer) {
            // An apostrophe is punctuation (`its` → `it's`); hyphens and compound spaces are hyphenation.
            if cls == .hyphenation && withoutApostrophes(a) == withoutApostrophes(b) { return .punctuation }
            return cls
        }
        return .unicode
    }

    static func withoutApostrophes(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "'" && $0 != "\u{2019}" && $0 != "\u{02BC}" }))
    }

    /// Both sides hold nothing but punctuation and white space (a comma dropped, a full stop added).
    static func punctuationOnly(_ a: String, _ b: String) -> Bool {
        func ok(_ s: String) -> Bool { s.unicodeScalars.allSatisfy { !Tokenizer.isWordScalar($0) } }
        return ok(a) && ok(b)
    }

    /// Separators that differ: typography when only the kind of space differs, else white space.
    static func separator(_ a: String, _ b: String) -> ChangeClass {
        Normalizer.key(a, except: .joiners) == Normalizer.key(b, except: .joiners) && a.count == b.count ? .typography : .whitespace
    }
}
