import JSON

/// Output formats of a diff.
public enum DiffFormat: String, Sendable, CaseIterable {
    case terminal, unified, hunks, json, html, stats
}

/// Describes one side of a comparison for headers and JSON.
public struct WitnessLabel: Sendable {
    public var id: String?
    public var path: String?
    public var title: String
    public init(id: String? = nil, path: String? = nil, title: String) { self.id = id; self.path = path; self.title = title }
}

public struct RenderOptions: Sendable {
    public var substantiveOnly = false
    public var colour = false
    /// Show the texts' control characters escaped in `unified` too (when it goes to a terminal;
    /// a patch written to a file must keep the exact bytes). The other text views always do.
    public var escapeControls = false
    public var a: WitnessLabel
    public var b: WitnessLabel
    public init(a: WitnessLabel, b: WitnessLabel, substantiveOnly: Bool = false, colour: Bool = false) {
        self.a = a; self.b = b; self.substantiveOnly = substantiveOnly; self.colour = colour
    }
}

/// Stage 5: turns a `Collation` into text. Each format is its own renderer; none changes the result.
public enum Renderers {
    public static func render(_ c: Collation, as format: DiffFormat, options: RenderOptions) -> String {
        var text = ""
        render(c, as: format, options: options) { text += $0 }
        return text
    }

    /// The same, handed to `sink` in pieces as it is made (JSON a change at a time, the others whole).
    public static func render(_ c: Collation, as format: DiffFormat, options: RenderOptions, to sink: @escaping (String) -> Void) {
        switch format {
        case .terminal: sink(TerminalRenderer(collation: c, options: options).render())
        case .unified: sink(UnifiedRenderer.render(c, options: options))
        case .hunks: sink(HunksRenderer.render(c, options: options))
        case .json: JSONRenderer.write(c, options: options, to: sink)
        case .html: sink(HTMLRenderer(collation: c, options: options).render())
        case .stats: sink(StatsRenderer.render(c, options: options))
        }
    }

    /// Changes shown under `options`: all, or all but accidentals (inside moves too).
    static func visible(_ c: Collation, _ options: RenderOptions) -> [Change] {
        guard options.substantiveOnly else { return c.changes }
        return c.changes.compactMap { change in
            guard change.kind != .accidental else { return nil }
            var shown = change
            if !shown.inner.isEmpty { shown.inner = shown.inner.filter { $0.kind != .accidental } }
            return shown
        }
    }
}

/// The JSON contract of `stemma diff --format json` (docs/CLI.md). Written a change and a unit
/// at a time: a 16 MiB pair has over 10^5 changes, and a tree of them all cost twice the memory
/// of the collation itself.
public enum JSONRenderer {
    public static func write(_ c: Collation, options: RenderOptions, to sink: @escaping (String) -> Void) {
        func side(_ label: WitnessLabel, _ bytes: [UInt8]) -> JSONValue {
            .object([("id", .optional(label.id)), ("path", .optional(label.path)), ("bytes", .int(bytes.count))])
        }
        let s = c.summary
        let summary: JSONValue = .object([
            ("similarity", .double((s.similarity * 1000).rounded() / 1000)),
            ("kinds", .object(ChangeKind.allCases.map { ($0.rawValue, .int(s.kinds[$0] ?? 0)) })),
            ("classes", .object(ChangeClass.allCases.compactMap { cls in s.classes[cls].map { (cls.rawValue, .int($0)) } })),
            ("sentences", .object(s.sentenceCounts.map { ($0.name, .int($0.count)) })),
        ])
        // Alignment entries name changes by their place in the list printed, which
        // --substantive-only shortens: each index is mapped to its place there, or dropped.
        var printedIndex = [Int?](repeating: nil, count: c.changes.count)
        var next = 0
        for (k, change) in c.changes.enumerated() where !options.substantiveOnly || change.kind != .accidental { printedIndex[k] = next; next += 1 }
        func unit(_ u: TextUnit) -> JSONValue {
            let kind: String
            switch u.kind {
            case .sentence: kind = "sentence"
            case .boilerplate(let cls): kind = cls.rawValue
            }
            return .object([("kind", .string(kind)), ("range", .array([.int(u.range.lowerBound), .int(u.range.upperBound)])),
                            ("paragraph", .int(u.paragraph))])
        }
        func changeJSON(_ change: Change) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("kind", .string(change.kind.rawValue)), ("class", .string(change.changeClass.rawValue)),
                ("a", .array([.int(change.a.lowerBound), .int(change.a.upperBound)])),
                ("b", .array([.int(change.b.lowerBound), .int(change.b.upperBound)])),
                ("a_text", .string(c.aText(change))), ("b_text", .string(c.bText(change))),
            ]
            if let move = change.move { fields.append(("move", .int(move))) }
            if !change.inner.isEmpty { fields.append(("inner", .array(change.inner.map(changeJSON)))) }
            return .object(fields)
        }
        var out = JSONStream(pretty: true, sink: sink)
        out.beginObject()
        out.field("a", side(options.a, c.a))
        out.field("b", side(options.b, c.b))
        out.field("summary", summary)
        out.key("changes")
        out.beginArray()
        for change in Renderers.visible(c, options) { out.value(changeJSON(change)) }
        out.endArray()
        out.key("units")
        out.beginObject()
        for (name, units) in [("a", c.unitsA), ("b", c.unitsB)] {
            out.key(name)
            out.beginArray()
            for u in units { out.value(unit(u)) }
            out.endArray()
        }
        out.endObject()
        out.key("alignment")
        out.beginArray()
        for e in c.alignment {
            out.value(.object([("relation", .string(e.relation.rawValue)), ("a", .array(e.a.map { .int($0) })), ("b", .array(e.b.map { .int($0) })),
                               ("changes", .array(e.changes.compactMap { printedIndex[$0] }.map { .int($0) })),
                               ("similarity", .double((e.similarity * 1000).rounded() / 1000))]))
        }
        out.endArray()
        out.endObject()
        out.finish()
    }
}

