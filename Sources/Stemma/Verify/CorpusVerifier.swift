import Foundation
import Git

/// One thing `verify` found wrong, with where it is.
public struct VerifyProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// An object git cannot read back under its id (a damaged loose file or pack entry), or a damaged pack file.
        case object
        /// A record that breaks docs/FORMAT.md (fields, types, id, size, date, parent).
        case record
        /// A file where the layout has none, or an edition's text without its record (or the reverse).
        case layout
        /// A commit whose trailers do not describe what it changed.
        case trailers
        /// The derived index disagrees with git.
        case index
    }
    public let kind: Kind
    /// The path in the tree (or in the repository folder, for pack files).
    public let path: String
    /// The commit that last wrote `path`, where one did.
    public let commit: String?
    public let message: String
}

/// What `verify` looked at and what it found.
public struct VerifyReport: Sendable {
    public var problems: [VerifyProblem] = []
    public var commits = 0
    public var objects = 0
    public var records = 0
    public var isClean: Bool { problems.isEmpty }
}

extension Corpus {
    /// Checks the whole corpus against git and docs/FORMAT.md: every object reachable from
    /// `main` read back under its id, every pack file's checksum, every record's fields (the
    /// `edition` matching its file name and text blob, `bytes` the text's size, a real date,
    /// `derived_from` an edition of this corpus, no derivation cycles), the layout, each Stemma
    /// commit's trailers against what it changed, and the derived index against `main`.
    /// Changes nothing (the index is brought up to date first, as any command would). Bounds
    /// libgit2's caches for the rest of the process (`GitLibrary.limitCachesForOneReadOfEverything`):
    /// at 10^5 editions they otherwise held 1.5 GB.
    public func verify() throws -> VerifyReport {
        GitLibrary.limitCachesForOneReadOfEverything()
        var verifier = CorpusVerifier(repository: repository)
        try gitCall { try verifier.checkHistory() }
        try gitCall { try verifier.checkRecords() }
        verifier.checkIndex(self)
        return verifier.report
    }
}

struct CorpusVerifier {
    let repository: Repository
    var report = VerifyReport()
    /// The commit that last wrote each path, from the history walk.
    private var lastWriter: [String: String] = [:]
    private var seen = Set<ObjectID>()
    /// The records on main: path → parsed fields, for the index comparison.
    private var records: [String: EditionRecord] = [:]
    /// Records on main that could not be read or parsed (reported already): the index may list
    /// them, and that is not a second problem.
    private var unreadable = Set<String>()

    init(repository: Repository) { self.repository = repository }

    mutating func add(_ kind: VerifyProblem.Kind, _ path: String, _ commit: String?, _ message: String) {
        report.problems.append(VerifyProblem(kind: kind, path: path, commit: commit, message: message))
    }

    // MARK: objects and trailers

    /// Walks every commit on main oldest first, reads back every object it adds, and holds its
    /// trailers against its change.
    mutating func checkHistory() throws {
        for (file, problem) in repository.damagedPackFiles() { add(.object, file, nil, problem) }
        guard let tip = try repository.referenceTarget(Corpus.mainRef) else { return }
        var commits: [ObjectID] = []
        do { try repository.walkCommits(from: tip) { commits.append($0); return true } } catch let error as GitError {
            add(.object, "(history)", tip.hex, "the history of main cannot be walked: \(error.message)")
        }
        for id in commits {
            report.commits += 1
            let commit: Commit
            do {
                try repository.verifyObject(id)
                commit = try repository.commit(id)
            } catch let error as GitError {
                add(.object, "(commit)", id.hex, "commit object unreadable: \(error.message)")
                continue
            }
            let parentTree: ObjectID?
            do {
                parentTree = try commit.parents.first.map { try repository.commit($0).tree }
                try verify(commit.tree, path: "(root tree)", commit: id.hex)
            } catch let error as GitError {
                add(.object, "(tree)", id.hex, "tree unreadable: \(error.message)"); continue
            }
            let deltas: [TreeDelta]
            do { deltas = try repository.diffTrees(parentTree, commit.tree) } catch let error as GitError {
                add(.object, "(tree)", id.hex, "a tree below the root is unreadable: \(error.message)"); continue
            }
            for delta in deltas {
                lastWriter[delta.path] = id.hex
                if let blob = delta.newID { try verify(blob, path: delta.path, commit: id.hex) }
            }
            if commit.parents.count <= 1 { checkTrailers(commit, deltas) }
        }
    }

    private mutating func verify(_ id: ObjectID, path: String, commit: String) throws {
        guard seen.insert(id).inserted else { return }
        report.objects += 1
        do { try repository.verifyObject(id) } catch let error as GitError {
            add(.object, path, commit, "object \(id) cannot be read back under its id: \(error.message)")
        }
    }

