import Foundation

/// A fresh folder under the system temporary folder, removed when the value is released.
public final class TemporaryFolder {
    public let path: String
    public init() {
        path = NSTemporaryDirectory() + "stemma-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}

/// What a finished process left behind.
public struct ProcessResult {
    public let status: Int32
    public let stdout: [UInt8]
    public let stderr: String
    public var out: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `executable` with `arguments` and waits; both pipes are drained on threads so a chatty
/// process cannot block on a full pipe.
public func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                environment: [String: String] = [:], input: [UInt8]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env["STEMMA_CORPUS"] = nil
    env["NO_COLOR"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    let outData = Box(), errData = Box()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    if let input { inPipe.fileHandleForWriting.write(Data(input)) }
    try? inPipe.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(status: process.terminationStatus, stdout: [UInt8](outData.data), stderr: String(decoding: errData.data, as: UTF8.self))
}

private final class Box: @unchecked Sendable { var data = Data() }

/// Runs the system `git`.
@discardableResult
public func git(_ arguments: [String], directory: String? = nil, input: [UInt8]? = nil) throws -> ProcessResult {
    try run("/usr/bin/git", arguments, directory: directory,
            environment: ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                          "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"], input: input)
}

/// The project's root folder (this file is Tests/TestSupport/TestSupport.swift).
public let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The real VNA/VNS sample pair in ../shared/samples, or nil where it is not present
/// (tests that need it are skipped there).
public enum SharedSamples {
    public static let folder = packageRoot + "/../shared/samples"
    public static var wirePath: String? { find(prefix: "vna-") }
    public static var newspaperPath: String? { find(prefix: "vns-") }
    public static var available: Bool { wirePath != nil && newspaperPath != nil }

    static func find(prefix: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.sorted().first { $0.hasPrefix(prefix) && $0.hasSuffix(".txt") }.map { folder + "/" + $0 }
    }

    public static func bytes(_ path: String?) -> [UInt8] {
        path.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } ?? []
    }
}

/// A small deterministic random generator (SplitMix64), so property tests are repeatable.
public struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Resident set size of this process in bytes (Linux /proc).
public func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Writes an executable script (a hook) at `path`, creating its folder. Opened close-on-exec:
/// tests run side by side, and a process another test starts while the file is open for writing
/// would otherwise keep that descriptor for its whole life, so running the script fails with
/// "Text file busy" (ETXTBSY).
public func writeExecutable(_ script: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    defer { close(fd) }
    let bytes = Array(script.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        written += n
    }
    guard fchmod(fd, 0o755) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
}
