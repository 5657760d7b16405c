/// A line-based unified diff, as `diff -u` and `git diff` write it, that `patch` applies: line
/// numbers, three lines of context, and in each hunk header's trailing text the editorial changes
/// inside the hunk counted by kind (`@@ -3,7 +3,8 @@ 2 accidental, 1 substantive`).
///
/// Lines are aligned by Myers over line ids (the collation's changes are word-level and cannot
/// say which lines to print); past 2,000 line edits the middle becomes one replacement, still a
/// correct patch. O((N + M) · D) for N and M lines and D line edits.
public enum UnifiedRenderer {
    static let context = 3

    public static func render(_ c: Collation, options: RenderOptions) -> String {
        let linesA = lines(c.a), linesB = lines(c.b)
        var ids: [ArraySlice<UInt8>: Int32] = [:]
        func id(_ line: ArraySlice<UInt8>) -> Int32 {
            if let known = ids[line] { return known }
            let new = Int32(ids.count)
            ids[line] = new
            return new
        }
        let idsA = linesA.map { id(c.a[$0]) }, idsB = linesB.map { id(c.b[$0]) }
        // Runs of lines that differ, between the matched lines.
        var edits: [(a: Range<Int>, b: Range<Int>)] = []
        var i = 0, j = 0
        for (mi, mj) in Myers.matches(idsA[...], idsB[...]) + [(linesA.count, linesB.count)] {
            if mi > i || mj > j { edits.append((i..<mi, j..<mj)) }
            i = mi + 1; j = mj + 1
        }
        guard !edits.isEmpty else { return "" }
        func name(_ side: String, _ title: String) -> String {
            let shown = ControlCharacters.escaped(title)
            return shown.hasPrefix("/") ? side + shown : side + "/" + shown
        }
        var out = "--- \(name("a", options.a.title))\n+++ \(name("b", options.b.title))\n"
        let shown = Renderers.visible(c, options)
        var k = 0
        while k < edits.count {
            // Edits whose contexts touch share a hunk.
            var last = k
            while last + 1 < edits.count, edits[last + 1].a.lowerBound - edits[last].a.upperBound <= 2 * context { last += 1 }
            let startA = max(0, edits[k].a.lowerBound - context), endA = min(linesA.count, edits[last].a.upperBound + context)
            let startB = edits[k].b.lowerBound - (edits[k].a.lowerBound - startA)
            let endB = edits[last].b.upperBound + (endA - edits[last].a.upperBound)
            let bytesA = span(linesA, startA..<endA, c.a.count), bytesB = span(linesB, startB..<endB, c.b.count)
            out += "@@ -\(header(startA, endA - startA)) +\(header(startB, endB - startB)) @@\(counts(shown, bytesA, bytesB))\n"
            var lineA = startA
            let escape = options.escapeControls
            for e in edits[k...last] {
                for n in lineA..<e.a.lowerBound { out += line(" ", c.a, linesA[n], escape) }
                for n in e.a { out += line("-", c.a, linesA[n], escape) }
                for n in e.b { out += line("+", c.b, linesB[n], escape) }
                lineA = e.a.upperBound
            }
            for n in lineA..<endA { out += line(" ", c.a, linesA[n], escape) }
            k = last + 1
        }
        return out
    }

    /// Byte ranges of the lines of `bytes`, each with its line feed.
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (k, byte) in bytes.enumerated() where byte == 0x0A { out.append(start..<(k + 1)); start = k + 1 }
        if start < bytes.count { out.append(start..<bytes.count) }
        return out
    }

    static func line(_ marker: String, _ bytes: [UInt8], _ r: Range<Int>, _ escape: Bool) -> String {
        let decoded = String(decoding: bytes[r], as: UTF8.self)
        let text = escape ? ControlCharacters.escaped(decoded) : decoded
        return r.upperBound > r.lowerBound && bytes[r.upperBound - 1] == 0x0A ? marker + text : marker + text + "\n\\ No newline at end of file\n"
    }

    /// `start,count` with diff's conventions: 1-based, and for an empty range the line before it.
    static func header(_ start: Int, _ count: Int) -> String { count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)" }

    static func span(_ lines: [Range<Int>], _ r: Range<Int>, _ total: Int) -> Range<Int> {
        guard !r.isEmpty else { return (r.lowerBound < lines.count ? lines[r.lowerBound].lowerBound : total)..<(r.lowerBound < lines.count ? lines[r.lowerBound].lowerBound : total) }
        return lines[r.lowerBound].lowerBound..<lines[r.upperBound - 1].upperBound
    }

    /// The editorial changes inside a hunk, by kind (a move's two halves count once each side).
    static func counts(_ changes: [Change], _ a: Range<Int>, _ b: Range<Int>) -> String {
        var byKind: [ChangeKind: Int] = [:]
        for change in changes where overlaps(change.a, a) || overlaps(change.b, b) {
            byKind[change.kind, default: 0] += 1
            for inner in change.inner where overlaps(inner.b, b) { byKind[inner.kind, default: 0] += 1 }
        }
        let text = [ChangeKind.accidental, .substantive, .boilerplate].compactMap { kind in byKind[kind].map { "\($0) \(kind.rawValue)" } }
        return text.isEmpty ? "" : " " + text.joined(separator: ", ")
    }

    static func overlaps(_ x: Range<Int>, _ y: Range<Int>) -> Bool {
        x.isEmpty ? (x.lowerBound >= y.lowerBound && x.lowerBound <= y.upperBound && !y.isEmpty) : x.overlaps(y)
    }
}
