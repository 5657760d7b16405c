// A fuzz target over the tokenizer and the whole collation (Tests/Fuzz/run.sh builds and runs it
// under libFuzzer). Built normally, it is a replayer: `stemma-fuzz-collation FILE…` runs the same
// checks on saved inputs (a crash libFuzzer found, say) and exits non-zero on the first failure.
//
// The input is split at its first 0xFF byte (never part of UTF-8), or in the middle, into A and B.
// Checked: the block tokenizer and the one-at-a-time tokenizer agree and give the text back; the
// change list obeys the reconstruction law; what changed inside a move lies inside its places;
// every renderer finishes.
import Collation
import Foundation
import FuzzSupport

func check(_ data: [UInt8]) {
    let cut = data.firstIndex(of: 0xFF) ?? data.count / 2
    let a = Array(data[..<cut]), b = Array(data[min(cut + 1, data.count)...])
    for text in [a, b] {
        let blocks = Tokenizer.tokenize(text), single = Tokenizer.tokenizeOneAtATime(text)
        guard blocks == single else { fail("the block and one-at-a-time tokenizers disagree", text) }
        guard blocks.flatMap({ text[$0.range] }) == text else { fail("tokens do not give the text back", text) }
    }
    let c = Collator.collate(a, b)
    var rebuilt: [UInt8] = [], position = 0, lastB = 0
    for change in c.changes {
        guard change.a.lowerBound >= position, change.b.lowerBound >= lastB, change.a.upperBound <= a.count, change.b.upperBound <= b.count
        else { fail("changes unsorted, overlapping or out of range", data) }
        rebuilt += a[position..<change.a.lowerBound] + b[change.b]
        position = change.a.upperBound; lastB = change.b.upperBound
        for inner in change.inner where !(change.b.contains(inner.b.lowerBound) || inner.b.lowerBound == change.b.upperBound) || inner.b.upperBound > change.b.upperBound {
            fail("an inner change outside its move", data)
        }
    }
    rebuilt += a[position...]
    guard rebuilt == b else { fail("the reconstruction law fails", data) }
    let options = RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"), colour: true)
    for format in DiffFormat.allCases { _ = Renderers.render(c, as: format, options: options) }
}

func fail(_ why: String, _ input: [UInt8]) -> Never { FuzzDriver.fail("stemma-fuzz-collation", "\(why) (input \(input.count) bytes)") }

#if FUZZING
// SwiftPM links an executable with its entry point renamed to `<module>_main`: under libFuzzer
// that entry hands over to libFuzzer's driver, which calls `check` for each input.
@_cdecl("stemma_fuzz_collation_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, name: "stemma-fuzz-collation", check: check)
}
#else
// (An `@main` type, not top-level code: SwiftPM then compiles the file as a library in both builds.)
@main struct Replay {
    static func main() { exit(FuzzDriver.run(CommandLine.argc, CommandLine.unsafeArgv, name: "stemma-fuzz-collation", check: check)) }
}
#endif
