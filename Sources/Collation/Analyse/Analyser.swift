import Foundation

/// Stage 4: walks the unit alignment and produces the change list: token diffs inside aligned
/// pairs, whole units for additions, deletions and moves, separators compared on their own.
///
/// The list it returns obeys the reconstruction law: sorted by position in A (then B), never
/// overlapping, and replacing each change's `a` range with B's `b` bytes turns A into B exactly.
///
/// Work: linear in the words of both texts outside the exactly paired sentences, times the
/// edits inside each pair: token diffs run inside sentence pairs after their equal runs are
/// taken whole, Myers stops at 2,000 edits per pair (the middle is then one replacement), and a
/// passage of several sentences is diffed only under 4,000 tokens.
struct Analyser {
    let a: NormalizedText
    let b: NormalizedText
    let table: KeyTable
    var changes: [Change] = []
    var rows: [AlignedRow] = []
    var matchedWords = 0
    var sentences = (unchanged: 0, accidentalOnly: 0, reworded: 0, split: 0, merged: 0, added: 0, deleted: 0, moved: 0)
    /// Per alignment step, what it produced: the raw material of `Collation.alignment`, kept as
    /// two integers a step so the public view costs nothing until someone asks for it.
    var outcomes: [StepOutcome] = []

    /// Per unit of A, its exact partner in B (equal bytes, found by `ExactPairs`), or -1.
    let exactPartnerOfA: [Int32]

