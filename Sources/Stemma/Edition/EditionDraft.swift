import Git
/// An edition as a user submits it: bytes plus whatever metadata they gave. `Corpus.prepare`
/// fills the gaps from the text's own conventions and validates everything.
public struct EditionDraft: Sendable {
    public var bytes: [UInt8]
    /// How to name the input in messages: a path, or `manifest.jsonl:12`.
    public var name: String
    public var story: String
    public var source: String?
    public var date: String?
    public var title: String?
    public var url: String?
    /// Any edition reference (id, abbreviation, `STORY:SOURCE[~N]`).
    public var derivedFrom: String?
    public var language: String?
    /// Fields to remove from the record if this edition is already recorded (`--unset`).
    public var unset: Set<MetadataField>
    /// Where the user gives a field, for the message that asks for one the text does not hold.
    public var fieldsGivenIn = FieldPlace.option

    public enum FieldPlace: Sendable {
        /// A command-line option (`commit --date`).
        case option
        /// A key of the manifest line (`import`).
        case manifestLine
        /// A key of the text's `.json` sidecar (`import` of a folder).
        case sidecar

        func ask(for field: String) -> String {
            switch self {
            case .option: return "give it with --\(field)"
            case .manifestLine: return "give it as \"\(field)\" in the line"
            case .sidecar: return "give it as \"\(field)\" in the text's .json sidecar"
            }
        }
    }

    /// The record already in the corpus for these bytes in this story, if there is exactly one:
    /// its source and date stand in when neither is given nor found in the text (an update).
    var recorded: EditionMetadata?

    public init(bytes: [UInt8], name: String, story: String, source: String? = nil, date: String? = nil,
                title: String? = nil, url: String? = nil, derivedFrom: String? = nil, language: String? = nil,
                unset: Set<MetadataField> = []) {
        self.bytes = bytes; self.name = name; self.story = story; self.source = source; self.date = date
        self.title = title; self.url = url; self.derivedFrom = derivedFrom; self.language = language; self.unset = unset
    }

    /// The fields given, as opposed to inferred from the text or left out: what an update replaces.
    var update: MetadataUpdate {
        get throws {
            let values: [(MetadataField, String?)] = [(.date, date), (.title, title), (.url, url), (.derivedFrom, derivedFrom), (.language, language)]
            return try MetadataUpdate(given: Set(values.filter { $0.1 != nil }.map(\.0)), unset: unset)
        }
    }
}

/// A field Stemma filled in from the text, and why.
public struct InferredField: Sendable, Equatable {
    public let field: String
    public let value: String
    public let reason: String
}

extension EditionDraft {
    /// Validates the text, infers missing source and date, and validates the metadata.
    /// `resolveParent` turns the derived-from reference into a full edition id.
    public func prepared(maxBytes: Int = EditionText.defaultMaxBytes,
                         resolveParent: (String) throws -> String) throws -> (PendingEdition, [InferredField]) {
        let (pending, parent, inferred) = try preparedDeferringParent(maxBytes: maxBytes)
        guard let parent else { return (pending, inferred) }
        return try labelled { (try pending.withParent(try resolveParent(parent)), inferred) }
    }

    /// Everything `prepared` does but resolving `derivedFrom`, which is returned as given: the
    /// part of the work that needs no corpus, so a bulk import runs it ahead on another thread.
    public func preparedDeferringParent(maxBytes: Int = EditionText.defaultMaxBytes) throws -> (PendingEdition, parent: String?, [InferredField]) {
        try labelled {
            try EditionText.validate(bytes, name: name, maxBytes: maxBytes)
            try EditionMetadata.validateStory(story)
            // Read once for both fields: the text is segmented as the diff engine does it.
            let reading = source == nil || date == nil ? Conventions.Reading(Conventions.excerpt(bytes)) : nil
            var inferred: [InferredField] = []
            /// The given value, else the text's convention for it, else an error saying where to give it.
            func given(_ value: String?, or guess: Conventions.Inference?, field: String, missing: String) throws -> String {
                if let value { return value }
                guard let guess else { throw StemmaError.user("\(name): \(missing); \(fieldsGivenIn.ask(for: field))") }
                inferred.append(InferredField(field: field, value: guess.value, reason: guess.reason))
                return guess.value
            }
            let fromRecord = { (value: String?) in value.map { Conventions.Inference(value: $0, reason: "the record already in the corpus") } }
            let source = try given(self.source, or: reading?.source ?? fromRecord(recorded?.source), field: "source",
                                   missing: "cannot infer the source from the text")
            let date = try given(self.date, or: reading?.date ?? fromRecord(recorded?.source == source ? recorded?.date : nil),
                                 field: "date", missing: "no leading 'date YYYY-MM-DD' header to infer the date from")
            let metadata = EditionMetadata(story: story, source: source, date: date, title: title, url: url, language: language)
            let pending = try PendingEdition(bytes: bytes, metadata: metadata, name: name, maxBytes: maxBytes, update: try update)
            return (pending, derivedFrom, inferred)
        }
    }

    /// Every message says which input it is about.
    private func labelled<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch StemmaError.user(let message) where !message.hasPrefix(name + ":") {
            throw StemmaError.user("\(name): \(message)")
        }
    }
}

extension EditionDraft {
    /// The one record of these bytes in this story (from `source`, if given), if there is
    /// exactly one: what an update without a source or date is about.
    func soleRecord(in index: CorpusIndex) throws -> EditionMetadata? {
        guard (try? EditionMetadata.validateStory(story)) != nil, let id = try? Repository.blobID(of: bytes).hex else { return nil }
        let records = try index.editions(idPrefix: id).filter {
            $0.edition == id && $0.metadata.story == story && (source ?? $0.metadata.source) == $0.metadata.source
        }
        return records.count == 1 ? records[0].metadata : nil
    }
}

extension Corpus {
    /// `draft.prepared`, resolving the derived-from reference in this corpus.
    public func prepare(_ draft: EditionDraft, maxBytes: Int = EditionText.defaultMaxBytes) throws -> (PendingEdition, [InferredField]) {
        var draft = draft
        if draft.source == nil || draft.date == nil { draft.recorded = try draft.soleRecord(in: index()) }
        return try draft.prepared(maxBytes: maxBytes) { reference in
            do {
                return try resolve(reference).edition
            } catch StemmaError.user(let message) {
                throw StemmaError.user("--derived-from: \(message)")
            }
        }
    }
}
