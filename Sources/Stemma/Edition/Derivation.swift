/// The rule that `derived_from` never loops: an edition cannot derive from itself, nor from
/// anything that (through its own parents) derives from it. Shared by `commit` and `import`.
enum Derivation {
    /// Throws `.user` naming the cycle when recording `edition` as derived from `parent` would
    /// close one. `parentsOf` gives the recorded parents of an edition id.
    static func checkNoCycle(edition: String, parent: String, parentsOf: (String) throws -> [String]) throws {
        var path = [edition, parent]
        var visited: Set<String> = [parent]
        // Depth first, keeping the path, so the message can show the loop.
        func reaches(_ id: String) throws -> Bool {
            if id == edition { return true }
            for next in try parentsOf(id) where visited.insert(next).inserted || next == edition {
                path.append(next)
                if try reaches(next) { return true }
                path.removeLast()
            }
            return false
        }
        guard try reaches(parent) else { return }
        let shown = path.map { String($0.prefix(12)) }.joined(separator: " → ")
        throw StemmaError.user(parent == edition ? "derived_from names the edition itself (\(edition.prefix(12)))"
                                                 : "derived_from would close a cycle: \(shown)")
    }
}
