import CCrypto

/// SHA-1 for object ids on the bulk path and for the checksums that close a packfile and its
/// index. libgit2 hashes with SHA-1DC (collision detection) in portable C; OpenSSL uses the
/// CPU's SHA instructions where present. Measured on a bulk import: hashing fell from about a
/// tenth of the CPU time (libgit2) to a few percent. The ids are the same for any input that is
/// not a crafted collision, and `git fsck` recomputes every id with git's own hash.
struct SHA1 {
    private var context = SHA_CTX()

    init() { stemma_sha1_init(&context) }

    /// The id git gives `bytes` as an object of `kind` (`git hash-object -t kind`).
    static func objectID(_ kind: ObjectKind, _ bytes: UnsafeRawBufferPointer) -> ObjectID {
        var sha = SHA1()
        let name: String
        switch kind {
        case .commit: name = "commit"
        case .tree: name = "tree"
        case .tag: name = "tag"
        case .blob, .other: name = "blob"
        }
        var header = Array(name.utf8)
        header.append(32)
        header += Array(String(bytes.count).utf8)
        header.append(0)
        header.withUnsafeBytes { sha.update($0) }
        sha.update(bytes)
        return ObjectID(bytes: sha.finish())
    }

    static func objectID(_ kind: ObjectKind, _ bytes: [UInt8]) -> ObjectID {
        bytes.withUnsafeBytes { objectID(kind, $0) }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        stemma_sha1_update(&context, base, bytes.count)
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    mutating func finish() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { out, count in
            stemma_sha1_final(out.baseAddress, &context)
            count = 20
        }
    }
}
