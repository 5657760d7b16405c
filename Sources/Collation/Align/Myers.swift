/// Myers' O((N+M)·D) shortest edit script over integer keys: the token aligner inside a
/// sentence pair. Common prefix and suffix are matched first, which makes the usual case
/// (a few edits in a long run) close to linear.
public enum Myers {
    /// Index pairs (i, j) with a[i] == b[j], increasing in both, forming a longest common
    /// subsequence. When the edit distance would exceed `maxEdits`, returns the prefix and
    /// suffix matches only (callers treat the middle as one replacement): this bounds the work.
    public static func matches(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>, maxEdits: Int = 2_000) -> [(Int, Int)] {
        var runs: [MatchRun] = []
        var buffers = Buffers()
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                appendMatches(IDs(pa), IDs(pb), offsetA: a.startIndex, offsetB: b.startIndex, maxEdits: maxEdits, to: &runs, buffers: &buffers)
            }
        }
        var out: [(Int, Int)] = []
        out.reserveCapacity(min(a.count, b.count))
        for run in runs { for k in 0..<run.length { out.append((run.a + k, run.b + k)) } }
        return out
    }

    /// As `matches`, over any list of ids (the analyser reads them straight out of its words), as
    /// runs of consecutive matches (a sentence pair is mostly one or two long runs, and its reader
    /// compares a run's bytes at once); indices are reported shifted by the offsets.
    static func appendMatches<S: IDList>(_ a: S, _ b: S, offsetA: Int, offsetB: Int, maxEdits: Int = 2_000, to out: inout [MatchRun],
                                         buffers: inout Buffers) {
        // One item each side (a re-spelt or reworded word between two matches): the usual call.
        if a.count == 1 && b.count == 1 {
            if a[0] == b[0] { out.append(MatchRun(a: offsetA, b: offsetB, length: 1)) }
            return
        }
        var aLo = 0
        var aHi = a.count, bHi = b.count
        let shorter = min(aHi, bHi)
        while aLo < shorter, a[aLo] == b[aLo] { aLo += 1 }
        let bLo = aLo
        if aLo > 0 { out.append(MatchRun(a: offsetA, b: offsetB, length: aLo)) }
        while aHi > aLo, bHi > bLo, a[aHi - 1] == b[bHi - 1] { aHi -= 1; bHi -= 1 }
        // One item left on each side: they differ (else the prefix took them), so nothing matches.
        if aLo < aHi && bLo < bHi && !(aHi - aLo == 1 && bHi - bLo == 1) {
            middle(a, aLo, aHi - aLo, b, bLo, bHi - bLo, maxEdits: maxEdits, offsetA: offsetA + aLo, offsetB: offsetB + bLo, into: &out, buffers: &buffers)
        }
        if a.count > aHi { out.append(MatchRun(a: offsetA + aHi, b: offsetB + bHi, length: a.count - aHi)) }
    }

    /// Appends the matches of a[0..<n] and b[0..<m] (reported shifted by the offsets) to `out`.
    private static func middle<S: IDList>(_ a: S, _ aStart: Int, _ n: Int, _ b: S, _ bStart: Int, _ m: Int,
                                          maxEdits: Int, offsetA: Int, offsetB: Int, into out: inout [MatchRun], buffers: inout Buffers) {
        let maxD = min(n + m, maxEdits)
        let offset = maxD + 1
        if buffers.v.count < 2 * maxD + 3 { buffers.v = [Int32](repeating: 0, count: 2 * maxD + 3) }
        // The walk back needs, for each d ≥ 1, the furthest x on diagonals -(d-1) … d-1 after
        // step d-1: those 2d-1 values are kept back to back, step d's from (d-1)², so the trace
        // costs O(D²) for D edits rather than a copy of all of `v` per step.
        // Moved out for the search, which holds `buffers.v`, and handed back after.
        var trace = buffers.trace
        buffers.trace = []
        var traceCount = 0
        defer { buffers.trace = trace }
        var found = -1
        buffers.v.withUnsafeMutableBufferPointer { vBuffer in
            let v = vBuffer.baseAddress! + offset
            v[1] = 0 // step 0 reads diagonal 1 before anything has written it; nothing else is read unwritten
            outer: for d in 0...maxD {
                if d > 0 {
                    // Written in place: the list keeps its length from call to call and only grows.
                    let count = 2 * d - 1
                    if traceCount + count > trace.count { trace += [Int32](repeating: 0, count: max(trace.count, traceCount + count)) }
                    trace.withUnsafeMutableBufferPointer { t in (t.baseAddress! + traceCount).update(from: v - (d - 1), count: count) }
                    traceCount += count
                }
                var k = -d
                while k <= d {
                    var x = Int(k == -d || (k != d && v[k - 1] < v[k + 1]) ? v[k + 1] : v[k - 1] + 1)
                    var y = x - k
                    while x < n, y < m, a[aStart + x] == b[bStart + y] { x += 1; y += 1 }
                    v[k] = Int32(truncatingIfNeeded: x)
                    if x >= n && y >= m { found = d; break outer }
                    k += 2
                }
            }
        }
        guard found >= 0 else { return }
        // Walk the trace back from (n, m), collecting each step's diagonal run (last first).
        let first = out.count
        var x = n, y = m
        var d = found
        trace.withUnsafeBufferPointer { trace in
            while d >= 0 && (x > 0 || y > 0) {
                let base = (d - 1) * (d - 1) + (d - 1) // index of diagonal 0 in step d's values
                let k = x - y
                let prevK = k == -d || (k != d && trace[base + k - 1] < trace[base + k + 1]) ? k + 1 : k - 1
                let prevX = d == 0 ? 0 : Int(trace[base + prevK])
                let prevY = prevX - prevK
                let run = min(x - prevX, y - prevY, x, y)
                if run > 0 {
                    x -= run; y -= run
                    out.append(MatchRun(a: offsetA + x, b: offsetB + y, length: run))
                }
                if d == 0 { break }
                x = prevX; y = prevY
                d -= 1
            }
        }
        // Reversed by index: reversing the slice `out[first...]` would copy the whole list.
        var lo = first, hi = out.count - 1
        while lo < hi { out.swapAt(lo, hi); lo += 1; hi -= 1 }
    }
}

/// Matches a[a + k] == b[b + k] for k in 0..<length. Runs from one search never touch (an edit
/// separates them); runs from different searches may, and are kept apart.
struct MatchRun {
    var a: Int
    var b: Int
    var length: Int
}

extension Myers {
    /// Work lists of the search, kept by a caller that makes many calls (the token diff makes
    /// one or more per sentence pair, and allocating them each time cost more than the search).
    struct Buffers {
        var v: [Int32] = []
        var trace: [Int32] = []
    }
}

/// Random access to a list of ids, whatever holds them: Myers is specialised for each kind.
protocol IDList {
    var count: Int { get }
    subscript(i: Int) -> Int32 { get }
}

/// Ids in a plain buffer.
struct IDs: IDList {
    let base: UnsafeBufferPointer<Int32>
    init(_ base: UnsafeBufferPointer<Int32>) { self.base = base }
    var count: Int { base.count }
    @inline(__always) subscript(i: Int) -> Int32 { base[i] }
}
