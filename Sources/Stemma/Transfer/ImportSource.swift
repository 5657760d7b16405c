import Foundation
import Git

/// One edition read from an import source, before validation.
public struct ImportItem: Sendable {
    /// Where it came from, for messages: `manifest.jsonl:12` or a file path.
    public let location: String
    public let draft: EditionDraft
}

/// Streams the items of one import source: a JSONL manifest (plain or gzip-compressed, a file
/// or standard input) or a folder of `.txt` files with optional `.json` sidecars. Nothing is
/// loaded whole but one text.
///
/// A manifest's `path`s are read from the manifest's own folder (standard input's: the current
/// folder), and must stay inside it, symbolic links resolved, unless `allowOutside`: a manifest
/// from elsewhere must not be able to read any file its importer can.
public struct ImportSource: Sendable {
    /// The file or folder read (for standard input, a private copy of it).
    public let path: String
    /// How messages name it.
    public let name: String
    /// The folder paths resolve against and must stay inside.
    let base: String
    /// `base` with symbolic links resolved, worked out once (a `realpath` per item showed in profiles).
    private let realBase: String
    public var allowOutside = false
    private let spool: SpoolFile?

    public init(path: String, allowOutside: Bool = false) {
        self.path = path
        self.name = path // as given, as git names files: two manifests may share a name
        self.allowOutside = allowOutside
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) && isDirectory.boolValue
        base = URL(fileURLWithPath: isFolder ? absolute : (absolute as NSString).deletingLastPathComponent).standardizedFileURL.path
        realBase = FilePaths.real(base) ?? base
        spool = nil
    }

    /// A manifest read from standard input, whose paths resolve against the current folder.
    /// Standard input is copied aside first, because an import reads its sources twice (a check,
    /// then the writes).
    public static func standardInput(allowOutside: Bool = false) throws -> ImportSource {
        let spool = try SpoolFile(copying: FileHandle.standardInput)
        return ImportSource(spool: spool, allowOutside: allowOutside)
    }

    private init(spool: SpoolFile, allowOutside: Bool) {
        self.path = spool.path
        self.name = "stdin"
        self.base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        self.realBase = FilePaths.real(base) ?? base
        self.allowOutside = allowOutside
        self.spool = spool
    }

    /// The longest manifest line that can hold a text of `maxBytes` bytes, however its JSON
    /// escapes it (`\u00e9` is six bytes for two), plus room for the metadata.
    static func maxLineBytes(forTexts maxBytes: Int) -> Int {
        maxBytes > (Int.max - 65_536) / 6 ? Int.max : maxBytes * 6 + 65_536
    }

    /// Calls `body` with each item, or with the error that made a line unusable. Throws when
    /// the source itself cannot be read to its end (missing, unreadable, a truncated `.gz`).
    public func forEach(maxBytes: Int = EditionText.defaultMaxBytes, _ body: (Result<ImportItem, StemmaError>) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StemmaError.user("\(path): no such file or folder")
        }
        // One edition's text is not a manifest: read as one, each of its lines would be a bad item.
        if !isDirectory.boolValue && path.lowercased().hasSuffix(".txt") {
            throw StemmaError.user("\(path) is a text, not a manifest: record it with 'stemma commit \(path)', or import a folder of texts or a JSON Lines manifest")
        }
        if isDirectory.boolValue { try forEachFile(body) } else { try forEachLine(maxBytes: maxBytes, body) }
    }

    private func forEachLine(maxBytes: Int, _ body: (Result<ImportItem, StemmaError>) throws -> Void) throws {
        let reader: LineReader
        let limit = Self.maxLineBytes(forTexts: maxBytes)
        do { reader = try LineReader(path: path, maxLineBytes: limit) } catch { throw StemmaError.user("\(name): cannot be read") }
        var number = 0
        while true {
            let next: LineReader.Line?
            do {
                next = try reader.nextLine()
            } catch let error as GitError {
                let message = error.message.hasPrefix(path + ": ") ? String(error.message.dropFirst(path.count + 2)) : error.message
                throw StemmaError.user("\(name): \(message), after \(number) line(s); nothing imported from it")
            }
            guard let next else { break }
            number += 1
            let location = "\(name):\(number)"
            switch next {
            case .tooLong(let length):
                try body(.failure(.user("\(location): line of \(length) bytes is longer than any line holding a text within --max-bytes \(maxBytes)")))
            case .line(let line):
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                do {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                        throw StemmaError.user("\(location): not a JSON object")
                    }
                    try body(.success(ImportItem(location: location, draft: try draft(from: object, location: location, keysIn: .manifestLine))))
                } catch let error as StemmaError {
                    try body(.failure(error))
                }
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
                    try checkInside(sidecar, shown: String(relative.dropLast(4)) + ".json", location: file)
                    guard let data = FileManager.default.contents(atPath: sidecar),
                          let parsed = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
                        throw StemmaError.user("\(sidecar): not a JSON object")
                    }
                    object = parsed
                }
                object["path"] = relative // read from the folder, as a manifest's paths are from its folder
                if object["story"] == nil {
                    // Without a sidecar, the folder a text is in names its story.
                    object["story"] = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
                }
                try body(.success(ImportItem(location: file, draft: try draft(from: object, location: file, keysIn: .sidecar))))
            } catch let error as StemmaError {
                try body(.failure(error))
            }
        }
    }

    /// Refuses `file` when it (symbolic links resolved) is outside `base`, unless allowed.
    private func checkInside(_ file: String, shown: String, location: String) throws {
        guard !allowOutside, let real = FilePaths.real(file) else { return }
        guard !(real == realBase || real.hasPrefix(realBase == "/" ? "/" : realBase + "/")) else { return }
        throw StemmaError.user("\(location): \(printable(shown)) is outside \(base); refused (--allow-outside reads it)")
    }

    private func draft(from object: [String: Any], location: String, keysIn place: EditionDraft.FieldPlace) throws -> EditionDraft {
        var unset: Set<MetadataField> = []
        func string(_ key: String) throws -> String? {
            guard let value = object[key] else { return nil }
            if value is NSNull {
                // An explicit null removes the field from a record this line updates.
                if let field = MetadataField(rawValue: key) { unset.insert(field) }
                return nil
            }
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
            try checkInside(file, shown: relative, location: location)
            guard let data = FileBytes.read(file) else {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory)
                let why = !exists ? "no such file" : isDirectory.boolValue ? "is a folder, not a file" : "cannot be read"
                throw StemmaError.user("\(location): \(printable(relative)): \(why)")
            }
            bytes = data
        } else {
            throw StemmaError.user("\(location): needs 'path' or 'text'")
        }
        var draft = EditionDraft(bytes: bytes, name: location, story: story, source: try string("source"), date: try string("date"),
                                 title: try string("title"), url: try string("url"), derivedFrom: try string("derived_from"),
                                 language: try string("language"))
        draft.unset = unset
        draft.fieldsGivenIn = place
        return draft
    }
}

/// A private copy of a stream in the temporary folder, removed with the last reference to it.
final class SpoolFile: Sendable {
    let path: String

    init(copying input: FileHandle) throws {
        path = NSTemporaryDirectory() + "stemma-stdin-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw StemmaError.user("cannot copy standard input to \(path)")
        }
        defer { try? out.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