    /// A commit with Stemma trailers must record the edition they name, as they describe it.
    private mutating func checkTrailers(_ commit: Commit, _ deltas: [TreeDelta]) {
        let trailers = Dictionary(Trailers.parse(commit.message).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let edition = trailers["Edition"], let story = trailers["Story"], let source = trailers["Source"] else { return }
        let path = CorpusLayout.recordPath(story: story, source: source, edition: edition)
        // `stemma rm` commits name the record they remove (`Trailers.message(for:action: "Remove")`).
        if commit.message.hasPrefix("Remove ") {
            if !deltas.contains(where: { $0.path == path && $0.status == .deleted }) {
                add(.trailers, path, commit.id.hex, "the commit's trailers name edition \(edition) of \(story) (\(source)) as removed, but it does not remove it")
            }
            return
        }
        guard let delta = deltas.first(where: { $0.path == path }), let blob = delta.newID else {
            add(.trailers, path, commit.id.hex, "the commit's trailers name edition \(edition) of \(story) (\(source)), but it does not record it")
            return
        }
        guard let bytes = try? repository.blobBytes(blob), let record = try? EditionRecord.parse(bytes, path: path) else { return }
        if let date = trailers["Date"], date != record.metadata.date {
            add(.trailers, path, commit.id.hex, "trailer Date: \(date) but the record says \(record.metadata.date)")
        }
        if trailers["Derived-From"] != record.metadata.derivedFrom {
            add(.trailers, path, commit.id.hex, "trailer Derived-From: \(trailers["Derived-From"] ?? "(none)") but the record says \(record.metadata.derivedFrom ?? "(none)")")
        }
    }

    // MARK: records and layout

    mutating func checkRecords() throws {
        guard let tip = try repository.referenceTarget(Corpus.mainRef) else {
            add(.layout, "refs/heads/main", nil, "the corpus has no main branch"); return
        }
        let tree = try repository.commit(tip).tree
        var blobs: [String: ObjectID] = [:]
        do { try repository.forEachBlob(in: tree) { blobs[$0] = $1 } } catch let error as GitError {
            add(.object, "(tree)", tip.hex, "main's tree cannot be read: \(error.message)"); return
        }
        if blobs[CorpusLayout.descriptorPath] == nil { add(.layout, CorpusLayout.descriptorPath, tip.hex, "the corpus descriptor is missing") }
        var parents: [String: String] = [:] // edition → derived_from
        var editions = Set<String>()
        for (path, _) in blobs where path != CorpusLayout.descriptorPath {
            if path.hasSuffix(".txt"), CorpusLayout.parseRecordPath(String(path.dropLast(4)) + ".json") != nil {
                if blobs[String(path.dropLast(4)) + ".json"] == nil { add(.layout, path, lastWriter[path], "an edition text without its record") }
                continue
            }
            guard let key = CorpusLayout.parseRecordPath(path) else {
                add(.layout, path, lastWriter[path], "not a place the corpus layout has (docs/FORMAT.md)"); continue
            }
            editions.insert(key.edition)
        }
        for (path, id) in blobs.sorted(by: { $0.key < $1.key }) {
            guard let key = CorpusLayout.parseRecordPath(path) else { continue }
            report.records += 1
            let commit = lastWriter[path]
            guard let bytes = try? repository.blobBytes(id) else { unreadable.insert(path); continue } // reported as an object problem
            let textPath = String(path.dropLast(5)) + ".txt"
            var textProblems: [String] = []
            let problems = RecordCheck.problems(bytes, key: key, path: path, text: blobs[textPath],
                                                repository: repository, editions: editions, textProblems: &textProblems)
            for message in problems { add(.record, path, commit, message) }
            // A text changed without its record is named with the commit that changed the text.
            for message in textProblems { add(.record, textPath, lastWriter[textPath] ?? commit, message) }
            if let record = try? EditionRecord.parse(bytes, path: path) {
                records[path] = record
                if let parent = record.metadata.derivedFrom { parents[key.edition] = parent }
            } else {
                unreadable.insert(path)
            }
        }
        // Derivation must be a forest: follow each chain and report one that comes back.
        var reported = Set<String>()
        for start in parents.keys.sorted() {
            var visited: [String] = [start]
            var current = parents[start]
            while let next = current, visited.count <= parents.count {
                if next == start {
                    let cycle = Set(visited)
                    if reported.isDisjoint(with: cycle) {
                        reported.formUnion(cycle)
                        let path = records.first { $0.value.edition == start }?.key ?? start
                        add(.record, path, lastWriter[path], "derived_from makes a cycle: \(visited.map { String($0.prefix(12)) }.joined(separator: " → ")) → \(start.prefix(12))")
                    }
                    break
                }
                visited.append(next)
                current = parents[next]
            }
        }
    }

    // MARK: the derived index

    mutating func checkIndex(_ corpus: Corpus) {
        let index: CorpusIndex
        do { index = try corpus.index() } catch {
            add(.index, CorpusIndex.fileName, nil, "the index cannot be brought up to date: \(error)"); return
        }
        var rows: [String: LoggedEdition] = [:]
        do {
            try index.forEachEdition { e in
                rows[CorpusLayout.recordPath(story: e.metadata.story, source: e.metadata.source, edition: e.edition)] = e
            }
        } catch { add(.index, CorpusIndex.fileName, nil, "the index cannot be read: \(error)"); return }
        for (path, record) in records.sorted(by: { $0.key < $1.key }) {
            guard let row = rows.removeValue(forKey: path) else {
                add(.index, path, lastWriter[path], "a record on main that the index does not list"); continue
            }
            var expected = record
            (expected.edition, expected.metadata.story, expected.metadata.source) = (row.edition, row.metadata.story, row.metadata.source)
            if row.record != expected { add(.index, path, lastWriter[path], "the index's row differs from the record on main") }
            if ObjectID(hex: row.commit).map({ repository.contains($0) }) != true {
                add(.index, path, row.commit, "the index names commit \(row.commit), which is not in the corpus")
            }
        }
        for path in rows.keys.sorted() where !unreadable.contains(path) { add(.index, path, nil, "the index lists a record that is not on main") }
    }
}

/// One record against docs/FORMAT.md: every rule a record file must keep.
enum RecordCheck {
    static func problems(_ bytes: [UInt8], key: (story: String, source: String, edition: String), path: String,
                         text: ObjectID?, repository: Repository, editions: Set<String>, textProblems: inout [String]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return ["not a JSON object: the record cannot be read"]
        }
        var out: [String] = []
        let strings = ["edition", "story", "source", "date", "title", "url", "derived_from", "language"]
        for name in ["edition", "story", "source", "date", "bytes"] where object[name] == nil { out.append("field '\(name)' is missing") }
        for name in strings { if let value = object[name], !(value is String) { out.append("field '\(name)' is not a string") } }
        for name in object.keys where !strings.contains(name) && name != "bytes" { out.append("unknown field '\(name)'") }
        let edition = object["edition"] as? String
        if let edition, edition != key.edition { out.append("edition \(edition) does not match the file name's \(key.edition)") }
        if let story = object["story"] as? String, story != key.story { out.append("story '\(story)' does not match the folder's '\(key.story)'") }
        if let source = object["source"] as? String, source != key.source { out.append("source '\(source)' does not match the file name's '\(key.source)'") }
        if let slash = path.lastIndex(of: "/"), path[..<slash] != CorpusLayout.storyFolder(key.story) {
            out.append("the story's folder is not where the layout puts \(key.story)")
        }
        if let date = object["date"] as? String, !EditionMetadata.isValidDate(date) { out.append("date '\(date)' is not a real date written YYYY-MM-DD") }
        var size: Int?
        if let value = object["bytes"] {
            if let number = value as? NSNumber, !(value is Bool), number.doubleValue == Double(number.intValue), number.intValue >= 0 {
                size = number.intValue
            } else { out.append("field 'bytes' is not a whole number") }
        }
        if let text {
            if text.hex != key.edition { textProblems.append("the text has blob id \(text.hex), not the edition id \(key.edition) its name and record give") }
            if let size, let actual = try? repository.blobBytes(text).count, actual != size {
                out.append("bytes says \(size) but the text has \(actual)")
            }
        } else {
            out.append("the edition's text (\(key.source).\(key.edition).txt) is missing")
        }
        if let parent = object["derived_from"] as? String {
            if parent.utf8.count != 40 || !parent.utf8.allSatisfy(isLowerHex) { out.append("derived_from '\(parent)' is not a 40-digit edition id") }
            else if !editions.contains(parent) { out.append("derived_from \(parent) is not an edition of this corpus") }
        }
        let m = EditionMetadata(story: key.story, source: key.source, date: EditionMetadata.isValidDate(object["date"] as? String ?? "") ? object["date"] as! String : "2000-01-01",
                                title: object["title"] as? String, url: object["url"] as? String, derivedFrom: nil,
                                language: object["language"] as? String)
        do { try m.validate() } catch { out.append("\(error)") }
        return out
    }
}
