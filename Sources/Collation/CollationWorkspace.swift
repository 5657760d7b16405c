/// What one thread needs to collate, kept from one comparison to the next: a `Lexicon` (token
/// keys and the accidental memo) and the aligner's and analyser's work lists, whose storage is
/// reused rather than allocated per comparison. Used by one thread at a time; `Collator` lends
/// each call one from a pool.
public final class CollationWorkspace {
    public let lexicon: Lexicon
    var alignerScratch = SentenceAligner.Scratch()
    var analyserScratch = Analyser.Scratch()
    var analyserMarks = Analyser.KeyMarks()

    public init(lexicon: Lexicon = Lexicon()) { self.lexicon = lexicon }
}
