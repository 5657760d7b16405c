import CLibGit2

public enum ObjectKind: Sendable, Equatable {
    case commit, tree, blob, tag, other

    init(_ type: git_object_t) {
        switch type {
        case GIT_OBJECT_COMMIT: self = .commit
        case GIT_OBJECT_TREE: self = .tree
        case GIT_OBJECT_BLOB: self = .blob
        case GIT_OBJECT_TAG: self = .tag
        default: self = .other
        }
    }
}

extension Repository {
    /// The id git gives `bytes` as a blob (`git hash-object`), without writing anything.
    public static func blobID(of bytes: UnsafeRawBufferPointer) throws -> ObjectID {
        SHA1.objectID(.blob, bytes)
    }

    public static func blobID(of bytes: [UInt8]) throws -> ObjectID {
        try bytes.withUnsafeBytes { try blobID(of: $0) }
    }

    /// Writes `bytes` as a blob and returns its id; writing an existing blob again is harmless.
    @discardableResult
    public func writeBlob(_ bytes: UnsafeRawBufferPointer) throws -> ObjectID {
        if isBulk { return try writeRaw(.blob, Array(bytes)) }
        var oid = git_oid()
        try check(git_odb_write(&oid, odb, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB), "git_odb_write(blob)")
        return ObjectID(oid)
    }

    @discardableResult
    public func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        if isBulk { return try writeRaw(.blob, bytes) }
        return try bytes.withUnsafeBytes { try writeBlob($0) }
    }

    /// Whether the object database holds `id`.
    public func contains(_ id: ObjectID) -> Bool {
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }

    /// The kind of object `id` names, or nil when it is absent.
    public func kind(of id: ObjectID) throws -> ObjectKind? {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        let result = git_odb_read_header(&size, &type, odb, &oid)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_odb_read_header(\(id))")
        return ObjectKind(type)
    }

    /// The commit an abbreviated hex id (4 to 40 digits) names, or nil when none or several do.
    public func commitID(prefix hex: String) throws -> ObjectID? {
        guard (4...40).contains(hex.utf8.count), hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, hex, hex.utf8.count) == 0 else { return nil }
        var object: OpaquePointer?
        let result = git_object_lookup_prefix(&object, pointer, &oid, hex.utf8.count, GIT_OBJECT_COMMIT)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EAMBIGUOUS.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "git_object_lookup_prefix(\(hex))")
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object).pointee)
    }

    /// A blob's exact bytes.
    public func blobBytes(_ id: ObjectID) throws -> [UInt8] {
        var oid = id.gitOID
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup(\(id))")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
}
