import Collation

/// `stemma blame`'s result: the edition, its derivation chain and a line per unit.
public struct EditionBlame: Sendable {
    /// The chain, oldest ancestor first; the last is the blamed edition. `BlameLine.origin` indexes it.
    public var chain: [LoggedEdition]
    public var lines: [BlameLine]
    /// Set when the chain stops at an edition whose parent the corpus lacks (that parent's full id).
    public var missingAncestor: String?

    public var edition: LoggedEdition { chain[chain.count - 1] }
}

extension Corpus {
    /// The editions `edition` derives from, oldest first, ending with `edition` itself; and the id
    /// of a parent the corpus lacks, if the walk stopped at one. A `derived_from` cycle (only a
    /// corrupt corpus has one) ends the walk where it would repeat.
    public func ancestry(of edition: LoggedEdition) throws -> (chain: [LoggedEdition], missing: String?) {
        let index = try self.index()
        var chain = [edition]
        var seen: Set<String> = [edition.edition]
        while let parentID = chain[chain.count - 1].metadata.derivedFrom {
            guard let parent = try index.parent(of: chain[chain.count - 1]) else { return (chain.reversed(), parentID) }
            guard seen.insert(parent.edition).inserted else { break }
            chain.append(parent)
        }
        return (chain.reversed(), nil)
    }

    /// Sentence blame of `edition` over its ancestry: k collations for k ancestors.
    public func blame(_ edition: LoggedEdition) throws -> EditionBlame {
        var memo: [String: Collation] = [:]
        return try blame(edition, memo: &memo)
    }

    /// As `blame(_:)`, reusing the collations of links already compared (keyed `parent child`):
    /// blaming every edition of a story compares each link once.
    func blame(_ edition: LoggedEdition, memo: inout [String: Collation]) throws -> EditionBlame {
        let (chain, missing) = try ancestry(of: edition)
        let texts = try chain.map { try comparableText(of: $0) }
        let collations = texts.indices.dropLast().map { k in
            let key = chain[k].edition + " " + chain[k + 1].edition
            if let known = memo[key] { return known }
            let c = Collator.collate(texts[k], texts[k + 1])
            memo[key] = c
            return c
        }
        return EditionBlame(chain: chain, lines: SentenceBlame.blame(texts: texts, collations: collations), missingAncestor: missing)
    }
}
