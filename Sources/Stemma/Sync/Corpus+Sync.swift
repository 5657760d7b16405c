import Foundation
import Git

/// What `fetch` brought: where the remote's `main` was and is now, as this corpus sees it.
public struct FetchOutcome: Sendable, Equatable {
    public let remote: String
    /// `refs/remotes/<remote>/main` before and after (nil: not fetched before).
    public let before: String?
    public let after: String
    /// Commits on the remote's `main` that local `main` does not have.
    public let commitsAhead: Int
}

/// What `push` did.
public struct PushOutcome: Sendable, Equatable {
    public let remote: String
    /// The remote's `main` before the push (nil: it had none), as it said over the network, else as
    /// last fetched (nil: unknown or new); and now.
    public let before: String?
    public let after: String
    public let forced: Bool
}

/// What `pull` did to local `main`.
public struct PullOutcome: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// The remote had nothing new.
        case upToDate = "up-to-date"
        /// Local `main` had nothing of its own: it now points at the remote's commit.
        case fastForward = "fast-forward"
        /// Both sides had new editions: a merge commit joins them.
        case merged
        /// Records changed on both sides; nothing was merged (see `conflicts`).
        case conflicted
    }
    public let action: Action
    public let remote: String
    /// Local `main` after the pull.
    public let main: String
    /// New editions `main` has from the remote.
    public let editionsFromRemote: Int
    /// Records both sides changed: unresolved for `.conflicted`, else how `--ours`/`--theirs` settled them.
    public let conflicts: [RecordConflict]
    /// Local `main` before the pull (nil: the corpus had none).
    public var before: String? = nil
    /// What the fetch brought: the remote's `main` and how many of its commits local `main` lacked.
    public var fetched: FetchOutcome? = nil
    /// Record files the pull took off `main` (the remote had removed them).
    public var editionsRemoved = 0
}

extension Corpus {
    // MARK: fetch

    /// Downloads the remote's `main` into `refs/remotes/<remote>/main`; local `main` is unchanged.
    @discardableResult
    public func fetch(remote name: String, progress: ((TransferProgress) -> Void)? = nil) throws -> FetchOutcome {
        let remote = try existingRemote(name)
        try Self.checkPathExists(remote.url, doing: "fetch from \(name)")
        try checkWritable()
        let ref = Self.trackingRef(name)
        let before = try gitCall { try repository.referenceTarget(ref) }
        let lock = TransferLock(repository: path) // and no unfinished pack from a killed fetch
        do {
            try withExtendedLifetime(lock) {
                if let source = try Self.localSource(remote.url) {
                    // A corpus on this machine: its object files are shared, as a clone of it shares
                    // them (libgit2's local transport would build a pack of every new object), and
                    // the tracking ref then moves to the `main` read before sharing.
                    try Self.share(source, into: repository, at: path, tracking: ref, message: "stemma fetch \(name)")
                } else {
                    try repository.fetch(remote: name, refspecs: ["+refs/heads/main:\(ref)"],
                                         credentials: Self.environmentCredentials, progress: progress)
                }
            }
        } catch let error as GitError {
            throw Self.transferError(error, remote: remote, verb: "fetch from")
        }
        guard let after = try gitCall({ try repository.referenceTarget(ref) }) else {
            throw StemmaError.corpus("remote \(name) (\(remote.url)) has no main branch: it is not a stemma corpus, or it is empty")
        }
        return FetchOutcome(remote: name, before: before?.hex, after: after.hex, commitsAhead: try commitsAhead(after))
    }

    /// Commits reachable from `tip` and not from local `main`.
    private func commitsAhead(_ tip: ObjectID) throws -> Int {
        var count = 0
        try gitCall {
            try repository.walkCommits(from: tip, hiding: try mainCommit().map { [$0] } ?? []) { _ in count += 1; return true }
        }
        return count
    }

    // MARK: push