/// One line per class, for scripts and quick looks (accidentals left out under `--substantive-only`).
public enum StatsRenderer {
    public static func render(_ c: Collation, options: RenderOptions? = nil) -> String {
        var lines: [String] = []
        let kinds: [ChangeKind] = options?.substantiveOnly == true ? [.substantive, .boilerplate] : [.substantive, .accidental, .boilerplate]
        for kind in kinds {
            for cls in ChangeClass.allCases where cls.kind == kind {
                if let n = c.summary.classes[cls] { lines.append("\(kind.rawValue)\t\(cls.rawValue)\t\(n)") }
            }
        }
        let s = c.summary
        lines.append("sentences\t" + s.sentenceCounts.map { "\($0.name) \($0.count)" }.joined(separator: ", "))
        lines.append("similarity\t\(formatted(s.similarity))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatted(_ x: Double) -> String {
        let n = Int((x * 100).rounded())
        return "\(n / 100).\(n % 100 < 10 ? "0" : "")\(n % 100)"
    }
}

/// A hunk per change: byte offsets, the label, `-` and `+` lines (for reading one change at a time).
public enum HunksRenderer {
    public static func render(_ c: Collation, options: RenderOptions) -> String {
        var out = "--- a/\(ControlCharacters.escaped(options.a.title))\n+++ b/\(ControlCharacters.escaped(options.b.title))\n"
        for change in Renderers.visible(c, options) {
            var label = "\(change.kind.rawValue)/\(change.changeClass.rawValue)"
            if let m = change.move { label += " move \(m)" }
            out += "@@ -\(change.a.lowerBound),\(change.a.count) +\(change.b.lowerBound),\(change.b.count) @@ \(label)\n"
            for line in lines(c.aText(change)) { out += "-" + line + "\n" }
            for line in lines(c.bText(change)) { out += "+" + line + "\n" }
        }
        return out
    }

    /// The change's text as diff lines; a change of white space alone is shown escaped on one line,
    /// so `\n\n\n\n → \n\n` is visible.
    static func lines(_ text: String) -> [String] {
        let s = ControlCharacters.escaped(text)
        if s.isEmpty { return [] }
        if s.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return [s.unicodeScalars.map { $0 == "\n" ? "\\n" : $0 == "\r" ? "\\r" : $0 == "\t" ? "\\t" : String($0) }.joined()]
        }
        var parts = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if s.hasSuffix("\n") { parts.removeLast() }
        return parts
    }
}

