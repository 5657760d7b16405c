// What every fuzz target shares: handing over to libFuzzer's driver (when built with
// -sanitize=fuzzer and -DFUZZING by Tests/Fuzz/run.sh), or replaying saved inputs otherwise.
import Foundation

public enum FuzzDriver {
    /// The check libFuzzer calls for each input (a C callback cannot capture it).
    nonisolated(unsafe) static var check: ([UInt8]) -> Void = { _ in }

    /// Runs `check` on each input libFuzzer generates, or on each file named in `arguments`.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, name: String,
                           check: @escaping ([UInt8]) -> Void) -> CInt {
        #if FUZZING
        Self.check = check
        var count = argc, arguments = argv
        return runFuzzerDriver(&count, &arguments) { data, size in
            FuzzDriver.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fail(name, "cannot read \(path)") }
            check([UInt8](data))
        }
        return 0
        #endif
    }

    /// A broken rule: said on stderr, then abort, which libFuzzer records as a finding.
    public static func fail(_ name: String, _ why: String) -> Never {
        FileHandle.standardError.write(Data("\(name): \(why)\n".utf8))
        abort()
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
