import Git

/// Where things live inside a corpus's tree (see docs/FORMAT.md).
///
/// `stories/<a>/<b>/<c>/<story>/<SOURCE>.<edition>.txt` and `.json` beside it, where `abc` are
/// the first three hex digits of the story id's git blob id (`printf %s STORY | git hash-object --stdin`).
/// Three levels of 16 keep every tree a commit rewrites small (16 + 16 + 16 entries and one
/// leaf folder of stories), so the cost of a commit does not grow with the corpus.
public enum CorpusLayout {
    public static let storiesFolder = "stories"
    public static let descriptorPath = "stemma.json"
    public static let formatVersion = 1

    public static func storyFolder(_ story: String) -> String {
        let id = (try? Repository.blobID(of: Array(story.utf8)))?.hex ?? String(repeating: "0", count: 40)
        let u = Array(id.utf8)
        return "\(storiesFolder)/\(Character(Unicode.Scalar(u[0])))/\(Character(Unicode.Scalar(u[1])))/\(Character(Unicode.Scalar(u[2])))/\(story)"
    }

    public static func textPath(story: String, source: String, edition: String) -> String {
        "\(storyFolder(story))/\(source).\(edition).txt"
    }

    public static func recordPath(story: String, source: String, edition: String) -> String {
        "\(storyFolder(story))/\(source).\(edition).json"
    }

    /// Parses `stories/a/b/c/<story>/<SOURCE>.<edition>.json`; nil for any other path.
    public static func parseRecordPath(_ path: String) -> (story: String, source: String, edition: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == storiesFolder, parts[5].hasSuffix(".json") else { return nil }
        let file = parts[5].dropLast(5)
        guard let dot = file.firstIndex(of: ".") else { return nil }
        let edition = file[file.index(after: dot)...]
        guard edition.utf8.count == 40 else { return nil }
        return (String(parts[4]), String(file[..<dot]), String(edition))
    }

    /// The self-description committed at the root of every corpus.
    public static var descriptor: String {
        """
        {
          "format": "stemma-corpus",
          "version": \(formatVersion),
          "layout": "stories/<a>/<b>/<c>/<story>/<SOURCE>.<edition>.{txt,json}; abc = first 3 hex digits of the story id's git blob id"
        }

        """
    }
}
