/// Stage 3a's first step: which units of B each unit of A might pair with, and how alike they are.
extension SentenceAligner {
    /// Unit pairs worth aligning, with their Dice scores (≥ `threshold`): for each unit of A, the
    /// `candidateLimit` sentences of B sharing most keys through an inverted index; boilerplate
    /// pairs with the first boilerplate of its class in B. An exact pair is the only candidate
    /// of its two units, with score 1 (their keys are left out of the index); copies of a repeated
    /// sentence are candidates of each other (`ExactPairs.repeatedPairs`), also with score 1.
    static func candidatePairs(_ a: NormalizedText, _ b: NormalizedText, _ aKeys: UnitKeys, _ bKeys: UnitKeys,
                               keyCount: Int, exact: ExactPairs, scratch: inout Scratch) -> [(score: Double, a: Int, b: Int)] {
        let unitsA = a.units, unitsB = b.units
        var candidates: [(score: Double, a: Int, b: Int)] = []
        candidates.reserveCapacity(2 * unitsA.count + 8)
        for (i, j) in exact.partnerOfA.enumerated() where j >= 0 { candidates.append((1.0, i, Int(j))) }
        for pair in exact.repeatedPairs { candidates.append((1.0, Int(pair.a), Int(pair.b))) }
        // Inverted index over B's sentence keys, laid out flat: the units holding key k are
        // postings[postingStart[k] ..< postingStart[k + 1]], in unit order. Filled through raw
        // buffers: every write is per key occurrence, and an array write checks each time that
        // its storage is unshared.
        var postingStart = Scratch.take(&scratch.postingStart, count: keyCount + 1, filledWith: 0)
        var postingCount = 0
        postingStart.withUnsafeMutableBufferPointer { start in
            for j in unitsB.indices where unitsB[j].kind == .sentence {
                bKeys.withKeys(j) { for k in $0 { start[Int(k) + 1] += 1 } }
            }
            for k in 0..<keyCount { start[k + 1] += start[k] }
            postingCount = Int(start[keyCount])
        }
        var postings = Scratch.take(&scratch.postings, count: postingCount, filledWith: nil)
        var fill = Scratch.take(&scratch.fill, count: 0, filledWith: nil)
        fill.removeAll(keepingCapacity: true)
        fill.append(contentsOf: postingStart) // the running end of each key's postings
        postings.withUnsafeMutableBufferPointer { postings in
            fill.withUnsafeMutableBufferPointer { fill in
                for j in unitsB.indices where unitsB[j].kind == .sentence {
                    bKeys.withKeys(j) { for k in $0 { postings[Int(fill[Int(k)])] = Int32(j); fill[Int(k)] += 1 } }
                }
            }
        }

        // Keys in more than `postingLimit` units are not followed through the index (that bounds
        // the work), so the units' shared-key counts miss them. When there are few such keys,
        // each unit's set of them is a bit mask, and common count + popcount is the exact
        // intersection: the Dice score without merging the two key lists.
        var frequentBits = Scratch.take(&scratch.frequent, count: keyCount, filledWith: -1)
        var frequentCount = 0
        postingStart.withUnsafeBufferPointer { start in
            frequentBits.withUnsafeMutableBufferPointer { frequent in
                for k in 0..<keyCount where start[k + 1] - start[k] > postingLimit {
                    if frequentCount < 128 { frequent[k] = Int8(frequentCount) }
                    frequentCount += 1
                }
            }
        }
        let masked = frequentCount <= 128
        let frequent = frequentBits // a constant from here: `mask` reads it without an access check per call
        func mask(_ keys: UnsafeBufferPointer<Int32>) -> (UInt64, UInt64) {
            var m: (UInt64, UInt64) = (0, 0)
            frequent.withUnsafeBufferPointer { frequent in
                for k in keys where frequent[Int(k)] >= 0 {
                    let bit = Int(frequent[Int(k)])
                    if bit < 64 { m.0 |= 1 << UInt64(bit) } else { m.1 |= 1 << UInt64(bit - 64) }
                }
            }
            return m
        }
        let masksB = masked ? unitsB.indices.map { j in bKeys.withKeys(j) { mask($0) } } : []

        // Per A unit: count shared keys per B unit through the index, keep the best few, score them.
        // Raw buffers: the counters are written once per key occurrence, and an array write
        // would check each time that its storage is unshared.
        var bestStore = [Int](repeating: 0, count: candidateLimit)
        // The kept units' counts ride along, so the insertion compares without reading `shared` through `best`.
        var bestSharedStore = [Int32](repeating: 0, count: candidateLimit)
        var sharedStore = Scratch.take(&scratch.shared, count: unitsB.count, filledWith: nil)
        var touchedStore = Scratch.take(&scratch.touched, count: unitsB.count + 1, filledWith: nil) // one spare: each visit writes before it counts
        defer {
            // Handed back for the next comparison (`shared` is all zeros again by then).
            scratch.postingStart = postingStart; scratch.postings = postings; scratch.fill = fill
            scratch.frequent = frequentBits; scratch.shared = sharedStore; scratch.touched = touchedStore
        }
        sharedStore.withUnsafeMutableBufferPointer { shared in
        touchedStore.withUnsafeMutableBufferPointer { touched in
        bestStore.withUnsafeMutableBufferPointer { best in
        bestSharedStore.withUnsafeMutableBufferPointer { bestShared in
        postingStart.withUnsafeBufferPointer { postingStart in
        postings.withUnsafeBufferPointer { postings in
            for (i, unit) in unitsA.enumerated() where exact.partnerOfA[i] < 0 {
                if case .boilerplate(let cls) = unit.kind {
                    // Boilerplate pairs only with boilerplate of the same class (VNA dateline ↔ VNS dateline).
                    if let j = unitsB.firstIndex(where: { $0.kind == .boilerplate(cls) }) { candidates.append((1.0, i, j)) }
                    continue
                }
                aKeys.withKeys(i) { keysOfI in
                    var touchedCount = 0
                    for k in keysOfI {
                        let lo = Int(postingStart[Int(k)]), hi = Int(postingStart[Int(k) + 1])
                        guard hi > lo, hi - lo <= postingLimit || keysOfI.count < 4 else { continue }
                        for p in lo..<hi {
                            // Branch-free: whether a unit is new to this A unit is unpredictable.
                            let j = Int(postings[p])
                            touched[touchedCount] = Int32(j)
                            touchedCount &+= shared[j] == 0 ? 1 : 0
                            shared[j] &+= 1
                        }
                    }
                    // The `candidateLimit` units sharing most keys; among equals, the first touched.
                    var bestCount = 0
                    for t in 0..<touchedCount {
                        let j = Int(touched[t])
                        let s = shared[j]
                        // Most units fall short of a full list's last: one test turns them away.
                        if bestCount == candidateLimit && bestShared[candidateLimit - 1] >= s { continue }
                        var at = bestCount
                        while at > 0 && bestShared[at - 1] < s { at -= 1 }
                        var k = min(bestCount, candidateLimit - 1)
                        while k > at { best[k] = best[k - 1]; bestShared[k] = bestShared[k - 1]; k -= 1 }
                        best[at] = j
                        bestShared[at] = s
                        bestCount = min(bestCount + 1, candidateLimit)
                    }
                    let maskA = masked ? mask(keysOfI) : (0, 0)
                    let exactShared = masked || keysOfI.count < 4
                    for j in best[..<bestCount] {
                        let score: Double
                        if exactShared {
                            var common = Int(shared[j])
                            if keysOfI.count >= 4 {
                                let m0 = maskA.0 & masksB[j].0, m1 = maskA.1 & masksB[j].1
                                if m0 | m1 != 0 { common += m0.nonzeroBitCount + m1.nonzeroBitCount }
                            }
                            // The division is only worked out for a pair that may be kept (with
                            // the threshold at 0.5, both sides of this test are exact).
                            let total = keysOfI.count + bKeys.count(j)
                            guard 2 * Double(common) >= threshold * Double(total) else { continue }
                            score = 2 * Double(common) / Double(total)
                        } else {
                            score = scratch.sets.dice(aKeys, i..<(i + 1), bKeys, j..<(j + 1))
                        }
                        if score >= threshold { candidates.append((score, i, j)) }
                    }
                    for t in 0..<touchedCount { shared[Int(touched[t])] = 0 }
                }
            }
        }
        }
        }
        }
        }
        }
        return candidates
    }
}

