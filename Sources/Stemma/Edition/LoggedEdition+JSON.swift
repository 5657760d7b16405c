import JSON
import Foundation

extension LoggedEdition {
    /// The `--json` form of a record, as `log` and `show --json` print it (docs/CLI.md).
    public var json: JSONValue {
        let m = metadata
        return .object([
            ("edition", .string(edition)), ("commit", .string(commit)), ("story", .string(m.story)),
            ("source", .string(m.source)), ("date", .string(m.date)), ("title", .optional(m.title)),
            ("url", .optional(m.url)), ("derived_from", .optional(m.derivedFrom)), ("language", .optional(m.language)),
            ("bytes", .int(record.bytes)), ("committed_at", .string(committedAtISO8601)), ("first_commit", .string(firstCommit)),
        ])
    }

    /// Commit time as ISO 8601 with its original offset, such as `2026-11-23T15:02:11+07:00`.
    public var committedAtISO8601: String {
        let shifted = Date(timeIntervalSince1970: TimeInterval(committedAt + Int64(offsetMinutes) * 60))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: shifted)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let off = abs(offsetMinutes)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year!)-\(two(c.month!))-\(two(c.day!))T\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!))\(sign)\(two(off / 60)):\(two(off % 60))"
    }
}
