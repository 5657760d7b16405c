import Foundation
import JSON
import Stemma

/// How matches are printed, shared by `match`, `commit` and `import`.
enum MatchOutput {
    /// A share to three decimals, as JSON carries it.
    static func rounded(_ x: Double?) -> JSONValue { x.map { .double(($0 * 1000).rounded() / 1000) } ?? .null }

    static func json(_ m: EditionMatch) -> JSONValue {
        .object([("edition", .string(m.edition)), ("story", .string(m.story)), ("source", .string(m.source)),
                 ("date", .string(m.date)), ("score", rounded(m.score)), ("aligned", rounded(m.aligned)),
                 ("contained", rounded(m.contained))])
    }

    /// `commit --json`'s `matched`: null for a new story.
    static func matched(_ p: StoryProposal) -> JSONValue {
        guard let m = p.matched else { return .null }
        return .object([("story", .string(p.story)), ("score", rounded(m.score)), ("aligned", rounded(m.aligned)), ("contained", rounded(m.contained)),
                        ("edition", .string(m.edition)), ("derived_from", .optional(p.derivedFrom))])
    }

    static func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded()))%" } ?? "-" }

    /// Notes on stderr for the same-day editions not taken as the parent (`StoryProposal.passedOver`).
    static func passedOver(_ p: StoryProposal, source: String) -> [String] {
        p.passedOver.map {
            "not derived from \($0.source) edition \($0.edition.prefix(12)) of the same day: it credits \(source), so it more likely derives from this one"
        }
    }

    /// The note on stderr that says what the edition was attached to, and why.
    static func describe(_ p: StoryProposal, matching: Bool = true) -> String {
        guard let m = p.matched else { return matching ? "no story matched; new story \(p.story)" : "new story \(p.story) (--no-match)" }
        // The two shares the rule to join a story weighs (`MatchPolicy`), then the estimate; on the
        // estimate alone (an import's decisive one) there are no shares to show.
        let edition = "\(m.source) edition \(m.edition.prefix(12))"
        let why = m.aligned.map { "\(edition) aligns \(percent($0)) of its sentences and holds \(percent(m.contained)) of its text" } ?? edition
        var line = "matched story \(p.story): \(why) (shingle score \(String(format: "%.2f", m.score)))"
        if let parent = p.derivedFrom { line += "; derived from \(parent.prefix(12))" }
        return line
    }
}
