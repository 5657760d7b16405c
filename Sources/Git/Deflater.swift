import CZlib

/// A reusable zlib stream for many small inputs. `compress2` sets up a fresh stream for every
/// call: about 270 KB allocated (mapped and unmapped by malloc at that size) and a 64 KB hash
/// table zeroed, which for a pack of small trees and deltas cost more than the compression.
/// Here one stream per hash size is set up once and reset between inputs, with the hash table
/// sized to the input. Not thread-safe: one per worker.
final class Deflater {
    private let level: Int32
    /// Streams by memLevel (hash table of 2^(memLevel+7) entries, cleared on every reset).
    private var streams: [Int32: UnsafeMutablePointer<z_stream>] = [:]
    /// Below this size an input is stored, not compressed: zlib builds three Huffman trees for
    /// every input however small (a profile showed that heap work as most of a pack's CPU),
    /// and a 40-byte tree delta gains nothing from it.
    /// 512 covers trees, tree deltas and commits; measured on 10^4 editions it cut the time spent
    /// packing by a third for a pack 15 % larger.
    static let storedBelow = 512

    init(level: Int32) { self.level = level }

    deinit {
        for stream in streams.values {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
    }

    /// `input` deflated as one zlib stream (what a pack entry holds).
    func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        if input.count < Self.storedBelow { return Self.stored(input) }
        let stream = self.stream(for: input.count)
        precondition(deflateReset(stream) == Z_OK, "zlib deflateReset failed")
        let bound = Int(deflateBound(stream, uLong(input.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { out, written in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = uInt(bound)
            let rc = deflate(stream, Z_FINISH)
            // deflateBound guarantees one call finishes; anything else is a zlib bug.
            precondition(rc == Z_STREAM_END, "zlib deflate failed: \(rc)")
            written = bound - Int(stream.pointee.avail_out)
        }
    }

    func compress(_ input: [UInt8]) -> [UInt8] { input.withUnsafeBytes { compress($0) } }

    /// A zlib stream of one stored (uncompressed) deflate block (RFC 1950 and 1951): header,
    /// final-block flag, length and its complement, the bytes, their Adler-32. For inputs under
    /// 64 KiB.
    static func stored(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(input.count < 65_536)
        let n = UInt16(input.count)
        var out: [UInt8] = [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)]
        out.reserveCapacity(input.count + 11)
        out.append(contentsOf: input)
        let check = UInt32(adler32(1, input.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(input.count)))
        out += [UInt8(check >> 24), UInt8(check >> 16 & 0xFF), UInt8(check >> 8 & 0xFF), UInt8(check & 0xFF)]
        return out
    }

    private func stream(for size: Int) -> UnsafeMutablePointer<z_stream> {
        // A hash table about the size of the input finds the same matches; larger only costs
        // the clearing.
        var memLevel: Int32 = 1
        while memLevel < 8 && (1 << (memLevel + 7)) < size { memLevel += 1 }
        if let stream = streams[memLevel] { return stream }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = deflateInit2_(stream, level, Z_DEFLATED, 15, memLevel, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "zlib deflateInit2 failed: \(rc)") // only for bad arguments or no memory
        streams[memLevel] = stream
        return stream
    }
}