/// Per unit, the distinct keys of its words and numbers (in text order), all in one array.
struct UnitKeys {
    private var keys: [Int32] = []
    private var starts: [Int32] = [0]

    /// Units with a partner in `skipping` (exact pairs) get no keys. `seen` is a work list kept
    /// between calls: per key, the last unit (numbered from `seenBase`) that had it.
    init(_ t: NormalizedText, keyCount: Int, skipping partners: [Int32], seen seenStore: inout [Int32], seenBase: inout Int32) {
        var starts: [Int32] = [0]
        starts.reserveCapacity(t.units.count + 1)
        keys = [Int32](unsafeUninitializedCapacity: t.words.count) { out, written in
            var n = 0
            // Repeats are dropped as they come (a unit number per key marks it seen). The keys stay
            // in text order: nothing needs them sorted (`KeySets` scores by marking).
            // Marks from earlier calls are below `seenBase`, so they never look like this call's.
            if seenBase > Int32.max / 2 { seenStore.removeAll(); seenBase = 0 }
            if seenStore.count < keyCount { seenStore += [Int32](repeating: -1, count: keyCount - seenStore.count) }
            let base = seenBase
            seenBase += Int32(t.units.count)
            seenStore.withUnsafeMutableBufferPointer { seenIn in
                t.words.withUnsafeBufferPointer { words in
                    for u in t.units.indices {
                        if partners[u] < 0 {
                            let mark = base &+ Int32(truncatingIfNeeded: u)
                            // Without branches (whether a word is punctuation or new to the unit
                            // is unpredictable): every key is written and marked, and the count
                            // moves on past words and numbers not seen before. Marking a
                            // punctuation key is harmless: no word has one.
                            for w in t.wordsOfUnit[u] {
                                let word = words[w]
                                let fresh = seenIn[Int(word.key)] != mark ? 1 : 0
                                seenIn[Int(word.key)] = mark
                                out[n] = word.key
                                n &+= fresh & word.kind.wordCount
                            }
                        }
                        starts.append(Int32(n))
                    }
                }
            }
            written = n
        }
        self.starts = starts
    }

