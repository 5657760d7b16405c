import Foundation
import Testing
import TestSupport

/// `grep`'s word index is filled when `grep` asks, not when records are written (issue 17): what
/// was imported or committed just before is found, what was removed is not, whichever way it came.
@Suite struct GrepCatchUpTests {
    let folder = TemporaryFolder()
    var corpus: String { folder.file("corpus") }

    @discardableResult
    func stemma(_ args: [String]) throws -> ProcessResult { try run(CLITests.binary, args, directory: folder.path) }

    /// The stories of the editions `grep` finds for `phrase`, sorted.
    func stories(_ phrase: String) throws -> [String] {
        let r = try stemma(["grep", phrase, "--json", "--limit", "0", "--corpus", corpus])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let hits = try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [[String: Any]] ?? []
        return hits.compactMap { $0["story"] as? String }.sorted()
    }

    func manifest(_ name: String, _ items: [[String: String]]) throws -> String {
        let lines = try items.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        return folder.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// Two texts that share no phrase but the one each is searched by.
    static let rice = "Hà Nội (VNA) – Việt Nam exported more rice to the Philippines this spring, the ministry said on Monday."
    static let coffee = "Đắk Lắk (VNA) – Coffee growers in the Central Highlands expect a smaller harvest after the long drought."
    static let pepper = "Bình Phước (VNA) – Pepper prices at the border markets rose for the third week running, traders reported."

    @Test func grepFindsWhatWasImportedOrCommittedJustBeforeAndNotWhatWasRemoved() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        // An import with stories: grep has never run, so the matching index does not exist yet.
        let first = try manifest("first.jsonl", [["text": Self.rice, "story": "rice", "source": "VNA", "date": "2024-03-12"]])
        #expect(try stemma(["import", first, "--quiet", "--corpus", corpus]).status == 0)
        #expect(try stories("viet nam") == ["rice"])
        // An import without a story, into a corpus whose matching index is in use.
        let second = try manifest("second.jsonl", [["text": Self.coffee, "source": "VNA", "date": "2024-03-13"]])
        let imported = try stemma(["import", second, "--quiet", "--corpus", corpus])
        #expect(imported.status == 0, "\(imported.stderr)")
        let coffeeStories = try stories("dak lak")
        #expect(coffeeStories.count == 1 && coffeeStories[0].hasPrefix("2024-03-13-"), "\(coffeeStories)")
        // A commit with and one without a story, grep run between them.
        let pepper = folder.write("pepper.txt", Self.pepper)
        #expect(try stemma(["commit", pepper, "--story", "pepper", "--source", "VNA", "--date", "2024-03-14", "--corpus", corpus]).status == 0)
        #expect(try stories("binh phuoc") == ["pepper"])
        let ricePaper = folder.write("rice-vns.txt", Self.rice.replacingOccurrences(of: "(VNA)", with: "(VNS)"))
        #expect(try stemma(["commit", ricePaper, "--story", "rice-again", "--source", "VNS", "--date", "2024-03-15", "--corpus", corpus]).status == 0)
        #expect(try stories("viet nam") == ["rice", "rice-again"])
        // Removed after grep had indexed it, and removed before grep ever saw it.
        #expect(try stemma(["rm", "rice:VNA", "--corpus", corpus]).status == 0)
        #expect(try stemma(["commit", pepper, "--story", "pepper-2", "--source", "VNS", "--date", "2024-03-16", "--corpus", corpus]).status == 0)
        #expect(try stemma(["rm", "pepper-2:VNS", "--corpus", corpus]).status == 0)
        #expect(try stories("viet nam") == ["rice-again"])
        #expect(try stories("binh phuoc") == ["pepper"])
        #expect(try stories("exported more rice") == ["rice-again"])
    }

    @Test func grepFindsEverythingAfterTheMatchingIndexIsDeleted() throws {
        #expect(try stemma(["init", corpus]).status == 0)
        let items = [["text": Self.rice, "story": "rice", "source": "VNA", "date": "2024-03-12"],
                     ["text": Self.coffee, "source": "VNA", "date": "2024-03-13"]]
        #expect(try stemma(["import", try manifest("m.jsonl", items), "--quiet", "--corpus", corpus]).status == 0)
        #expect(try stories("viet nam") == ["rice"])
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: corpus + "/stemma-match.sqlite" + suffix) }
        #expect(try stories("viet nam") == ["rice"])
        #expect(try stories("central highlands").count == 1)
    }
}
