import Foundation

/// Stage 4: walks the unit alignment and produces the change list: token diffs inside aligned
/// pairs, whole units for additions, deletions and moves, separators compared on their own.
///
/// The list it returns obeys the reconstruction law: sorted by position in A (then B), never
/// overlapping, and replacing each change's `a` range with B's `b` bytes turns A into B exactly.
struct Analyser {
    let a: NormalizedText
    let b: NormalizedText
    let table: KeyTable
    var changes: [Change] = []
    var rows: [AlignedRow] = []
    var matchedWords = 0
    var sentences = (unchanged: 0, changed: 0, added: 0, deleted: 0, moved: 0)

    init(_ a: NormalizedText, _ b: NormalizedText, table: KeyTable) {
        self.a = a; self.b = b; self.table = table
    }

    /// Where unit `i`'s extent ends: at the next unit's start, or the end of the text.
    func nextStart(_ t: NormalizedText, after i: Int) -> Int { i + 1 < t.units.count ? t.units[i + 1].range.lowerBound : t.bytes.count }

    mutating func run(_ alignment: UnitAlignment) {
        // Leading white space before the first unit of each text.
        let leadA = 0..<(a.units.first?.range.lowerBound ?? a.bytes.count)
        let leadB = 0..<(b.units.first?.range.lowerBound ?? b.bytes.count)
        compareSeparators(leadA, leadB)

        var pb = leadB.upperBound // insertion point in B for deletions
        var pa = leadA.upperBound // insertion point in A for insertions
        for step in alignment.steps {
            switch step {
            case .pair(let i, let j):
                let ua = a.units[i], ub = b.units[j]
                let before = changes.count
                if case .boilerplate(let cls) = ua.kind {
                    // House furniture (VNA dateline → VNS dateline) is one change, not a word diff.
                    if !sameBytes(ua.range, ub.range) { append(Change(ChangeClass(cls), a: ua.range, b: ub.range)) }
                } else {
                    diffTokens(ua.tokens, ub.tokens)
                }
                if ua.kind == .sentence {
                    if changes.count > before { sentences.changed += 1 } else { sentences.unchanged += 1 }
                }
                rows.append(AlignedRow(a: ua.range, b: ub.range, move: nil))
                pa = nextStart(a, after: i); pb = nextStart(b, after: j)
                compareSeparators(ua.range.upperBound..<pa, ub.range.upperBound..<pb)
            case .span(let ra, let rb):
                let ta = a.units[ra.lowerBound].tokens.lowerBound..<a.units[ra.upperBound - 1].tokens.upperBound
                let tb = b.units[rb.lowerBound].tokens.lowerBound..<b.units[rb.upperBound - 1].tokens.upperBound
                let before = changes.count
                diffTokens(ta, tb)
                let splitOrMerge: ChangeClass? = ra.count < rb.count ? .sentenceSplit : (ra.count > rb.count ? .sentenceMerged : nil)
                if let label = splitOrMerge { relabelBoundaries(from: before, ra: ra, rb: rb, as: label) }
                sentences.changed += max(ra.count, rb.count)
                let last = ra.upperBound - 1, lastB = rb.upperBound - 1
                rows.append(AlignedRow(a: a.units[ra.lowerBound].range.lowerBound..<a.units[last].range.upperBound,
                                       b: b.units[rb.lowerBound].range.lowerBound..<b.units[lastB].range.upperBound, move: nil))
                pa = nextStart(a, after: last); pb = nextStart(b, after: lastB)
                compareSeparators(a.units[last].range.upperBound..<pa, b.units[lastB].range.upperBound..<pb)
            case .delete(let i, let move):
                let unit = a.units[i]
                let end = nextStart(a, after: i)
                let cls: ChangeClass
                if case .boilerplate(let c) = unit.kind { cls = ChangeClass(c) } else { cls = .sentenceDeleted }
                if move != nil { sentences.moved += 1; matchedWords += wordCount(a, unit.tokens) }
                else if unit.kind == .sentence { sentences.deleted += 1 }
                append(Change(cls, a: unit.range.lowerBound..<end, b: pb..<pb, move: move))
                rows.append(AlignedRow(a: unit.range, b: nil, move: move))
                pa = end
            case .insert(let j, let move):
                let unit = b.units[j]
                let end = nextStart(b, after: j)
                let cls: ChangeClass
                if case .boilerplate(let c) = unit.kind { cls = ChangeClass(c) } else { cls = .sentenceAdded }
                if move != nil { matchedWords += wordCount(b, unit.tokens) } else if unit.kind == .sentence { sentences.added += 1 }
                append(Change(cls, a: pa..<pa, b: unit.range.lowerBound..<end, move: move))
                rows.append(AlignedRow(a: nil, b: unit.range, move: move))
                pb = end
            }
        }
    }