    init(_ a: NormalizedText, _ b: NormalizedText, table: KeyTable, exactPartnerOfA: [Int32]) {
        self.a = a; self.b = b; self.table = table; self.exactPartnerOfA = exactPartnerOfA
        rows.reserveCapacity(max(a.units.count, b.units.count) + 4)
        changes.reserveCapacity(64)
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
        outcomes.reserveCapacity(alignment.steps.count)
        // For a move's new place, the unit of A it moved from.
        var movedFrom: [Int: Int] = [:]
        for p in alignment.movedPairs { movedFrom[p.b] = p.a }
        let steps = alignment.steps
        for (n, step) in steps.enumerated() {
            let next = n + 1 < steps.count ? steps[n + 1] : nil
            if held != nil && !step.isPlainAdditionOrDeletion { releaseSeparator(pa, pb) }
            let firstChange = changes.count, matchedBefore = matchedWords
            switch step {
            case .pair(let i, let j):
                let ua = a.units[i], ub = b.units[j]
                let before = changes.count
                if exactPartnerOfA[i] == Int32(j) {
                    // Bytes already found equal: every word matches, nothing to label.
                    matchedWords += a.wordCountOfUnit[i] + b.wordCountOfUnit[j]
                } else if case .boilerplate(let cls) = ua.kind {
                    // House furniture (VNA dateline → VNS dateline) is one change, not a word diff.
                    if !sameBytes(ua.range, ub.range) { append(Change(ChangeClass(cls), a: ua.range, b: ub.range)) }
                } else {
                    diffWords(ua.range, a.wordsOfUnit[i], ub.range, b.wordsOfUnit[j], wordsIfSame: a.wordCountOfUnit[i] + b.wordCountOfUnit[j])
                }
                if ua.kind == .sentence {
                    if changes.count == before { sentences.unchanged += 1 }
                    else if changes[before...].allSatisfy({ $0.kind == .accidental }) { sentences.accidentalOnly += 1 }
                    else { sentences.reworded += 1 }
                }
                outcomes.append(StepOutcome(changes: firstChange..<changes.count, matchedWords: matchedWords - matchedBefore))
                rows.append(AlignedRow(a: ua.range, b: ub.range, move: nil))
                pa = nextStart(a, after: i); pb = nextStart(b, after: j)
                separate(ua.range.upperBound..<pa, ub.range.upperBound..<pb, before: next)
            case .span(let ra, let rb):
                // Every unit of a span was normalised (none is exactly paired), so its words are contiguous.
                let wa = a.wordsOfUnit[ra.lowerBound].lowerBound..<a.wordsOfUnit[ra.upperBound - 1].upperBound
                let wb = b.wordsOfUnit[rb.lowerBound].lowerBound..<b.wordsOfUnit[rb.upperBound - 1].upperBound
                let bytesA = a.units[ra.lowerBound].range.lowerBound..<a.units[ra.upperBound - 1].range.upperBound
                let bytesB = b.units[rb.lowerBound].range.lowerBound..<b.units[rb.upperBound - 1].range.upperBound
                let before = changes.count
                diffWords(bytesA, wa, bytesB, wb, wordsIfSame: ra.reduce(0) { $0 + a.wordCountOfUnit[$1] } + rb.reduce(0) { $0 + b.wordCountOfUnit[$1] })
                let splitOrMerge: ChangeClass? = ra.count < rb.count ? .sentenceSplit : (ra.count > rb.count ? .sentenceMerged : nil)
                if let label = splitOrMerge { relabelBoundaries(from: before, ra: ra, rb: rb, as: label) }
                if ra.count < rb.count { sentences.split += ra.count }
                else if ra.count > rb.count { sentences.merged += rb.count }
                else if changes.count == before { sentences.unchanged += ra.count }
                else if changes[before...].allSatisfy({ $0.kind == .accidental }) { sentences.accidentalOnly += ra.count }
                else { sentences.reworded += ra.count }
                outcomes.append(StepOutcome(changes: firstChange..<changes.count, matchedWords: matchedWords - matchedBefore))
                let last = ra.upperBound - 1, lastB = rb.upperBound - 1
                rows.append(AlignedRow(a: a.units[ra.lowerBound].range.lowerBound..<a.units[last].range.upperBound,
                                       b: b.units[rb.lowerBound].range.lowerBound..<b.units[lastB].range.upperBound, move: nil))
                pa = nextStart(a, after: last); pb = nextStart(b, after: lastB)
                separate(a.units[last].range.upperBound..<pa, b.units[lastB].range.upperBound..<pb, before: next)
            case .delete(let i, let move):
                let unit = a.units[i]
                let end = nextStart(a, after: i)
                let cls: ChangeClass
                if case .boilerplate(let c) = unit.kind { cls = ChangeClass(c) } else { cls = move == nil ? .sentenceDeleted : .sentenceMoved }
                if move != nil { sentences.moved += 1 } // its words count where it lands (`innerChanges`)
                else if unit.kind == .sentence { sentences.deleted += 1 }
                if move == nil, let h = held {
                    // The separator before it goes with it (see `held`).
                    append(Change(cls, a: h.a..<unit.range.upperBound, b: h.b..<h.b))
                    held = (unit.range.upperBound, h.b)
                } else {
                    append(Change(cls, a: unit.range.lowerBound..<end, b: pb..<pb, move: move))
                }
                // The change may have joined the previous one (a moved block): either way it is the last.
                outcomes.append(StepOutcome(changes: (changes.count - 1)..<changes.count, matchedWords: matchedWords - matchedBefore))
                rows.append(AlignedRow(a: unit.range, b: nil, move: move))
                pa = end
            case .insert(let j, let move):
                let unit = b.units[j]
                let end = nextStart(b, after: j)
                let cls: ChangeClass
                if case .boilerplate(let c) = unit.kind { cls = ChangeClass(c) } else { cls = move == nil ? .sentenceAdded : .sentenceMoved }
                if move != nil { if movedFrom[j] == nil { matchedWords += b.wordCountOfUnit[j] } } else if unit.kind == .sentence { sentences.added += 1 }
                if move == nil, let h = held {
                    append(Change(cls, a: h.a..<h.a, b: h.b..<unit.range.upperBound))
                    held = (h.a, unit.range.upperBound)
                } else {
                    var change = Change(cls, a: pa..<pa, b: unit.range.lowerBound..<end, move: move)
                    if let from = movedFrom[j] { change.inner = innerChanges(from, j) }
                    append(change)
                }
                outcomes.append(StepOutcome(changes: (changes.count - 1)..<changes.count, matchedWords: matchedWords - matchedBefore))
                rows.append(AlignedRow(a: nil, b: unit.range, move: move))
                pb = end
            }
        }
        if held != nil { releaseSeparator(pa, pb) }
    }

    /// Where the separators after an aligned pair differ and sentences are added or deleted next,
    /// the separator goes with them: `X.` → `X.\n\nY.` is the addition of `\n\nY.`, not a
    /// white-space change and the addition of `Y.`. Held here are the starts, in A and B, of what
    /// is still to be compared once the additions and deletions are written.
    var held: (a: Int, b: Int)?