    subscript(unit: Int) -> ArraySlice<Int32> { keys[Int(starts[unit])..<Int(starts[unit + 1])] }

    /// Number of distinct keys of `unit`.
    func count(_ unit: Int) -> Int { Int(starts[unit + 1] - starts[unit]) }

    /// The keys of `unit` as a raw buffer, for loops that read every key.
    func withKeys<R>(_ unit: Int, _ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        let lo = Int(starts[unit]), hi = Int(starts[unit + 1])
        return keys.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }
}

/// Dice scores of key sets by marking, not merging: each key of one side is stamped, then the
/// other side's keys are looked up. No list needs sorting, and a union of several units' keys
/// is scored without building it.
struct KeySets {
    private var marks: [UInt32] = []
    private var stamp: UInt32 = 0

    /// Room for keys below `keyCount`; marks from earlier comparisons stay, older than any new one.
    mutating func prepare(keyCount: Int) {
        if marks.count < keyCount { marks += [UInt32](repeating: 0, count: keyCount - marks.count) }
    }

    /// The Dice coefficient of the distinct keys of units `ra` of A and units `rb` of B (1 when
    /// both are empty).
    mutating func dice(_ aKeys: UnitKeys, _ ra: Range<Int>, _ bKeys: UnitKeys, _ rb: Range<Int>) -> Double {
        if stamp >= UInt32.max - 2 {
            for i in marks.indices { marks[i] = 0 }
            stamp = 0
        }
        stamp += 2
        let inA = stamp - 1, inB = stamp
        var countA = 0, countB = 0, common = 0
        marks.withUnsafeMutableBufferPointer { marks in
            for u in ra {
                for k in aKeys[u] where marks[Int(k)] != inA { marks[Int(k)] = inA; countA += 1 }
            }
            for u in rb {
                for k in bKeys[u] {
                    let mark = marks[Int(k)]
                    if mark == inB { continue }
                    if mark == inA { common += 1 }
                    marks[Int(k)] = inB
                    countB += 1
                }
            }
        }
        return countA + countB == 0 ? 1 : 2 * Double(common) / Double(countA + countB)
    }
}

extension SentenceAligner {
    /// Work lists of the aligner, kept between comparisons (in the lexicon, which serves one
    /// thread at a time) so that their storage is reused rather than allocated each time.
    struct Scratch {
        var sets = KeySets()
        var seen: [Int32] = []
        var seenBase: Int32 = 0
        var postingStart: [Int32] = [], postings: [Int32] = [], fill: [Int32] = [], shared: [Int32] = [], touched: [Int32] = []
        var frequent: [Int8] = []

        /// `list`, moved out (leaving an empty one), with `count` elements: all `value` when given,
        /// else what was there, and zeros where it grew (the caller writes every element it
        /// reads, or, like `shared`, leaves it all zeros).
        static func take<T: FixedWidthInteger>(_ list: inout [T], count: Int, filledWith value: T?) -> [T] {
            var taken: [T] = []
            swap(&taken, &list)
            if let value {
                taken.removeAll(keepingCapacity: true)
                taken.append(contentsOf: repeatElement(value, count: count))
            } else if taken.count < count {
                taken += [T](repeating: 0, count: count - taken.count)
            }
            return taken
        }
    }
}
