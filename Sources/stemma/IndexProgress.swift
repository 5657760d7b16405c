import Foundation

/// An index rebuild's progress on stderr (the library reports only rebuilds over a second):
/// one line redrawn in place on a terminal, the closing line alone otherwise.
enum IndexProgress {
    static func show(done: Int, total: Int, what: String = "edition records") {
        let terminal = isatty(STDERR_FILENO) == 1
        let finished = done >= total
        guard terminal || finished else { return }
        let text = "Indexing \(what): \(total == 0 ? 100 : done * 100 / total)% (\(done)/\(total))" + (finished ? ", done." : "")
        FileHandle.standardError.write(Data(((terminal ? "\r" : "") + text + (terminal ? "\u{1B}[K" : "") + (finished ? "\n" : "")).utf8))
    }
}
