import Foundation
import Testing
import TestSupport

/// Without `--corpus`, a command finds the corpus as git finds a repository: the nearest
/// `.stemma` folder upwards, or the nearest folder that is itself a bare repository (a corpus
/// cloned into a folder of its own, worked in from inside).
@Suite struct CorpusDiscoveryTests {
    let folder = TemporaryFolder()

    func stemma(_ args: [String], in directory: String) throws -> ProcessResult {
        try run(CLIHarness.binary, args, directory: directory, environment: ["STEMMA_CORPUS": ""])
    }

    /// The folder `stemma init` made its `.stemma` corpus in, given as the corpus: the corpus inside is named.
    @Test func aFolderHoldingACorpusGivenAsTheCorpusNamesIt() throws {
        let work = folder.file("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        #expect(try stemma(["init"], in: work).status == 0)
        let r = try stemma(["stories", "--corpus", work], in: folder.path)
        #expect(r.status == 2 && r.stderr == "stemma: \(work) is not a stemma corpus (not a git repository); did you mean \(work)/.stemma?\n", "\(r.stderr)")
    }

    @Test func fromInsideABareCorpusAndBelowIt() throws {
        let origin = folder.file("origin")
        #expect(try stemma(["init", origin], in: folder.path).status == 0)
        #expect(try stemma(["commit", folder.write("a.txt", "Hanoi (VNA) – Rice exports rose.\n"), "--story", "rice", "--date", "2024-03-01",
                            "--corpus", origin], in: folder.path).status == 0)
        #expect(try stemma(["clone", origin, "laptop"], in: folder.path).status == 0)
        let laptop = folder.file("laptop")
        let expected = try stemma(["stories", "--corpus", laptop], in: folder.path).out
        #expect(expected.contains("rice"))
        for directory in [laptop, laptop + "/objects", laptop + "/refs/heads"] {
            let r = try stemma(["stories"], in: directory)
            #expect(r.status == 0 && r.out == expected, "from \(directory): \(r.stderr)")
        }
        let viaC = try stemma(["-C", "laptop", "stories"], in: folder.path)
        #expect(viaC.status == 0 && viaC.out == expected, "\(viaC.stderr)")

        // A bare repository that is not a corpus is named as such, not passed over.
        let plain = folder.file("plain.git")
        #expect(try git(["init", "--quiet", "--bare", plain]).status == 0)
        let refused = try stemma(["stories"], in: plain)
        #expect(refused.status == 2 && refused.stderr.contains("not a stemma corpus"), "\(refused.stderr)")
        // Outside any corpus: the usual advice.
        let none = try stemma(["stories"], in: folder.path)
        #expect(none.status == 2 && none.stderr.contains("no corpus found"), "\(none.stderr)")
    }
}
