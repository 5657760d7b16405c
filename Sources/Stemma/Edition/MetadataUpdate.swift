/// A metadata field a re-recording may set or remove. Story and source are not among them:
/// with the bytes they name the record, so changing them records another edition.
public enum MetadataField: String, CaseIterable, Sendable, Hashable {
    case date, title, url, derivedFrom = "derived_from", language

    /// Accepts the record's key (`derived_from`) and the flag's spelling (`derived-from`).
    public init(name: String) throws {
        guard let field = Self(rawValue: name.replacingOccurrences(of: "-", with: "_")) else {
            let names = Self.allCases.filter { $0 != .date }.map(\.flag).joined(separator: ", ")
            throw StemmaError.user("no metadata field '\(printable(name))' to unset: use one of \(names)")
        }
        self = field
    }

    /// The command-line spelling.
    public var flag: String { self == .derivedFrom ? "derived-from" : rawValue }

    func value(in m: EditionMetadata) -> String? {
        switch self {
        case .date: return m.date
        case .title: return m.title
        case .url: return m.url
        case .derivedFrom: return m.derivedFrom
        case .language: return m.language
        }
    }

    func set(_ value: String?, in m: inout EditionMetadata) {
        switch self {
        case .date: if let value { m.date = value }
        case .title: m.title = value
        case .url: m.url = value
        case .derivedFrom: m.derivedFrom = value
        case .language: m.language = value
        }
    }
}

/// The one rule for recording an edition that is already recorded (same bytes, story and
/// source), shared by `commit` and `import`: the fields given replace the recorded ones, the
/// fields not given keep their values, and only an explicit unset removes one. So re-recording
/// never drops provenance without being asked to.
public struct MetadataUpdate: Sendable, Equatable {
    /// Fields whose new values were given (not inferred from the text).
    public var given: Set<MetadataField>
    /// Fields to remove.
    public var unset: Set<MetadataField>

    public init(given: Set<MetadataField>, unset: Set<MetadataField> = []) throws {
        if unset.contains(.date) { throw StemmaError.user("the date cannot be unset: every edition has one") }
        if let both = MetadataField.allCases.first(where: { given.contains($0) && unset.contains($0) }) {
            throw StemmaError.user("--\(both.flag) and --unset \(both.flag) contradict each other")
        }
        self.given = given; self.unset = unset
    }

    /// Every field of `m` that has a value, as if all were given (a record written afresh).
    public static func all(of m: EditionMetadata) -> MetadataUpdate {
        // Safe: no unset fields, so no contradiction.
        try! MetadataUpdate(given: Set(MetadataField.allCases.filter { $0.value(in: m) != nil }))
    }

    /// The record this update leaves: `values` (the new edition's metadata, story and source
    /// included) when nothing is recorded yet, else `existing` with the given fields taken from
    /// `values` and the unset ones removed.
    public func applied(_ values: EditionMetadata, to existing: EditionMetadata?) -> EditionMetadata {
        var m = existing ?? values
        if existing != nil { for field in given { field.set(field.value(in: values), in: &m) } }
        for field in unset { field.set(nil, in: &m) }
        return m
    }

    /// This update followed by `later` (two lines of one import about the same record), as one.
    public func followed(by later: MetadataUpdate) -> MetadataUpdate {
        // Safe: a field given by one and unset by the other ends up in one set only.
        try! MetadataUpdate(given: given.subtracting(later.unset).union(later.given),
                            unset: unset.subtracting(later.given).union(later.unset))
    }

    /// What changed from `old` to `new`, for people: `date 2024-09-12 → 2024-09-13`, `title added`.
    public static func changes(from old: EditionMetadata, to new: EditionMetadata) -> [String] {
        MetadataField.allCases.compactMap { field in
            let (a, b) = (field.value(in: old), field.value(in: new))
            switch (a, b) {
            case (nil, nil): return nil
            case (nil, _?): return "\(field.rawValue) added"
            case (_?, nil): return "\(field.rawValue) removed"
            case (let a?, let b?):
                guard a != b else { return nil }
                if field == .date || field == .language { return "\(field.rawValue) \(a) → \(b)" }
                if field == .derivedFrom { return "\(field.rawValue) \(a.prefix(12)) → \(b.prefix(12))" }
                return "\(field.rawValue) changed"
            }
        }
    }
}