    /// Sends local `main` to the remote's `main`. Refuses when the remote has commits this
    /// corpus lacks (pull first) unless `force`, which replaces them as `git push --force` does.
    @discardableResult
    public func push(remote name: String, force: Bool = false, progress: ((TransferProgress) -> Void)? = nil) throws -> PushOutcome {
        let remote = try existingRemote(name)
        try Self.checkPathExists(remote.url, doing: "push to \(name)")
        guard let main = try mainCommit() else { throw StemmaError.corpus("this corpus has no main branch to push") }
        let ref = Self.trackingRef(name)
        var before = try gitCall { try repository.referenceTarget(ref) }
        let rejected: [(reference: String, reason: String)]
        do {
            // A repository with a working tree is left to libgit2, which refuses as git does.
            if let target = try Self.localSource(remote.url), target.isBare {
                rejected = try pushByFiles(to: target, main: main, force: force)
                before = target.main // what the remote had, not what was last fetched
            } else if Repository.pushesOverNetwork(remote.url) {
                // Stemma's own receive-pack client: it copies stored pack entries (see `ReusingPackWriter`).
                // It reads every tree the remote lacks once: bounded caches took a 10^5 push from 1.57 GB to 1.06 GB, no slower.
                GitLibrary.limitCachesForOneReadOfEverything()
                let pushed = try repository.pushCommit(main, to: Self.mainRef, remote: name, force: force,
                                                       credentials: Self.environmentCredentials, progress: progress)
                (before, rejected) = (pushed.previous, pushed.rejected) // what the remote had, not what was last fetched
            } else {
                rejected = try repository.push(remote: name, refspecs: [(force ? "+" : "") + "\(Self.mainRef):\(Self.mainRef)"],
                                               credentials: Self.environmentCredentials, progress: progress)
            }
        } catch let error as GitError where error.isNonFastForward {
            throw StemmaError.user("push to \(name) rejected: its main has commits this corpus does not have; "
                + "run 'stemma pull \(name)' first (or push --force to replace them, which drops them from \(name))")
        } catch let error as GitError {
            throw Self.transferError(error, remote: remote, verb: "push to")
        }
        if let refusal = rejected.first {
            throw StemmaError.user("\(name) refused the push of \(refusal.reference): \(refusal.reason)")
        }
        // As git does: the remote-tracking reference now shows what the remote has.
        if (try? checkWritable()) != nil {
            try gitCall { try repository.forceReference(ref, to: main, message: "stemma push") }
        }
        return PushOutcome(remote: name, before: before?.hex, after: main.hex, forced: force)
    }

    /// A push to a bare repository on this machine: this corpus's object files are shared into it
    /// (see `ObjectFiles`; libgit2 would build the whole pack again), then its `main` moves by
    /// compare-and-swap from what it was, refused as git refuses when that is not a fast-forward
    /// (and, with `force`, when the repository sets `receive.denyNonFastForwards`). The remote's
    /// hooks do not run, as they did not through libgit2's local transport.
    private func pushByFiles(to target: LocalSource, main: ObjectID, force: Bool) throws -> [(reference: String, reason: String)] {
        let remote = try Repository.open(at: target.path)
        // Read before anything is written, so the swap below fails if another push lands meanwhile.
        let theirs = try remote.referenceTarget(Self.mainRef)
        let fastForward = try theirs.map { try repository.contains($0) && repository.isAncestor($0, of: main) } ?? true
        if !fastForward && !force { throw GitError.nonFastForward("push to \(target.path)") }
        if !fastForward, try remote.configString("receive.denyNonFastForwards")?.lowercased() == "true" {
            return [(Self.mainRef, "non-fast-forward updates are refused there (receive.denyNonFastForwards)")]
        }
        if theirs == main { return [] }
        let lock = TransferLock(repository: target.path)
        try withExtendedLifetime(lock) { _ = try ObjectFiles.share(from: path + "/objects", into: target.objects) }
        try remote.updateReference(Self.mainRef, to: main, expecting: theirs, message: "push from stemma")
        return []
    }

    // MARK: pull

