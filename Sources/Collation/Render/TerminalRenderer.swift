/// The default view: B's text with A's changes inline, like `git diff --word-diff`.
/// Substantive changes in red and green, accidentals dimmed (hidden with --substantive-only),
/// boilerplate in cyan, moves numbered. Without colour, git's `[-…-]{+…+}` markers carry the same.
struct TerminalRenderer {
    let collation: Collation
    let options: RenderOptions

    enum Style: String { case red = "31", green = "32", dim = "2", struck = "2;9", cyan = "36", yellow = "33", bold = "1", magenta = "35" }

    /// Every piece of the texts goes through here: their control characters are shown escaped,
    /// so only the renderer's own colour codes reach the terminal.
    func paint(_ text: String, _ style: Style) -> String {
        let shown = ControlCharacters.escaped(text)
        return options.colour ? "\u{1B}[\(style.rawValue)m\(shown)\u{1B}[0m" : shown
    }

    func plain(_ bytes: ArraySlice<UInt8>) -> String { ControlCharacters.escaped(String(decoding: bytes, as: UTF8.self)) }

    func render() -> String {
        let c = collation
        let s = c.summary
        var out = paint("a: \(options.a.title) (\(c.a.count) bytes)", .bold) + "\n"
        out += paint("b: \(options.b.title) (\(c.b.count) bytes)", .bold) + "\n"
        let counts = ChangeKind.allCases.filter { !(options.substantiveOnly && $0 == .accidental) }
            .map { "\(s.kinds[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let sentences = s.sentenceCounts.filter { $0.count > 0 || $0.name == "unchanged" }.map { "\($0.count) \($0.name.replacingOccurrences(of: "_", with: " "))" }
        out += "similarity \(StatsRenderer.formatted(s.similarity)); \(counts); sentences: \(sentences.joined(separator: ", "))\n\n"
        var position = 0
        for change in c.changes {
            out += plain(c.a[position..<change.a.lowerBound])
            out += show(change)
            position = change.a.upperBound
        }
        out += plain(c.a[position...])
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    /// The moved-to text of a move with what changed inside it shown inline, as at top level.
    func withInnerChanges(_ move: Change) -> String {
        let b = collation.b
        var out = "", position = move.b.lowerBound
        for inner in move.inner where !(options.substantiveOnly && inner.kind == .accidental) {
            out += paint(String(decoding: b[position..<inner.b.lowerBound], as: UTF8.self), .green)
            out += show(inner)
            position = inner.b.upperBound
        }
        return out + paint(String(decoding: b[position..<move.b.upperBound], as: UTF8.self), .green)
    }

    func show(_ change: Change) -> String {
        let old = ControlCharacters.escaped(collation.aText(change)), new = ControlCharacters.escaped(collation.bText(change))
        switch change.kind {
        case .accidental:
            if options.substantiveOnly { return new }
            if change.changeClass == .whitespace && !options.colour { return new }
            // In colour the old form stays visible, dimmed and struck through, before the new: a
            // dropped comma would otherwise leave nothing on the screen.
            return options.colour ? paint(old, .struck) + paint(new, .dim) : "{~\(old)~>\(new)~}"
        case .boilerplate:
            let tag = "\u{27E8}\(change.changeClass.rawValue)\u{27E9}"
            return (old.isEmpty ? "" : paint("[-\(old)-]", .cyan)) + (new.isEmpty ? "" : paint("{+\(new)+}", .cyan)) + paint(tag, .cyan)
        case .substantive:
            let shownNew = change.inner.isEmpty ? paint(new, .green) : withInnerChanges(change)
            var text = (old.isEmpty ? "" : paint("[-\(old)-]", .red)) + (new.isEmpty ? "" : paint("{+", .green) + shownNew + paint("+}", .green))
            if let move = change.move {
                text += paint(old.isEmpty ? "\u{27E8}moved here: \(move)\u{27E9}" : "\u{27E8}moved away: \(move)\u{27E9}", .magenta)
            }
            return text
        }
    }
}
