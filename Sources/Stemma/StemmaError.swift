/// Everything that can go wrong in Stemma, split the way the CLI's exit codes are:
/// the user's input (exit 1) or the corpus itself (exit 2).
public enum StemmaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Bad input or an unknown reference: the corpus was not changed.
    case user(String)
    /// The corpus is missing, unreadable, read-only or corrupt.
    case corpus(String)

    public var description: String {
        switch self {
        case .user(let m), .corpus(let m): return m
        }
    }

    /// The process exit status the CLI uses for this error.
    public var exitCode: Int32 {
        switch self {
        case .user: return 1
        case .corpus: return 2
        }
    }
}
