/// The commit message Stemma writes for an edition: a readable subject and git trailers
/// (`Story:`, `Source:` …) so that plain `git log` tells the provenance without Stemma.
public enum Trailers {
    public static func message(for record: EditionRecord, action: String = "Add") -> String {
        let m = record.metadata
        var subject = "\(action) \(m.source) edition of \(m.story) (\(m.date))"
        if let title = m.title { subject += ": \(title)" }
        var lines = [subject, "", "Story: \(m.story)", "Source: \(m.source)", "Date: \(m.date)", "Edition: \(record.edition)"]
        if let d = m.derivedFrom { lines.append("Derived-From: \(d)") }
        if let t = m.title { lines.append("Title: \(t)") }
        if let u = m.url { lines.append("Url: \(u)") }
        if let l = m.language { lines.append("Language: \(l)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The trailers of a message, in order (`Key: value` lines of its last paragraph).
    public static func parse(_ message: String) -> [(key: String, value: String)] {
        let paragraphs = message.split(separator: "\n\n", omittingEmptySubsequences: true)
        guard paragraphs.count > 1, let last = paragraphs.last else { return [] }
        var out: [(String, String)] = []
        for line in last.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "-" }) else { return [] }
            out.append((String(key), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return out
    }
}

import Foundation
