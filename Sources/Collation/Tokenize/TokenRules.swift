/// The punctuation rules of tokenizing and sentence splitting, in one place. The tokenizer's
/// class table (which both its 64-byte block path and its scalar scan read) is built from these
/// sets, and the tokenizer notes as sentence-end candidates exactly the tokens that start with a
/// stop, which are all the segmenter visits. So adding a stop (say `。`) or a joiner is one edit
/// here; the tests' scalar reference (`TokenizeTests`) stays the spec the paths are held to.
enum TokenRules {
    /// Join the letters or digits on both sides into one word: `co-operation`, `don't`.
    static let wordJoiners: Set<Unicode.Scalar> = ["-", "\u{2010}", "\u{2011}", "'", "\u{2019}"]
    /// Join the digits on both sides into one number: `2.5`, `1,000`.
    static let numberJoiners: Set<Unicode.Scalar> = [".", ","]
    /// May end a sentence (the segmenter decides whether it does).
    static let sentenceStops: Set<Unicode.Scalar> = [".", "!", "?", "\u{2026}"]
}
