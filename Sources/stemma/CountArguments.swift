/// Counts written as git writes them, turned into what the argument parser reads.
enum CountArguments {
    /// The options, of any command, whose value is a number.
    static let numericOptions: Set<String> = ["-n", "--limit", "--min", "--checkpoint", "--max-bytes", "--hook-timeout"]

    /// git's counts, which the argument parser would read as unknown options: `log -3` and
    /// `log -n3` for `-n 3`, and a negative count after `-n`/`--max-count` (no limit). Other
    /// commands' negative numbers after a numeric option (`match -n -1`, `grep --limit -1`,
    /// `similar --min -0.5`) reach the command as numbers, for its own rule to refuse (the parser
    /// would call them missing values).
    static func rewritten(_ arguments: [String]) -> [String] {
        guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }) else { return arguments }
        var out = Array(arguments[...command])
        var rest = arguments[(command + 1)...]
        func isCount(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
        func isNegativeNumber(_ s: String) -> Bool { s.hasPrefix("-") && Double(s.dropFirst()) != nil && s.dropFirst().first?.isNumber == true }
        guard arguments[command] == "log" else {
            while let argument = rest.popFirst() {
                if numericOptions.contains(argument), let next = rest.first, isNegativeNumber(next) {
                    out.append(argument + "=" + next); rest.removeFirst()
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