    /// A's bytes in `ra` equal B's in `rb`.
    func sameBytes(_ ra: Range<Int>, _ rb: Range<Int>) -> Bool {
        guard ra.count == rb.count else { return false }
        if ra.isEmpty { return true }
        // Most calls compare the single space between two matched words.
        if ra.count == 1 { return a.bytes[ra.lowerBound] == b.bytes[rb.lowerBound] }
        return a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in
            memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0
        } }
    }

    func wordCount(_ t: NormalizedText, _ r: Range<Int>) -> Int {
        let tokens = t.tokens
        var count = 0
        for i in r where tokens[i].kind == .word || tokens[i].kind == .number { count += 1 }
        return count
    }

    /// Appends a change, merging it into the previous one when both are the same deletion or
    /// insertion of one moved block, so a moved paragraph is one change on each side.
    mutating func append(_ change: Change) {
        if let last = changes.last, let move = change.move, last.move == move, last.changeClass == change.changeClass,
           last.a.upperBound == change.a.lowerBound, last.b.upperBound == change.b.lowerBound {
            changes[changes.count - 1].a = last.a.lowerBound..<change.a.upperBound
            changes[changes.count - 1].b = last.b.lowerBound..<change.b.upperBound
            return
        }
        changes.append(change)
    }

    mutating func compareSeparators(_ ra: Range<Int>, _ rb: Range<Int>) {
        guard !sameBytes(ra, rb) else { return }
        let cls = Classifier.separator(String(decoding: a.bytes[ra], as: UTF8.self), String(decoding: b.bytes[rb], as: UTF8.self))
        append(Change(cls, a: ra, b: rb))
    }

    /// An item the token diff compares: one token, or adjacent words joined because the other
    /// text writes them as one (`Việt Nam` ~ `Vietnam`, `per cent` ~ `percent`).
    /// Its exact id and key sit in parallel lists (`Scratch`), which Myers reads directly.
    struct Item { var range: Range<Int>; var isPunctuation: Bool; var words: Int }

    /// Keys present in the other side of the pair being diffed: a stamp per key id (ids are
    /// dense), so membership is an array read rather than a hash look-up.
    struct KeyMarks {
        var stamps: [UInt32] = []
        var current: UInt32 = 0
        mutating func mark(_ t: NormalizedText, _ r: Range<Int>) {
            current &+= 1
            let keys = t.keys
            for i in r where keys[i] >= 0 {
                let k = Int(keys[i])
                if k >= stamps.count { stamps += [UInt32](repeating: 0, count: k - stamps.count + 1024) }
                stamps[k] = current
            }
        }
        func contains(_ key: Int32) -> Bool { Int(key) < stamps.count && stamps[Int(key)] == current }
    }
    var marks = KeyMarks()

    /// Scratch lists reused from one sentence pair to the next, so a token diff allocates nothing.
    struct Scratch {
        var itemsA: [Item] = [], itemsB: [Item] = []
        var exactA: [Int32] = [], exactB: [Int32] = []
        var keysA: [Int32] = [], keysB: [Int32] = []
        var anchors: [(Int, Int)] = [], matches: [(Int, Int)] = []
    }
    var scratch = Scratch()

    /// The items of tokens `r` of `t` into `out`, their exact ids and keys into the lists alongside.
    static func items(_ t: NormalizedText, _ r: Range<Int>, other: KeyMarks, table: KeyTable,
                      into out: inout [Item], exactIds: inout [Int32], keyIds: inout [Int32]) {
        let tokens = t.tokens, keys = t.keys, exact = t.exact
        out.removeAll(keepingCapacity: true)
        exactIds.removeAll(keepingCapacity: true)
        keyIds.removeAll(keepingCapacity: true)
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            let token = tokens[i]
            if token.kind == .space { i += 1; continue }
            if token.kind != .punctuation, !other.contains(keys[i]) {
                // Try joining with the next one or two words across one space or hyphen.
                var parts = (keys[i], Int32(-1), Int32(-1))
                var k = i
                var found: (end: Int, key: Int32)? = nil
                for n in 2...3 {
                    let sep = k + 1
                    guard sep + 1 < r.upperBound, tokens[sep].range.count <= 3,
                          tokens[sep].kind == .space || Self.isHyphen(t, sep),
                          tokens[sep + 1].kind == .word || tokens[sep + 1].kind == .number else { break }
                    if n == 2 { parts.1 = keys[sep + 1] } else { parts.2 = keys[sep + 1] }
                    k = sep + 1
                    if let id = table.joinedKey(parts, count: n), other.contains(id) { found = (k, id); break }
                }
                if let (end, key) = found {
                    let range = token.range.lowerBound..<tokens[end].range.upperBound
                    // Joined items get exact ids of their own, negative so they never meet a token's.
                    let exact = table.joinedExact(t.bytes[range])
                    out.append(Item(range: range, isPunctuation: false, words: 1))
                    exactIds.append(exact); keyIds.append(key)
                    i = end + 1
                    continue
                }
            }
            out.append(Item(range: token.range, isPunctuation: token.kind == .punctuation, words: token.kind == .punctuation ? 0 : 1))
            exactIds.append(exact[i]); keyIds.append(keys[i])
            i += 1
        }
    }

    static func isHyphen(_ t: NormalizedText, _ i: Int) -> Bool {
        guard t.tokens[i].kind == .punctuation else { return false }
        let bytes = t.bytes[t.tokens[i].range]
        return bytes.elementsEqual("-".utf8) || bytes.elementsEqual("\u{2010}".utf8) || bytes.elementsEqual("\u{2011}".utf8)
    }

    /// Token diff of two token ranges; every change found is labelled.
    mutating func diffTokens(_ ta: Range<Int>, _ tb: Range<Int>) {
        let startA = a.tokens[ta.lowerBound].range.lowerBound, endA = a.tokens[ta.upperBound - 1].range.upperBound
        let startB = b.tokens[tb.lowerBound].range.lowerBound, endB = b.tokens[tb.upperBound - 1].range.upperBound
        // Half of a republished story's sentences come through untouched: equal bytes tokenize
        // alike, so every word matches and there is nothing to label.
        if sameBytes(startA..<endA, startB..<endB) {
            matchedWords += wordCount(a, ta) + wordCount(b, tb)
            return
        }
        marks.mark(b, tb)
        Self.items(a, ta, other: marks, table: table, into: &scratch.itemsA, exactIds: &scratch.exactA, keyIds: &scratch.keysA)
        marks.mark(a, ta)
        Self.items(b, tb, other: marks, table: table, into: &scratch.itemsB, exactIds: &scratch.exactB, keyIds: &scratch.keysB)
        Self.matches(&scratch)
        // Local references to the scratch lists (shared, not copied: nothing writes to them here).
        let itemsA = scratch.itemsA, itemsB = scratch.itemsB, matches = scratch.matches
        let exactA = scratch.exactA, exactB = scratch.exactB
        var prevA = startA, prevB = startB, ia = 0, ib = 0
        for m in 0...matches.count {
            let (i, j) = m < matches.count ? matches[m] : (itemsA.count, itemsB.count)
            let nextA = i < itemsA.count ? itemsA[i].range.lowerBound : endA
            let nextB = j < itemsB.count ? itemsB[j].range.lowerBound : endB
            if !sameBytes(prevA..<nextA, prevB..<nextB) {
                gapChange(prevA..<nextA, prevB..<nextB, noItems: ia == i && ib == j,
                          allPunctuation: itemsA[ia..<i].allSatisfy(\.isPunctuation) && itemsB[ib..<j].allSatisfy(\.isPunctuation))
            }
            guard i < itemsA.count else { break }
            matchedWords += itemsA[i].words + itemsB[j].words
            let ra = itemsA[i].range, rb = itemsB[j].range
            if exactA[i] != exactB[j] && !sameBytes(ra, rb) {
                let cls = table.accidental(exactA[i], exactB[j]) {
                    Classifier.accidental(String(decoding: a.bytes[ra], as: UTF8.self), String(decoding: b.bytes[rb], as: UTF8.self))
                } ?? .replace
                append(Change(cls, a: ra, b: rb))
            }
            prevA = ra.upperBound; prevB = rb.upperBound; ia = i + 1; ib = j + 1
        }
    }

    /// Exact matches first, then matches on comparison keys inside the gaps between them.
    /// Exact-first never reports more changed tokens than a plain word diff (the exact LCS is
    /// kept whole); the key pass then turns leftover pairs into labelled accidentals.
    static func matches(_ scratch: inout Scratch) {
        scratch.anchors.removeAll(keepingCapacity: true)
        Myers.appendMatches(scratch.exactA[...], scratch.exactB[...], to: &scratch.anchors)
        scratch.matches.removeAll(keepingCapacity: true)
        let countA = scratch.exactA.count, countB = scratch.exactB.count
        var ia = 0, ib = 0
        for m in 0...scratch.anchors.count {
            let (i, j) = m < scratch.anchors.count ? scratch.anchors[m] : (countA, countB)
            if i > ia && j > ib { Myers.appendMatches(scratch.keysA[ia..<i], scratch.keysB[ib..<j], to: &scratch.matches) }
            if i < countA { scratch.matches.append((i, j)) }
            ia = i + 1; ib = j + 1
        }
    }

    /// The stretch between two matched items, whose bytes differ on the two sides: unmatched items
    /// and the white space around them. `noItems`: the stretch holds white space only;
    /// `allPunctuation`: its items are all punctuation.
    mutating func gapChange(_ ra: Range<Int>, _ rb: Range<Int>, noItems: Bool, allPunctuation: Bool) {
        var lo = (ra.lowerBound, rb.lowerBound), hi = (ra.upperBound, rb.upperBound)
        // Trim white space both sides share, so an inserted word takes one space with it, not all.
        while lo.0 < hi.0, lo.1 < hi.1, a.bytes[lo.0] == b.bytes[lo.1], isSpaceByte(a.bytes[lo.0]) { lo.0 += 1; lo.1 += 1 }
        while hi.0 > lo.0, hi.1 > lo.1, a.bytes[hi.0 - 1] == b.bytes[hi.1 - 1], isSpaceByte(a.bytes[hi.0 - 1]) { hi.0 -= 1; hi.1 -= 1 }
        let rA = lo.0..<hi.0, rB = lo.1..<hi.1
        let cls: ChangeClass
        if noItems {
            cls = Classifier.separator(String(decoding: a.bytes[rA], as: UTF8.self), String(decoding: b.bytes[rB], as: UTF8.self))
        } else if allPunctuation {
            let textA = String(decoding: a.bytes[rA], as: UTF8.self), textB = String(decoding: b.bytes[rB], as: UTF8.self)
            cls = Classifier.accidental(textA, textB) ?? .punctuation
        } else if let accidental = Classifier.accidental(String(decoding: a.bytes[rA], as: UTF8.self), String(decoding: b.bytes[rB], as: UTF8.self)) {
            cls = accidental
        } else {
            cls = rA.isEmpty ? .insert : (rB.isEmpty ? .delete : .replace)
        }
        append(Change(cls, a: rA, b: rB))
    }

    /// In a passage where sentences were split or merged, the change that makes or removes the
    /// full stop between them (`, and` → `.`) is the split or merge itself.
    mutating func relabelBoundaries(from start: Int, ra: Range<Int>, rb: Range<Int>, as label: ChangeClass) {
        // The last byte of every sentence but the last, on the side that has more sentences.
        let stops = label == .sentenceSplit ? rb.dropLast().map { b.units[$0].range.upperBound - 1 }
                                            : ra.dropLast().map { a.units[$0].range.upperBound - 1 }
        for k in start..<changes.count where changes[k].kind == .substantive || changes[k].changeClass == .punctuation {
            let r = label == .sentenceSplit ? changes[k].b : changes[k].a
            if stops.contains(where: { r.contains($0) }) { changes[k].changeClass = label }
        }
    }
}

@inline(__always) func isSpaceByte(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 13 || b == 9 }