    /// Fetches the remote's `main` and merges it into local `main` (see docs/DESIGN.md, "Sharing
    /// a corpus"): a fast-forward when local has nothing new, else a merge commit with both
    /// sides as parents. Records changed differently on both sides stop the pull with nothing
    /// changed (`.conflicted`) unless `resolution` says which side wins.
    public func pull(remote name: String, resolution: ConflictResolution = .none,
                     progress: ((TransferProgress) -> Void)? = nil) throws -> PullOutcome {
        let fetched = try fetch(remote: name, progress: progress)
        guard let theirs = ObjectID(hex: fetched.after) else { throw StemmaError.corpus("bad commit id from \(name)") }
        var outcome = try gitCall { try merge(theirs, from: name, resolution: resolution) }
        outcome.fetched = fetched
        if outcome.action == .fastForward || outcome.action == .merged, let before = outcome.before.flatMap(ObjectID.init(hex:)),
           let after = ObjectID(hex: outcome.main) {
            outcome.editionsRemoved = try gitCall {
                try repository.diffTrees(try repository.commit(before).tree, try repository.commit(after).tree).filter {
                    $0.status == .deleted && CorpusLayout.parseRecordPath($0.path) != nil
                }.count
            }
        }
        if outcome.action != .conflicted && outcome.action != .upToDate { _ = try index() } // derived data catches up now, not on next use
        return outcome
    }

    /// Merges commit `theirs` into `main`, retrying when another local writer moves main meanwhile.
    private func merge(_ theirs: ObjectID, from remote: String, resolution: ConflictResolution) throws -> PullOutcome {
        let mergeTool = CorpusMerge(repository: repository)
        while true {
            guard let ours = try repository.referenceTarget(Self.mainRef) else {
                try Self.moveMain(repository, to: theirs, expecting: nil, message: "stemma pull \(remote): fast-forward")
                return PullOutcome(action: .fastForward, remote: remote, main: theirs.hex,
                                   editionsFromRemote: try editionCount(theirs, hiding: nil), conflicts: [])
            }
            if try repository.isAncestor(theirs, of: ours) {
                return PullOutcome(action: .upToDate, remote: remote, main: ours.hex, editionsFromRemote: 0, conflicts: [], before: ours.hex)
            }
            do {
                if try repository.isAncestor(ours, of: theirs) {
                    let added = try editionCount(theirs, hiding: ours)
                    try Self.moveMain(repository, to: theirs, expecting: ours, message: "stemma pull \(remote): fast-forward")
                    return PullOutcome(action: .fastForward, remote: remote, main: theirs.hex, editionsFromRemote: added, conflicts: [], before: ours.hex)
                }
                let base = try repository.mergeBase(ours, theirs)
                let result = try mergeTool.merge(base: try base.map { try repository.commit($0).tree },
                                                 ours: try repository.commit(ours).tree, theirs: try repository.commit(theirs).tree,
                                                 resolution: resolution)
                guard let tree = result.tree else {
                    return PullOutcome(action: .conflicted, remote: remote, main: ours.hex,
                                       editionsFromRemote: 0, conflicts: result.conflicts, before: ours.hex)
                }
                try checkWritable()
                let signature = repository.defaultSignature(fallbackName: Self.fallbackName, fallbackEmail: Self.fallbackEmail)
                let commit = try repository.createCommit(
                    tree: tree, parents: [ours, theirs], message: Self.mergeMessage(remote: remote, result: result, resolution: resolution),
                    author: signature, committer: signature)
                try Self.moveMain(repository, to: commit, expecting: ours, message: "stemma pull \(remote): merge")
                return PullOutcome(action: .merged, remote: remote, main: commit.hex,
                                   editionsFromRemote: result.editionsFromTheirs, conflicts: result.conflicts, before: ours.hex)
            } catch let error as GitError where error.isModified || error.isExists {
                continue // a local commit landed meanwhile: merge again on top of it
            }
        }
    }

