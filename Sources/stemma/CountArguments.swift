/// Counts written as git writes them, turned into what the argument parser reads.
enum CountArguments {
    /// git's counts, which the argument parser would read as unknown options: `log -3` and
    /// `log -n3` for `-n 3`, and a negative count after `-n`/`--max-count` (no limit). Other
    /// commands' `-n -1` reaches the command as a number, for its own rule to refuse (the parser
    /// would call it a missing value).
    static func rewritten(_ arguments: [String]) -> [String] {
        guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }) else { return arguments }
        var out = Array(arguments[...command])
        var rest = arguments[(command + 1)...]
        func isCount(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
        guard arguments[command] == "log" else {
            while let argument = rest.popFirst() {
                if argument == "-n", let next = rest.first, next.hasPrefix("-"), isCount(next.dropFirst()) {
                    out.append("-n=" + next); rest.removeFirst()
                } else {
                    out.append(argument)
                }
            }
            return out
        }
        while let argument = rest.popFirst() {
            if (argument == "-n" || argument == "--max-count"), let next = rest.first, next.hasPrefix("-"), isCount(next.dropFirst()) {
                out.append("--max-count=" + next); rest.removeFirst()
            } else if argument.hasPrefix("-"), isCount(argument.dropFirst()) {
                out.append("--max-count=" + argument.dropFirst())
            } else if argument.hasPrefix("-n"), isCount(argument.dropFirst(2)) {
                out.append("--max-count=" + argument.dropFirst(2)) // -n3, as git takes it
            } else {
                out.append(argument)
            }
        }
        return out
    }
}
