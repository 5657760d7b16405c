import Testing
import JSON

/// `JSONStream` must write exactly what `JSONValue.rendered` writes for the same document,
/// however it is split into containers and values and whatever the chunk size.
@Suite struct JSONStreamTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func value(depth: Int) -> JSONValue {
            switch next(depth > 3 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .int(next(1_000_000) - 500_000)
            case 3: return .double(Double(next(10_000)) / 7)
            case 4: return .string(["", "plain", "Việt Nam", "quote \" back \\ slash", "tab\tnew\nline", "\u{1B}[2J", "\u{2028}"][next(7)])
            case 5: return .array((0..<next(4)).map { _ in value(depth: depth + 1) })
            default: return .object((0..<next(4)).map { i in ("k\(i)", value(depth: depth + 1)) })
            }
        }
    }

    /// Streams `value` through the container calls, leaves (and, at random, whole sub-trees) as values.
    static func stream(_ value: JSONValue, into out: inout JSONStream, splitting g: inout Generator) {
        switch value {
        case .array(let items) where g.next(3) > 0:
            out.beginArray()
            for item in items { stream(item, into: &out, splitting: &g) }
            out.endArray()
        case .object(let fields) where g.next(3) > 0:
            out.beginObject()
            for (key, item) in fields {
                out.key(key)
                stream(item, into: &out, splitting: &g)
            }
            out.endObject()
        default:
            out.value(value)
        }
    }

    @Test(arguments: [true, false])
    func streamedDocumentsEqualRenderedOnes(pretty: Bool) {
        var g = Generator(state: pretty ? 7 : 11)
        for round in 0..<500 {
            let document: JSONValue = round % 2 == 0 ? .object([("a", g.value(depth: 0)), ("b", g.value(depth: 0))]) : .array([g.value(depth: 0), g.value(depth: 0)])
            var chunks: [String] = []
            var out = JSONStream(pretty: pretty, chunkSize: 1 + g.next(64)) { chunks.append($0) }
            Self.stream(document, into: &out, splitting: &g)
            out.finish()
            #expect(chunks.joined() == document.rendered(pretty: pretty) + "\n", "round \(round)")
        }
    }

    @Test func emptyContainersAreWrittenLikeRenderedOnes() {
        var text = ""
        var out = JSONStream(pretty: true) { text += $0 }
        out.beginObject()
        out.key("changes")
        out.beginArray()
        out.endArray()
        out.key("units")
        out.beginObject()
        out.endObject()
        out.endObject()
        out.finish(trailingNewline: false)
        #expect(text == JSONValue.object([("changes", .array([])), ("units", .object([]))]).rendered(pretty: true))
    }
}
