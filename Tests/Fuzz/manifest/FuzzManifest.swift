// A fuzz target over manifest reading (Tests/Fuzz/run.sh builds and runs it under libFuzzer).
// Built normally, it replays saved inputs: `stemma-fuzz-manifest FILE…`.
//
// The input is written as a manifest (gzip-compressed when it starts with gzip's magic bytes) in
// a folder of its own and read as `stemma import` reads it. Checked: reading ends (with items or
// a one-line error, never a crash), every non-blank line gives exactly one item or one error,
// each error names its line, and every item's draft can be prepared or refused with a message.
import Foundation
import FuzzSupport
import Stemma

/// The folder manifests are written to, with one text they may name, made on first use.
let folder: String = {
    let folder = NSTemporaryDirectory() + "stemma-fuzz-manifest-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: folder + "/a.txt", contents: Data("date 2024-05-02 Hanoi (VNA) – A text.\n".utf8))
    return folder
}()

func check(_ data: [UInt8]) {
    let gzip = data.starts(with: [0x1F, 0x8B])
    let path = folder + (gzip ? "/m.jsonl.gz" : "/m.jsonl")
    guard FileManager.default.createFile(atPath: path, contents: Data(data)) else { fail("cannot write \(path)") }
    var results = 0
    do {
        try ImportSource(path: path).forEach(maxBytes: 1 << 16) { result in
            results += 1
            switch result {
            case .success(let item):
                guard item.location.hasPrefix(path) else { fail("an item not named by its line: \(item.location)") }
                do { _ = try item.draft.prepared(maxBytes: 1 << 16) { $0 } } catch let error as StemmaError {
                    guard !"\(error)".isEmpty, !"\(error)".contains("\n") else { fail("a refusal that is not one line: \(error)") }
                } catch { fail("an error that is not a StemmaError: \(error)") }
            case .failure(let error):
                guard "\(error)".hasPrefix(path), !"\(error)".contains("\n") else { fail("a bad line not named, or not one line: \(error)") }
            }
        }
    } catch let error as StemmaError {
        guard !"\(error)".contains("\n") else { fail("a failure that is not one line: \(error)") }
        return
    } catch { fail("an error that is not a StemmaError: \(error)") }
    if !gzip {
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let nonBlank = lines.filter { !$0.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }.count
        guard results == nonBlank else { fail("\(nonBlank) non-blank lines gave \(results) items and errors") }
    }
}

func fail(_ why: String) -> Never { FuzzDriver.fail("stemma-fuzz-manifest", why) }

#if FUZZING
// SwiftPM links an executable with its entry point renamed to `<module>_main`: under libFuzzer
// that entry hands over to libFuzzer's driver, which calls `check` for each input.
@_cdecl("stemma_fuzz_manifest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, name: "stemma-fuzz-manifest", check: check)
}
#else
// (An `@main` type, not top-level code: SwiftPM then compiles the file as a library in both builds.)
@main struct Replay {
    static func main() { exit(FuzzDriver.run(CommandLine.argc, CommandLine.unsafeArgv, name: "stemma-fuzz-manifest", check: check)) }
}
#endif
