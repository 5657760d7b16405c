/// How many hex digits of edition ids a listing prints: 7, or more until every id it shows is
/// told apart from the others, as git lengthens its abbreviations.
enum ShortIDs {
    static func length(_ ids: [String], minimum: Int = 7) -> Int {
        var length = minimum
        while length < 40, Set(ids.map { $0.prefix(length) }).count < Set(ids).count { length += 1 }
        return length
    }
}
