import Foundation
import Testing
import TestSupport

/// `stemma diff` on input that is not text, or that would drive the terminal.
@Suite struct DiffInputTests {
    let folder = TemporaryFolder()

    @Test func nonUTF8InputIsRefusedWithTheByteOffset() throws {
        let good = folder.write("good.txt", "The talks began.\n")
        let bad = folder.write("bad.txt", Array("The talks".utf8) + [0xC3, 0x28] + Array(" began.\n".utf8))
        let r = try run(CLITests.binary, ["diff", good, bad], directory: folder.path)
        #expect(r.status == 1)
        #expect(r.stderr == "stemma: '\(bad)': not valid UTF-8 at byte offset 9\n", "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func controlCharactersAreEscapedOnTheTerminalView() throws {
        let a = folder.write("a.txt", "The talks began.\u{1B}[2J They ended.\n")
        let b = folder.write("b.txt", "The talks began.\u{1B}[2J They ended on Friday.\n")
        let r = try run(CLITests.binary, ["diff", a, b, "--color=always"], directory: folder.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out.contains("\\x1B[2J") && !r.out.contains("\u{1B}[2J"))
    }
}
