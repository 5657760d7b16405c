import Foundation

/// Builds the demo corpus: the built-in story's wire edition and its newspaper re-edit.
public enum Demo {
    public struct Result {
        public let corpus: Corpus
        public let wire: CommitOutcome
        public let newspaper: CommitOutcome
        public let inferred: [InferredField]
    }

    /// Creates the corpus at `path` (or reuses the demo corpus already there) and commits both editions;
    /// refuses a corpus that holds any other story.
    /// Running it again changes nothing: the commits are recognised as already recorded.
    public static func build(at path: String) throws -> Result {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let corpus = contents.isEmpty ? try Corpus.create(at: path) : try Corpus.open(at: path)
        // Reusing is for a demo corpus only: the demo's editions never go into someone's own corpus.
        let others = try corpus.stories().map(\.story).filter { $0 != DemoTexts.story }
        if !others.isEmpty {
            let list = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? ", …" : "")
            throw StemmaError.user("\(path) already holds a corpus with other stories (\(list)); give the demo a folder of its own")
        }
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
