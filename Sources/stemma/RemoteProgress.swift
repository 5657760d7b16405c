import Foundation
import Stemma

/// Transfer progress on stderr, as git shows it: a line redrawn in place (objects, bytes, rate)
/// while stderr is a terminal, and one closing line either way once anything moved.
final class RemoteProgress {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private var last: TransferProgress?

    /// The callback to give the library.
    var handler: (TransferProgress) -> Void { { [self] in self.update($0) } }

    private func update(_ progress: TransferProgress) {
        last = progress
        guard isTerminal, Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = Date()
        FileHandle.standardError.write(Data(("\r" + line(progress) + "\u{1B}[K").utf8))
    }

    /// Ends the progress display with its final figures (nothing when no object moved).
    func finish() {
        guard let last, last.objects > 0 || last.bytes > 0 else { return }
        FileHandle.standardError.write(Data(((isTerminal ? "\r" : "") + line(last) + ", done.\(isTerminal ? "\u{1B}[K" : "")\n").utf8))
    }

    private func line(_ p: TransferProgress) -> String {
        let verb = p.direction == .receiving ? "Receiving objects" : "Writing objects"
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        var text = "\(verb): "
        if p.totalObjects > 0 { text += "\(p.objects * 100 / p.totalObjects)% (\(p.objects)/\(p.totalObjects))" } else { text += "\(p.objects)" }
        // 0 bytes: not counted (libgit2's own push, still used for a non-bare repository on a path).
        if p.bytes > 0 { text += ", \(Self.size(Double(p.bytes))) | \(Self.size(Double(p.bytes) / seconds))/s" }
        return text
    }

    static func size(_ bytes: Double) -> String {
        if bytes < 1024 { return "\(Int(bytes)) bytes" }
        if bytes < 1024 * 1024 { return String(format: "%.2f KiB", bytes / 1024) }
        return String(format: "%.2f MiB", bytes / 1024 / 1024)
    }
}

/// A commit id as people read it in transfer reports.
func shortID(_ id: String?) -> String { id.map { String($0.prefix(10)) } ?? "(none)" }
