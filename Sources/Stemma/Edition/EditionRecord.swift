import JSON
import Foundation

/// One edition as recorded in the corpus: its id (the git blob id of its bytes), its size and metadata.
/// This is the content of the `.json` file beside each text.
public struct EditionRecord: Sendable, Equatable {
    public var edition: String
    public var bytes: Int
    public var metadata: EditionMetadata

    public init(edition: String, bytes: Int, metadata: EditionMetadata) {
        self.edition = edition; self.bytes = bytes; self.metadata = metadata
    }

    /// The record's JSON, keys in a fixed order so the same record always has the same bytes
    /// (and so the same blob id: re-committing is recognised as a no-op).
    public var json: String {
        var fields: [(String, JSONValue)] = [
            ("edition", .string(edition)), ("story", .string(metadata.story)), ("source", .string(metadata.source)),
            ("date", .string(metadata.date)),
        ]
        if let t = metadata.title { fields.append(("title", .string(t))) }
        if let u = metadata.url { fields.append(("url", .string(u))) }
        if let d = metadata.derivedFrom { fields.append(("derived_from", .string(d))) }
        if let l = metadata.language { fields.append(("language", .string(l))) }
        fields.append(("bytes", .int(bytes)))
        return JSONValue.object(fields).rendered(pretty: true) + "\n"
    }

    /// Reads a record file; throws `.corpus` when it is not one (not JSON, or without the four
    /// string fields every record has). A `bytes` that is not a number reads as 0.
    public static func parse(_ bytes: [UInt8], path: String) throws -> EditionRecord {
        guard let object = JSONReader.parse(bytes), let edition = object.field("edition")?.stringValue,
              let story = object.field("story")?.stringValue, let source = object.field("source")?.stringValue,
              let date = object.field("date")?.stringValue else {
            throw StemmaError.corpus("corrupt edition record \(path)")
        }
        let size: Int
        switch object.field("bytes") {
        case .int(let n)?: size = n
        case .double(let d)? where d.isFinite && abs(d) < 1e18: size = Int(d)
        default: size = 0
        }
        return EditionRecord(edition: edition, bytes: size, metadata: EditionMetadata(
            story: story, source: source, date: date, title: object.field("title")?.stringValue, url: object.field("url")?.stringValue,
            derivedFrom: object.field("derived_from")?.stringValue, language: object.field("language")?.stringValue))
    }
}
