import Foundation

/// Builds the demo corpus: the built-in story's wire edition and its newspaper re-edit.
public enum Demo {
    public struct Result {
        public let corpus: Corpus
        public let wire: CommitOutcome
        public let newspaper: CommitOutcome
        public let inferred: [InferredField]
    }

    /// Creates the corpus at `path` (or reuses the demo corpus already there) and commits both editions.
    /// Running it again changes nothing: the commits are recognised as already recorded.
    public static func build(at path: String) throws -> Result {
        let corpus = FileManager.default.fileExists(atPath: path) ? try Corpus.open(at: path) : try Corpus.create(at: path)
        let (wire, wireInferred) = try corpus.prepare(EditionDraft(bytes: Array(DemoTexts.wire.utf8), name: "demo wire text",
                                                                  story: DemoTexts.story, title: "Việt Nam, Philippines discuss rice trade"))
        let wireOutcome = try corpus.commit(wire)
        let (paper, paperInferred) = try corpus.prepare(EditionDraft(
            bytes: Array(DemoTexts.newspaper.utf8), name: "demo newspaper text", story: DemoTexts.story, date: DemoTexts.date,
            title: "Việt Nam, Philippines to sign five-year rice deal", derivedFrom: "\(DemoTexts.story):\(wire.metadata.source)"))
        let paperOutcome = try corpus.commit(paper)
        return Result(corpus: corpus, wire: wireOutcome, newspaper: paperOutcome, inferred: wireInferred + paperInferred)
    }
}
