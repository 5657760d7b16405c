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
    /// Reads the path's bytes once, without splitting it or comparing Characters (an index
    /// rebuild asks this for every record).
    public static func parseRecordPath(_ path: String) -> (story: String, source: String, edition: String)? {
        let utf8 = path.utf8
        // The five slashes: after `stories`, after a, b and c, and after the story.
        var slashes: [String.Index] = []
        slashes.reserveCapacity(5)
        for i in utf8.indices where utf8[i] == UInt8(ascii: "/") {
            guard slashes.count < 5 else { return nil }
            slashes.append(i)
        }
        guard slashes.count == 5, utf8[..<slashes[0]].elementsEqual(storiesFolder.utf8) else { return nil }
        let file = utf8[utf8.index(after: slashes[4])...]
        guard file.count > 5, file.suffix(5).elementsEqual(".json".utf8) else { return nil }
        let stem = file.dropLast(5)
        guard let dot = stem.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let edition = stem[stem.index(after: dot)...]
        guard edition.count == 40 else { return nil }
        return (String(Substring(utf8[utf8.index(after: slashes[3])..<slashes[4]])), String(Substring(stem[..<dot])),
                String(Substring(edition)))
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
