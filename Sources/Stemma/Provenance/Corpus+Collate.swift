import Collation

extension Corpus {
    /// Compares two editions of the corpus with the collation engine: what `stemma diff A B`
    /// shows, and what change summaries, blame and story views are built from.
    public func collate(_ a: LoggedEdition, _ b: LoggedEdition) throws -> Collation {
        Collator.collate(try comparableText(of: a), try comparableText(of: b))
    }

    /// As `collate(_:_:)`, naming both editions by reference (see `EditionReference`).
    public func collate(_ a: String, _ b: String) throws -> Collation {
        try collate(resolve(a), resolve(b))
    }

    /// An edition's bytes, refused with a clear error when the engine cannot compare them.
    func comparableText(of edition: LoggedEdition) throws -> [UInt8] {
        guard edition.record.bytes <= Collator.maxTextBytes else {
            throw StemmaError.user("edition \(edition.edition.prefix(12)) is larger than the \(Collator.maxTextSize) the diff engine compares")
        }
        return try Self.blobText(repository, edition.edition)
    }
}
