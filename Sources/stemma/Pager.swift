import Foundation

/// Output that goes through `$PAGER` (default `less -FRX`) when it is for a terminal and longer
/// than the screen, as git does; straight to stdout when piped or short. Lines are held back only
/// until they overflow one screen, so a long listing starts showing at once.
final class Pager {
    private var interactive: Bool
    private let screenRows: Int
    private let screenColumns: Int
    private var held: [String] = []
    private var heldRows = 0
    private var pager: Process?
    private var pipe: Pipe?
    /// Set when the pager has gone (the user quit it): the rest of the output is dropped.
    private(set) var closed = false

    init() {
        interactive = Output.stdoutIsTerminal
        (screenRows, screenColumns) = Pager.terminalSize()
    }

    func line(_ text: String = "") { write(text + "\n") }

    func write(_ text: String) {
        if closed { return }
        guard interactive else { Output.write(text); return }
        if let pipe { send(text, to: pipe); return }
        held.append(text)
        // A line wider than the screen takes several rows (characters stand in for columns).
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            heldRows += max(1, (line.count + screenColumns - 1) / screenColumns)
        }
        if heldRows >= screenRows { startPager() }
    }

    /// Flushes what is held (it fits the screen) or waits for the pager to exit.
    func finish() {
        if let pager, let pipe {
            try? pipe.fileHandleForWriting.close()
            pager.waitUntilExit()
        } else if !closed {
            Output.write(held.joined())
        }
        held = []
    }

    private func startPager() {
        let command = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        if environment["LESS"] == nil { environment["LESS"] = "FRX" }
        process.environment = environment
        let pipe = Pipe()
        process.standardInput = pipe
        // Quitting the pager early closes its end: writes then fail with EPIPE instead of killing us.
        signal(SIGPIPE, SIG_IGN)
        do { try process.run() } catch {
            Output.note("cannot start pager '\(command)': \(error.localizedDescription); printing directly")
            Output.write(held.joined()); held = []
            interactive = false // the rest goes straight to stdout
            return
        }
        self.pager = process
        self.pipe = pipe
        let text = held.joined()
        held = []
        send(text, to: pipe)
    }

    private func send(_ text: String, to pipe: Pipe) {
        let fd = pipe.fileHandleForWriting.fileDescriptor
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; closed = true; return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The terminal's rows and columns, else `$LINES` and `$COLUMNS`, else 24 × 80.
    private static func terminalSize() -> (rows: Int, columns: Int) {
        var size = winsize()
        let known = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0
        func environment(_ name: String, _ fallback: Int) -> Int {
            ProcessInfo.processInfo.environment[name].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? fallback
        }
        return (known && size.ws_row > 0 ? Int(size.ws_row) : environment("LINES", 24),
                known && size.ws_col > 0 ? Int(size.ws_col) : environment("COLUMNS", 80))
    }
}
