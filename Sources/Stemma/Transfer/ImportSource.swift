import Foundation
import Git

/// One edition read from an import source, before validation.
public struct ImportItem: Sendable {
    /// Where it came from, for messages: `manifest.jsonl:12` or a file path.
    public let location: String
    public let draft: EditionDraft
}

/// Streams the items of one import source: a JSONL manifest (plain or gzip-compressed) or a
/// folder of `.txt` files with optional `.json` sidecars. Nothing is loaded whole but one text.
public struct ImportSource: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `body` with each item, or with the error that made a line unusable.
    public func forEach(_ body: (Result<ImportItem, StemmaError>) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StemmaError.user("\(path): no such file or folder")
        }
        if isDirectory.boolValue { try forEachFile(body) } else { try forEachLine(body) }
    }

    private func forEachLine(_ body: (Result<ImportItem, StemmaError>) throws -> Void) throws {
        let reader: LineReader
        do { reader = try LineReader(path: path) } catch { throw StemmaError.user("\(path): cannot be read") }
        let base = (path as NSString).deletingLastPathComponent
        var number = 0
        while true {
            let next: ArraySlice<UInt8>?
            do { next = try reader.nextLine() } catch let error as GitError { throw StemmaError.user(error.message) }
            guard let line = next else { break }
            number += 1
            let location = "\((path as NSString).lastPathComponent):\(number)"
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            do {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw StemmaError.user("\(location): not a JSON object")
                }
                try body(.success(ImportItem(location: location, draft: try draft(from: object, location: location, base: base))))
            } catch let error as StemmaError {
                try body(.failure(error))
            }
        }
    }

    private func forEachFile(_ body: (Result<ImportItem, StemmaError>) throws -> Void) throws {
        guard let walker = FileManager.default.enumerator(atPath: path) else { throw StemmaError.user("\(path): cannot be read") }
        var texts: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".txt") { texts.append(relative) }
        }
        for relative in texts.sorted() {
            let file = path + "/" + relative
            do {
                let sidecar = String(file.dropLast(4)) + ".json"
                var object: [String: Any] = [:]
                if FileManager.default.fileExists(atPath: sidecar) {
                    guard let data = FileManager.default.contents(atPath: sidecar),
                          let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                        throw StemmaError.user("\(sidecar): not a JSON object")
                    }
                    object = parsed
                }
                object["path"] = file
                if object["story"] == nil {
                    // Without a sidecar, the folder a text is in names its story.
                    object["story"] = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
                }
                try body(.success(ImportItem(location: file, draft: try draft(from: object, location: file, base: path))))
            } catch let error as StemmaError {
                try body(.failure(error))
            }
        }
    }

    private func draft(from object: [String: Any], location: String, base: String) throws -> EditionDraft {
        func string(_ key: String) throws -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let s = value as? String else { throw StemmaError.user("\(location): '\(key)' must be a string") }
            return s
        }
        // Without a story, the import matches the text to one (Matching/ImportMatcher.swift).
        let story = try string("story") ?? StoryProposal.placeholder
        let bytes: [UInt8]
        if let text = try string("text") {
            bytes = Array(text.utf8)
        } else if let relative = try string("path") {
            let file = relative.hasPrefix("/") ? relative : base + "/" + relative
            guard let data = FileBytes.read(file) else {
                throw StemmaError.user("\(location): cannot read \(relative)")
            }
            bytes = data
        } else {
            throw StemmaError.user("\(location): needs 'path' or 'text'")
        }
        return EditionDraft(bytes: bytes, name: location, story: story, source: try string("source"), date: try string("date"),
                            title: try string("title"), url: try string("url"), derivedFrom: try string("derived_from"),
                            language: try string("language"))
    }
}
