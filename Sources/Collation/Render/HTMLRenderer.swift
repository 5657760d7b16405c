/// One self-contained page: a summary table, then A and B side by side, aligned by unit, with
/// every change coloured by kind and moved blocks linked to each other. No scripts, no fonts,
/// nothing loaded from anywhere.
struct HTMLRenderer {
    let collation: Collation
    let options: RenderOptions

    func render() -> String {
        let c = collation
        let s = c.summary
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escape(options.a.title)) → \(escape(options.b.title))</title>
        <style>
        body{font-family:Georgia,serif;margin:2em;color:#222;background:#fff}
        h1{font-size:1.3em} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.35em .6em;vertical-align:top}
        table.sbs{width:100%;table-layout:fixed} table.sbs td{white-space:pre-wrap;line-height:1.45}
        ins,del{text-decoration:none;border-radius:2px;padding:0 1px}
        .substantive del{background:#fdd;text-decoration:line-through} .substantive ins{background:#cfc}
        .accidental del{color:#999;text-decoration:line-through} .accidental ins{background:#eef;color:#446}
        .boilerplate del,.boilerplate ins{background:#dff3f8;color:#167}
        .move del,.move ins{background:#f3e0ff;outline:1px dashed #a6c} .move .accidental ins{background:#e4e4ff}
        tr.moved td{background:#fbf6ff} .empty{background:#f6f6f6}
        .legend span{margin-right:1em;padding:0 .4em}
        </style>
        </head>
        <body>
        <h1>\(escape(options.a.title)) → \(escape(options.b.title))</h1>
        <table class="summary">
        <tr><th>similarity</th><td>\(StatsRenderer.formatted(s.similarity))</td></tr>

        """
        for kind in [ChangeKind.substantive, .accidental, .boilerplate] {
            let classes = ChangeClass.allCases.filter { $0.kind == kind }.compactMap { cls in s.classes[cls].map { "\(cls.rawValue) \($0)" } }
            html += "<tr><th>\(kind.rawValue) (\(s.kinds[kind] ?? 0))</th><td>\(escape(classes.joined(separator: ", ")))</td></tr>\n"
        }
        html += "<tr><th>sentences</th><td>\(s.sentenceCounts.map { "\($0.count) \($0.name.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", "))</td></tr>\n</table>\n"
        html += "<p class=\"legend\"><span class=\"substantive\"><ins>substantive</ins></span><span class=\"accidental\"><ins>accidental</ins></span><span class=\"boilerplate\"><ins>boilerplate</ins></span><span class=\"move\"><ins>moved</ins></span></p>\n"
        html += "<table class=\"sbs\">\n<tr><th>\(escape(options.a.title))</th><th>\(escape(options.b.title))</th></tr>\n"
        let changes = Renderers.visible(c, options)
        for row in c.rows {
            let moved = row.move != nil
            html += moved ? "<tr class=\"moved\">" : "<tr>"
            html += cell(row.a, side: .a, changes: changes, move: row.move)
            html += cell(row.b, side: .b, changes: changes, move: row.move)
            html += "</tr>\n"
        }
        html += "</table>\n</body>\n</html>\n"
        return html
    }

    enum Side { case a, b }

    func cell(_ range: Range<Int>?, side: Side, changes: [Change], move: Int?) -> String {
        guard let range else { return "<td class=\"empty\"></td>" }
        var id = ""
        if let move { id = " id=\"move-\(move)-\(side == .a ? "a" : "b")\"" }
        var out = "<td\(id)>"
        if let move {
            let other = side == .a ? "b" : "a"
            out += "<a href=\"#move-\(move)-\(other)\">\(side == .a ? "moved to" : "moved from") ↔ \(move)</a> "
        }
        // Changes are sorted on both sides (B's positions grow with A's), so a row finds its first
        // change by binary search and stops after its last: the page costs O(rows log changes).
        var first = 0, past = changes.count
        while first < past {
            let mid = (first + past) / 2
            if (side == .a ? changes[mid].a : changes[mid].b).upperBound < range.lowerBound { first = mid + 1 } else { past = mid }
        }
        out += marked(range, side: side, changes: changes[first...])
        return out + "</td>"
    }

    /// The bytes of `range` on `side` with the changes in it marked; a move's own changes (its
    /// `inner` list) are marked inside it.
    func marked(_ range: Range<Int>, side: Side, changes: ArraySlice<Change>) -> String {
        let bytes = side == .a ? collation.a : collation.b
        var out = ""
        var position = range.lowerBound
        for change in changes {
            let r = side == .a ? change.a : change.b
            if r.lowerBound > range.upperBound || (r.lowerBound == range.upperBound && !r.isEmpty) { break }
            let lo = max(r.lowerBound, range.lowerBound), hi = min(r.upperBound, range.upperBound)
            guard lo < hi || (r.isEmpty && r.lowerBound > range.lowerBound && r.lowerBound < range.upperBound) else { continue }
            if lo < position { continue }
            out += escape(String(decoding: bytes[position..<lo], as: UTF8.self))
            let tag = side == .a ? "del" : "ins"
            let cls = change.move != nil ? "move" : change.kind.rawValue
            let text = change.inner.isEmpty ? escape(String(decoding: bytes[lo..<hi], as: UTF8.self))
                                            : marked(lo..<hi, side: side, changes: change.inner[...])
            out += "<span class=\"\(cls)\" title=\"\(change.kind.rawValue): \(change.changeClass.rawValue)\"><\(tag)>\(text)</\(tag)></span>"
            position = hi
        }
        out += escape(String(decoding: bytes[position..<range.upperBound], as: UTF8.self))
        return out
    }

    func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if let picture = ControlCharacters.pictured(ch) { out += picture } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}