    /// Record files added from `hiding`'s tree (nil: nothing) to `tip`'s.
    private func editionCount(_ tip: ObjectID, hiding: ObjectID?) throws -> Int {
        let old = try hiding.map { try repository.commit($0).tree }
        return try repository.diffTrees(old, try repository.commit(tip).tree).filter {
            $0.status == .added && CorpusLayout.parseRecordPath($0.path) != nil
        }.count
    }

    static func mergeMessage(remote: String, result: CorpusMerge.Result, resolution: ConflictResolution) -> String {
        var message = "Merge \(remote)/main into main\n\n\(result.editionsFromTheirs) edition\(result.editionsFromTheirs == 1 ? "" : "s") from \(remote)\n"
        if !result.conflicts.isEmpty {
            message += "\nConflicting records, resolved with --\(resolution.rawValue) (the other version is in the other parent):\n"
            for conflict in result.conflicts { message += "  \(conflict.path)\n" }
        }
        return message
    }

    /// A fetch from a repository on this machine: its object files linked (or copied) into the
    /// repository at `path`, then `ref` moved to the `main` read before they were shared.
    private static func share(_ source: LocalSource, into repository: Repository, at path: String, tracking ref: String, message: String) throws {
        try ObjectFiles.share(from: source.objects, into: path + "/objects")
        if let main = source.main { try repository.forceReference(ref, to: main, message: message) }
    }

    // MARK: clone

    /// Copies the corpus at `url` into a new bare corpus at `path`, with `url` as its remote
    /// `origin`. The derived index is not copied: it is built on first use.
    @discardableResult
    public static func clone(from url: String, to path: String, progress: ((TransferProgress) -> Void)? = nil) throws -> Corpus {
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed {
            guard isDirectory.boolValue, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
                throw StemmaError.user("\(path) already exists and is not an empty folder")
            }
        }
        try checkPathExists(url)
        let repository = try gitCall { try Repository.createBare(at: path) }
        do {
            let origin = Remote(name: "origin", url: remoteURL(url))
            try gitCall { try repository.addRemote(name: origin.name, url: origin.url) }
            let ref = trackingRef(origin.name)
            if let source = try localSource(origin.url) {
                // A corpus on this machine: its object files are shared, as `git clone` of a path does.
                try gitCall { try share(source, into: repository, at: path, tracking: ref, message: "stemma clone \(url)") }
            } else {
                do {
                    try repository.fetch(remote: origin.name, refspecs: ["+refs/heads/main:\(ref)"],
                                         credentials: environmentCredentials, progress: progress)
                } catch let error as GitError {
                    throw transferError(error, remote: origin, verb: "clone of")
                }
                // libgit2's fetch notes what it fetched there; `git clone` leaves no FETCH_HEAD.
                try? FileManager.default.removeItem(atPath: path + "/FETCH_HEAD")
            }
            guard let main = try gitCall({ try repository.referenceTarget(ref) }) else {
                throw StemmaError.corpus("\(url) has no main branch: it is not a stemma corpus, or it is empty")
            }
            let tree = try gitCall { try repository.commit(main).tree }
            guard try gitCall({ try repository.treeEntry(in: tree, path: CorpusLayout.descriptorPath) }) != nil else {
                throw StemmaError.corpus("\(url) is a git repository but not a stemma corpus (no \(CorpusLayout.descriptorPath) on main)")
            }
            try gitCall {
                try repository.updateReference(mainRef, to: main, expecting: nil, message: "stemma clone \(url)")
                try repository.setConfigString("stemma.format", String(CorpusLayout.formatVersion))
            }
        } catch {
            // Only what this call created goes: the folder itself if it made it, else its contents.
            removeCreatedRepository(at: path, keepFolder: existed)
            throw error
        }
        return try open(at: path)
    }

    /// Removes the repository a failed clone started. Every name inside was written by this
    /// clone (the folder was absent or empty before it).
    private static func removeCreatedRepository(at path: String, keepFolder: Bool) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names { try? FileManager.default.removeItem(atPath: path + "/" + name) }
        if !keepFolder { rmdir(path) }
    }
}