    mutating func separate(_ ra: Range<Int>, _ rb: Range<Int>, before next: UnitAlignment.Step?) {
        if let next, next.isPlainAdditionOrDeletion, !sameBytes(ra, rb) { held = (ra.lowerBound, rb.lowerBound); return }
        compareSeparators(ra, rb)
    }

    /// Compares what is left of a held separator (up to `pa` and `pb`, the next units' starts).
    mutating func releaseSeparator(_ pa: Int, _ pb: Int) {
        guard let h = held else { return }
        held = nil
        compareSeparators(h.a..<pa, h.b..<pb)
    }

    /// What changed between unit `i` of A and unit `j` of B, which moved there: their token diff,
    /// taken out of the change list (a move's halves stand for it there). The words it matched
    /// count towards the similarity, as a pair's do: a moved sentence that was also reworded is
    /// not wholly alike.
    mutating func innerChanges(_ i: Int, _ j: Int) -> [Change] {
        let ua = a.units[i], ub = b.units[j]
        let words = ua.kind == .sentence ? a.wordCountOfUnit[i] + b.wordCountOfUnit[j] : 0
        guard !sameBytes(ua.range, ub.range) else { matchedWords += words; return [] }
        let before = changes.count
        if case .boilerplate(let cls) = ua.kind {
            append(Change(ChangeClass(cls), a: ua.range, b: ub.range))
        } else {
            diffWords(ua.range, a.wordsOfUnit[i], ub.range, b.wordsOfUnit[j], wordsIfSame: words)
        }
        let inner = Array(changes[before...])
        changes.removeSubrange(before...)
        return inner
    }

