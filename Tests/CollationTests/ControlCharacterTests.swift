import Testing
@testable import Collation

/// A text's control characters never reach the terminal: every text view shows them escaped.
@Suite struct ControlCharacterTests {
    let a = "The talks began.\u{1B}]0;owned\u{07} They ended\u{85}.\n"
    let b = "The talks began.\u{1B}[2J They ended on Friday\u{85}.\n"

    @Test func textViewsShowThemEscaped() {
        let c = Collator.collate(a, b)
        let options = RenderOptions(a: WitnessLabel(title: "a\u{1B}"), b: WitnessLabel(title: "b"), colour: true)
        let terminal = Renderers.render(c, as: .terminal, options: options)
        // The only ESC bytes left are the renderer's own colour codes (ESC [ digits m).
        let escs = terminal.unicodeScalars.indices.filter { terminal.unicodeScalars[$0] == "\u{1B}" }
        #expect(escs.allSatisfy { i in
            let rest = terminal.unicodeScalars[terminal.unicodeScalars.index(after: i)...].prefix(6)
            return rest.first == "[" && rest.dropFirst().prefix { $0 != "m" }.allSatisfy { ($0 >= "0" && $0 <= "9") || $0 == ";" }
        })
        #expect(terminal.contains("\\x1B") && terminal.contains("\\x07") && terminal.contains("\\u0085"))
        #expect(!terminal.unicodeScalars.contains("\u{07}") && !terminal.unicodeScalars.contains("\u{85}"))
        for format in [DiffFormat.hunks, .html] {
            let out = Renderers.render(c, as: format, options: options)
            #expect(!out.unicodeScalars.contains { ControlCharacters.isShownEscaped($0) }, "\(format)")
        }
        #expect(Renderers.render(c, as: .html, options: options).contains("\u{241B}"))
        var toTerminal = options
        toTerminal.escapeControls = true
        #expect(!Renderers.render(c, as: .unified, options: toTerminal).unicodeScalars.contains { ControlCharacters.isShownEscaped($0) })
        // Written to a file, a patch keeps the exact bytes.
        #expect(Renderers.render(c, as: .unified, options: options).contains("\u{1B}[2J"))
    }

    @Test func tabsAndLineEndsAreLeftAlone() {
        #expect(ControlCharacters.escaped("a\tb\r\nc") == "a\tb\r\nc")
        #expect(ControlCharacters.escaped("\u{7F}\u{01}") == "\\x7F\\x01")
    }
}
