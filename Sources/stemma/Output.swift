import JSON
import Foundation
import Stemma

/// Writing to the terminal. Everything the commands print goes through here.
enum Output {
    static func line(_ text: String = "") { write(text + "\n") }

    static func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    static func bytes(_ bytes: [UInt8]) { FileHandle.standardOutput.write(Data(bytes)) }

    static func json(_ value: JSONValue) { line(value.rendered(pretty: true)) }

    /// A note for the user that is not the command's result (stderr, so pipes stay clean).
    /// A note on stderr, on one line whatever it quotes (a file name may hold a line feed).
    static func note(_ text: String) { FileHandle.standardError.write(Data("stemma: \(oneLine(text))\n".utf8)) }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("stemma: \(oneLine(message))\n".utf8))
        exit(code)
    }

    private static func oneLine(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: " ") }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// `text` as one shell word, so a command line printed for the user can be pasted back.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./:,=+@%~".unicodeScalars.contains($0)
        }
        if plain && !text.hasPrefix("~") { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Reads a whole input file, or standard input for "-".
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StemmaError.user("\(path): no such file")
        }
        if isDirectory.boolValue { throw StemmaError.user("\(path): is a folder, not a file") }
        // Read to its end through a handle: a device or pipe (`/dev/null`, `<(…)`) reads too.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StemmaError.user("\(path): cannot be read") }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw StemmaError.user("\(path): cannot be read")
        }
    }
}