    /// Two spellings of a compound with hyphenated parts in common: the ranges without the parts
    /// both share at either end (`-China`), or nil when there are none. A change never includes
    /// unchanged text.
    func withoutSharedParts(_ ra: Range<Int>, _ rb: Range<Int>) -> (Range<Int>, Range<Int>)? {
        let hyphen = UInt8(ascii: "-")
        var x = ra, y = rb
        // Trailing parts: from a hyphen to the end, equal on both sides.
        while let ha = a.bytes[x].lastIndex(of: hyphen), let hb = b.bytes[y].lastIndex(of: hyphen),
              ha > x.lowerBound, hb > y.lowerBound, sameBytes(ha..<x.upperBound, hb..<y.upperBound) {
            x = x.lowerBound..<ha; y = y.lowerBound..<hb
        }
        // Leading parts: from the start through a hyphen.
        while let ha = a.bytes[x].firstIndex(of: hyphen), let hb = b.bytes[y].firstIndex(of: hyphen),
              ha + 1 < x.upperBound, hb + 1 < y.upperBound, sameBytes(x.lowerBound..<(ha + 1), y.lowerBound..<(hb + 1)) {
            x = (ha + 1)..<x.upperBound; y = (hb + 1)..<y.upperBound
        }
        return x == ra && y == rb ? nil : (x, y)
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

    /// Appends a change, merging it into the previous one when both are the same deletion or
    /// insertion of one moved block, so a moved paragraph is one change on each side.
    mutating func append(_ change: Change) {
        if let last = changes.last, let move = change.move, last.move == move, last.changeClass == change.changeClass,
           last.a.upperBound == change.a.lowerBound, last.b.upperBound == change.b.lowerBound {
            changes[changes.count - 1].a = last.a.lowerBound..<change.a.upperBound
            changes[changes.count - 1].b = last.b.lowerBound..<change.b.upperBound
            changes[changes.count - 1].inner += change.inner
            return
        }
        changes.append(change)
    }

    mutating func compareSeparators(_ ra: Range<Int>, _ rb: Range<Int>) {
        guard !sameBytes(ra, rb) else { return }
        append(Change(separatorClass(ra, rb), a: ra, b: rb))
    }

    /// Keys present in the other side of the pair being diffed: a stamp per key id (ids are
    /// dense), so membership is an array read rather than a hash look-up.
    struct KeyMarks {
        var stamps: [UInt32] = []
        var current: UInt32 = 0
        mutating func mark(_ words: ArraySlice<Word>, keyBound: Int) {
            current &+= 1
            // Stamps are kept from one comparison to the next; when the counter wraps, old ones go.
            if current == 0 { for i in stamps.indices { stamps[i] = 0 }; current = 1 }
            if keyBound > stamps.count { stamps += [UInt32](repeating: 0, count: keyBound - stamps.count + 1024) }
            let stamp = current
            stamps.withUnsafeMutableBufferPointer { stamps in
                words.withUnsafeBufferPointer { words in
                    for w in words { stamps[Int(w.key)] = stamp }
                }
            }
        }
        func contains(_ key: Int32) -> Bool { Int(key) < stamps.count && stamps[Int(key)] == current }
    }
    var marks = KeyMarks()

    /// Scratch lists reused from one sentence pair to the next, so a token diff allocates nothing.
    struct Scratch {
        /// A side's words with compounds joined, when it has any (else its words are used as they are).
        var joinedA: [Word] = [], joinedB: [Word] = []
        var anchors: [MatchRun] = [], matches: [MatchRun] = []
        var myers = Myers.Buffers()
    }
    var scratch = Scratch()

    /// The words `r` of `t` as the token diff compares them: a word the other side lacks is joined
    /// with the next one or two across one short space or a hyphen when the other side writes them
    /// as one (`Việt Nam` ~ `Vietnam`, `per cent` ~ `percent`). Returns false, leaving `out` alone,
    /// when nothing was joined (the usual case: the words are then used where they lie).
    static func joined(_ t: NormalizedText, _ r: Range<Int>, other: KeyMarks, table: KeyTable, into out: inout [Word]) -> Bool {
        let words = t.words
        var copied = false
        var i = r.lowerBound
        while i < r.upperBound {
            let word = words[i]
            // A word or number the other side lacks (worked out without a branch: which words
            // are punctuation is unpredictable, while the test below is nearly always false).
            let lacking = word.kind.wordCount & (other.contains(word.key) ? 0 : 1)
            if lacking != 0, let (end, key) = joinable(t, i, r, other: other, table: table) {
                if !copied {
                    out.removeAll(keepingCapacity: true)
                    out.append(contentsOf: words[r.lowerBound..<i])
                    copied = true
                }
                let range = word.range.lowerBound..<words[end].range.upperBound
                // Joined words get exact ids of their own, negative so they never meet a token's.
                out.append(Word(range: range, exact: table.joinedExact(t.bytes[range]), key: key, kind: .word))
                i = end + 1
                continue
            }
            if copied { out.append(word) }
            i += 1
        }
        return copied
    }

    /// Word `i` written together with the next one or two (the last joined word and the key),
    /// if the other side has that key.
    private static func joinable(_ t: NormalizedText, _ i: Int, _ r: Range<Int>, other: KeyMarks, table: KeyTable) -> (Int, Int32)? {
        let words = t.words
        var parts = (words[i].key, Int32(-1), Int32(-1))
        var k = i
        for n in 2...3 {
            // The separator is white space of at most three bytes, or a hyphen touching both words.
            guard k + 1 < r.upperBound else { return nil }
            let gap = words[k + 1].range.lowerBound - words[k].range.upperBound
            var next = k + 1
            if gap == 0 {
                guard isHyphen(t, words[next]), next + 1 < r.upperBound, words[next + 1].range.lowerBound == words[next].range.upperBound else { return nil }
                next += 1
            } else if gap > 3 {
                return nil
            }
            guard words[next].kind == .word || words[next].kind == .number else { return nil }
            if n == 2 { parts.1 = words[next].key } else { parts.2 = words[next].key }
            k = next
            if let id = table.joinedKey(parts, count: n), other.contains(id) { return (k, id) }
        }
        return nil
    }

    static func isHyphen(_ t: NormalizedText, _ word: Word) -> Bool {
        guard word.kind == .punctuation else { return false }
        let bytes = t.bytes[word.range]
        return bytes.elementsEqual("-".utf8) || bytes.elementsEqual("\u{2010}".utf8) || bytes.elementsEqual("\u{2011}".utf8)
    }

    /// Token diff of the words `wa` and `wb` (bytes `ra` and `rb`); every change found is labelled.
    /// `wordsIfSame`: the words and numbers of both sides, counted as matched if the bytes are equal.
    mutating func diffWords(_ ra: Range<Int>, _ wa: Range<Int>, _ rb: Range<Int>, _ wb: Range<Int>, wordsIfSame: Int) {
        // Half of a republished story's sentences come through untouched: equal bytes tokenize
        // alike, so every word matches and there is nothing to label.
        if sameBytes(ra, rb) { matchedWords += wordsIfSame; return }
        let keyBound = max(a.keyBound, b.keyBound)
        marks.mark(b.words[wb], keyBound: keyBound)
        let joinedA = Self.joined(a, wa, other: marks, table: table, into: &scratch.joinedA)
        marks.mark(a.words[wa], keyBound: keyBound)
        let joinedB = Self.joined(b, wb, other: marks, table: table, into: &scratch.joinedB)
        let itemsA = joinedA ? scratch.joinedA[...] : a.words[wa]
        let itemsB = joinedB ? scratch.joinedB[...] : b.words[wb]
        itemsA.withUnsafeBufferPointer { pa in
            itemsB.withUnsafeBufferPointer { pb in Self.matches(pa, pb, &scratch) }
        }
        // Matches are indices from 0 into `itemsA` and `itemsB`, whose own indices may not start there.
        let baseA = itemsA.startIndex, baseB = itemsB.startIndex
        let runs = scratch.matches
        var prevA = ra.lowerBound, prevB = rb.lowerBound, ia = 0, ib = 0
        for m in 0...runs.count {
            let run = m < runs.count ? runs[m] : MatchRun(a: itemsA.count, b: itemsB.count, length: 0)
            let i = run.a, j = run.b
            let nextA = i < itemsA.count ? itemsA[baseA + i].range.lowerBound : ra.upperBound
            let nextB = j < itemsB.count ? itemsB[baseB + j].range.lowerBound : rb.upperBound
            if !sameBytes(prevA..<nextA, prevB..<nextB) {
                gapChange(prevA..<nextA, prevB..<nextB, noItems: ia == i && ib == j,
                          allPunctuation: itemsA[(baseA + ia)..<(baseA + i)].allSatisfy(\.isPunctuation)
                              && itemsB[(baseB + ib)..<(baseB + j)].allSatisfy(\.isPunctuation))
            }
            guard i < itemsA.count else { break }
            let lastA = itemsA[baseA + i + run.length - 1].range.upperBound, lastB = itemsB[baseB + j + run.length - 1].range.upperBound
            if sameBytes(nextA..<lastA, nextB..<lastB) {
                // Equal words with equal white space between them (tokens are maximal, so equal
                // bytes split alike), whether matched exactly or by key: nothing to label.
                for k in (baseA + i)..<(baseA + i + run.length) { matchedWords &+= 2 &* itemsA[k].kind.wordCount }
            } else {
                for k in 0..<run.length {
                    let x = itemsA[baseA + i + k], y = itemsB[baseB + j + k]
                    if k > 0 {
                        let gapA = itemsA[baseA + i + k - 1].range.upperBound..<x.range.lowerBound
                        let gapB = itemsB[baseB + j + k - 1].range.upperBound..<y.range.lowerBound
                        if !sameBytes(gapA, gapB) { gapChange(gapA, gapB, noItems: true, allPunctuation: true) }
                    }
                    matchedWords &+= x.kind.wordCount &+ y.kind.wordCount
                    if x.exact != y.exact && !sameBytes(x.range, y.range) {
                        if let (ra, rb) = withoutSharedParts(x.range, y.range) {
                            // `Vietnam-China` → `Việt Nam-China` is `Vietnam` → `Việt Nam`.
                            let a = self.a, b = self.b
                            let cls = table.gapClass(a.bytes, ra, b.bytes, rb, flavour: 3) {
                                Classifier.accidental(String(decoding: a.bytes[ra], as: UTF8.self), String(decoding: b.bytes[rb], as: UTF8.self)) ?? .replace
                            }
                            append(Change(cls, a: ra, b: rb))
                            continue
                        }
                        let cls = table.accidental(x.exact, y.exact) {
                            Classifier.accidental(String(decoding: a.bytes[x.range], as: UTF8.self), String(decoding: b.bytes[y.range], as: UTF8.self))
                        } ?? .replace
                        append(Change(cls, a: x.range, b: y.range))
                    }
                }
            }
            prevA = lastA; prevB = lastB; ia = i + run.length; ib = j + run.length
        }
    }

    /// Exact matches first, then matches on comparison keys inside the gaps between them.
    /// Exact-first never reports more changed tokens than a plain word diff (the exact LCS is
    /// kept whole); the key pass then turns leftover pairs into labelled accidentals.
    static func matches(_ a: UnsafeBufferPointer<Word>, _ b: UnsafeBufferPointer<Word>, _ scratch: inout Scratch) {
        scratch.anchors.removeAll(keepingCapacity: true)
        scratch.matches.removeAll(keepingCapacity: true)
        guard !a.isEmpty && !b.isEmpty else { return }
        Myers.appendMatches(ExactIDs(a, 0..<a.count), ExactIDs(b, 0..<b.count), offsetA: 0, offsetB: 0, to: &scratch.anchors, buffers: &scratch.myers)
        var ia = 0, ib = 0
        for m in 0...scratch.anchors.count {
            let anchor = m < scratch.anchors.count ? scratch.anchors[m] : MatchRun(a: a.count, b: b.count, length: 0)
            let i = anchor.a, j = anchor.b
            if i > ia && j > ib { Myers.appendMatches(KeyIDs(a, ia..<i), KeyIDs(b, ib..<j), offsetA: ia, offsetB: ib, to: &scratch.matches, buffers: &scratch.myers) }
            if anchor.length > 0 { scratch.matches.append(anchor) }
            ia = i + anchor.length; ib = j + anchor.length
        }
    }

    /// The exact ids of some words, for Myers.
    struct ExactIDs: IDList {
        let base: UnsafePointer<Word>
        let count: Int
        init(_ words: UnsafeBufferPointer<Word>, _ r: Range<Int>) {
            assert(r.lowerBound >= 0 && r.upperBound <= words.count, "ids outside the word list")
            base = words.baseAddress! + r.lowerBound; count = r.count
        }
        @inline(__always) subscript(i: Int) -> Int32 { assert(i >= 0 && i < count); return base[i].exact }
    }

    /// The comparison keys of some words, for Myers.
    struct KeyIDs: IDList {
        let base: UnsafePointer<Word>
        let count: Int
        init(_ words: UnsafeBufferPointer<Word>, _ r: Range<Int>) {
            assert(r.lowerBound >= 0 && r.upperBound <= words.count, "keys outside the word list")
            base = words.baseAddress! + r.lowerBound; count = r.count
        }
        @inline(__always) subscript(i: Int) -> Int32 { assert(i >= 0 && i < count); return base[i].key }
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
            cls = separatorClass(rA, rB)
        } else {
            // Classified through strings, so remembered by the bytes: a corpus repeats its edits.
            let a = self.a, b = self.b
            cls = table.gapClass(a.bytes, rA, b.bytes, rB, flavour: allPunctuation ? 1 : 2) {
                let textA = String(decoding: a.bytes[rA], as: UTF8.self), textB = String(decoding: b.bytes[rB], as: UTF8.self)
                if allPunctuation { return Classifier.accidental(textA, textB) ?? .punctuation }
                return Classifier.accidental(textA, textB) ?? (rA.isEmpty ? .insert : (rB.isEmpty ? .delete : .replace))
            }
        }
        append(Change(cls, a: rA, b: rB))
    }

    /// White space (or nothing) on both sides that differs: `Classifier.separator`, remembered.
    func separatorClass(_ ra: Range<Int>, _ rb: Range<Int>) -> ChangeClass {
        let a = self.a, b = self.b
        return table.gapClass(a.bytes, ra, b.bytes, rb, flavour: 0) {
            Classifier.separator(String(decoding: a.bytes[ra], as: UTF8.self), String(decoding: b.bytes[rb], as: UTF8.self))
        }
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

/// What one alignment step produced: the changes it appended (indices into the change list,
/// separators after it excluded) and the words it matched.
struct StepOutcome: Sendable {
    var changes: Range<Int>
    var matchedWords: Int
}

@inline(__always) func isSpaceByte(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 13 || b == 9 }
