/// Writes one JSON document piece by piece, in the layout `JSONValue.rendered` gives, to a sink
/// that receives it in chunks: a long array (a diff's changes, a corpus-wide listing) is written
/// an element at a time instead of being built whole as one `JSONValue` first.
///
/// Containers are opened and closed in order; `JSONValue` writes each small element, so the
/// layout rules (commas, indentation, escaping) stay in one place.
public struct JSONStream {
    private let pretty: Bool
    private let sink: (String) -> Void
    private var buffer = ""
    /// One entry per open container: whether anything was written in it yet.
    private var open: [Bool] = []
    private var expectingValueForKey = false
    private let chunkSize: Int

    public init(pretty: Bool = true, chunkSize: Int = 1 << 16, sink: @escaping (String) -> Void) {
        self.pretty = pretty
        self.chunkSize = chunkSize
        self.sink = sink
    }

    public mutating func beginObject() { beginValue(); buffer += "{"; open.append(false) }
    public mutating func endObject() { close("}") }
    public mutating func beginArray() { beginValue(); buffer += "["; open.append(false) }
    public mutating func endArray() { close("]") }

    /// A key of the object just opened; the next call writes its value.
    public mutating func key(_ name: String) {
        precondition(!open.isEmpty && !expectingValueForKey, "JSONStream: a key outside an object or without a value")
        separate()
        JSONValue.writeString(name, into: &buffer)
        buffer += pretty ? ": " : ":"
        expectingValueForKey = true
    }

    /// A whole value: an array element, or the value of the key just written.
    public mutating func value(_ value: JSONValue) {
        beginValue()
        value.write(into: &buffer, pretty: pretty, indent: open.count)
        flushIfFull()
    }

    public mutating func field(_ name: String, _ value: JSONValue) {
        key(name)
        self.value(value)
    }

    /// Writes what is buffered; call it once the document is closed.
    public mutating func finish(trailingNewline: Bool = true) {
        precondition(open.isEmpty, "JSONStream: finished with a container still open")
        if trailingNewline { buffer += "\n" }
        if !buffer.isEmpty { sink(buffer) }
        buffer = ""
    }

    private mutating func beginValue() {
        if expectingValueForKey { expectingValueForKey = false; return }
        if !open.isEmpty { separate() }
    }

    /// The comma and the new line before a container's next entry.
    private mutating func separate() {
        if open[open.count - 1] { buffer += "," }
        open[open.count - 1] = true
        if pretty { buffer += "\n" + String(repeating: "  ", count: open.count) }
    }

    private mutating func close(_ bracket: String) {
        precondition(!expectingValueForKey, "JSONStream: a key without a value")
        let hadEntries = open.removeLast()
        if pretty && hadEntries { buffer += "\n" + String(repeating: "  ", count: open.count) }
        buffer += bracket
        flushIfFull()
    }

    private mutating func flushIfFull() {
        if buffer.utf8.count >= chunkSize { sink(buffer); buffer = "" }
    }
}
