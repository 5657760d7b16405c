// A fuzz target over manifest reading (Tests/Fuzz/run.sh builds and runs it under libFuzzer).
// Built normally, it replays saved inputs: `stemma-fuzz-manifest FILE…`.
//
// The input is written as a manifest (gzip-compressed when it starts with gzip's magic bytes) in
// a folder of its own and read as `stemma import` reads it. Checked: reading ends (with items or
// a one-line error, never a crash), every non-blank line gives exactly one item or one error,
// each error names its line, and every item's draft can be prepared or refused with a message.
import Foundation
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
                guard item.location.hasPrefix("m.jsonl") else { fail("an item not named by its line: \(item.location)") }
                do { _ = try item.draft.prepared(maxBytes: 1 << 16) { $0 } } catch let error as StemmaError {
                    guard !"\(error)".isEmpty, !"\(error)".contains("\n") else { fail("a refusal that is not one line: \(error)") }
                } catch { fail("an error that is not a StemmaError: \(error)") }
            case .failure(let error):
                guard "\(error)".hasPrefix("m.jsonl"), !"\(error)".contains("\n") else { fail("a bad line not named, or not one line: \(error)") }
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

func fail(_ why: String) -> Never {
    FileHandle.standardError.write(Data("stemma-fuzz-manifest: \(why)\n".utf8))
    abort()
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("stemma_fuzz_manifest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
@main struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
            check([UInt8](data))
        }
    }
}
#endif
