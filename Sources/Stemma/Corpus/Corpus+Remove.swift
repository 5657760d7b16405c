import Foundation
import Git

/// What `Corpus.remove` did.
public struct RemoveOutcome: Sendable, Equatable {
    /// The record removed, as it was.
    public let record: EditionRecord
    /// The commit that removed it.
    public let commit: String
}

extension Corpus {
    /// Removes one edition record (its text and `.json`) in a commit of its own, subject
    /// `Remove …` with the record's trailers. History keeps it; the index follows.
    ///
    /// `reference` is any edition reference; `story` and `source` choose among the records of
    /// one edition id. Refused while another record derives from it (and no other record of the
    /// same bytes remains to be its parent), unless `force`.
    public func remove(_ reference: String, story: String? = nil, source: String? = nil, force: Bool = false) throws -> RemoveOutcome {
        if let story { try EditionMetadata.validateStory(story) }
        if let source { try EditionMetadata.validateSource(source) }
        let index = try index()
        let parsed = try EditionReference(parsing: reference)
        let named = try parsed.resolve(in: index)
        // A reference by story and source names one record already: that one is meant.
        var story = story, source = source
        if case .story = parsed { story = story ?? named.metadata.story; source = source ?? named.metadata.source }
        let records = try index.editions(idPrefix: named.edition).filter {
            $0.edition == named.edition && (story ?? $0.metadata.story) == $0.metadata.story && (source ?? $0.metadata.source) == $0.metadata.source
        }
        guard let target = records.count == 1 ? records[0] : nil else {
            if records.isEmpty {
                throw StemmaError.user("edition \(named.edition.prefix(12)) has no record" + (story.map { " in story \($0)" } ?? "") + (source.map { " from \($0)" } ?? ""))
            }
            let places = records.map { "\($0.metadata.story):\($0.metadata.source)" }.joined(separator: ", ")
            throw StemmaError.user("edition \(named.edition.prefix(12)) is recorded \(records.count) times (\(places)); choose one with --story and --source")
        }
        let m = target.metadata
        let othersOfSameBytes = try index.editions(idPrefix: target.edition).filter {
            $0.edition == target.edition && ($0.metadata.story, $0.metadata.source) != (m.story, m.source)
        }
        if !force && othersOfSameBytes.isEmpty {
            let children = try index.find(EditionQuery(derivedFrom: target.edition), limit: 11)
            if !children.isEmpty {
                let shown = children.prefix(10).map { "\($0.metadata.story):\($0.metadata.source) \($0.edition.prefix(12))" }.joined(separator: ", ")
                throw StemmaError.user("\(m.story):\(m.source) \(target.edition.prefix(12)) is the parent of \(shown)\(children.count > 10 ? ", …" : ""); remove those first, or use --force to leave them naming a removed parent")
            }
        }
        try checkWritable()
        let textPath = CorpusLayout.textPath(story: m.story, source: m.source, edition: target.edition)
        let recordPath = CorpusLayout.recordPath(story: m.story, source: m.source, edition: target.edition)
        var lostRaces = 0
        let started = Date()
        while true {
            let tip = try gitCall { try repository.referenceTarget(Self.mainRef) }
            guard let current = try recordedEntry(at: tip, path: recordPath) else {
                throw StemmaError.user("\(m.story):\(m.source) \(target.edition.prefix(12)) was removed meanwhile")
            }
            let commit: ObjectID = try gitCall {
                let tree = try repository.updateTree(try tip.map { try repository.commit($0).tree }, [
                    TreeUpdate(path: textPath, action: .remove), TreeUpdate(path: recordPath, action: .remove),
                ])
                let signature = repository.defaultSignature(fallbackName: Self.fallbackName, fallbackEmail: Self.fallbackEmail)
                return try repository.createCommit(tree: tree, parents: tip.map { [$0] } ?? [],
                                                   message: Trailers.message(for: current.record, action: "Remove"),
                                                   author: signature, committer: signature)
            }
            do {
                try Self.moveMain(repository, to: commit, expecting: tip, message: "stemma rm")
                return RemoveOutcome(record: current.record, commit: commit.hex)
            } catch let error as GitError where error.isModified || error.isExists {
                lostRaces += 1
                if lostRaces >= 100 && Date().timeIntervalSince(started) > Self.raceTimeout {
                    throw StemmaError.corpus("main kept moving for \(Int(Self.raceTimeout)) seconds (\(lostRaces) attempts to commit); try again")
                }
            } catch let error as GitError {
                throw StemmaError.corpus("git: \(error.message) (\(error.operation))")
            }
        }
    }
}
