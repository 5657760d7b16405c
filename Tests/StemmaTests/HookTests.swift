import Foundation
import Testing
import TestSupport
@testable import Stemma

@Suite struct HookTests {
    func install(_ event: HookEvent, _ script: String, in f: Fixture) throws {
        try writeExecutable(script, to: f.corpus.hookPath(event))
    }

    @Test func shippedPreCommitHookRefusesMarkedTextsAndChangesNothing() throws {
        let f = try Fixture()
        let shipped = ShippedHooks.script(for: .preCommit)
        try install(.preCommit, shipped, in: f)
        try f.commit("A clean edition.")
        let before = try f.snapshot()
        do {
            try f.commit("An edition with [TK] still in it.")
            Issue.record("the hook did not refuse")
        } catch StemmaError.user(let message) {
            #expect(message.contains("pre-commit hook refused") && message.contains("editor's marker"))
        }
        #expect(try f.snapshot() == before)
    }

    @Test func shippedPostCommitHookSeesTheCommit() throws {
        let f = try Fixture()
        let shipped = ShippedHooks.script(for: .postCommit)
        try install(.postCommit, shipped, in: f)
        let outcome = try f.commit("Journalled edition.", title: "T")
        let journal = try String(contentsOfFile: f.path + "/stemma-journal.tsv", encoding: .utf8)
        #expect(journal == "2021-04-27\tstory-one\tVNA\t\(outcome.edition)\t\(outcome.commit)\n")
        // A no-op commit runs no post-commit hook.
        try f.commit("Journalled edition.", title: "T")
        #expect(try String(contentsOfFile: f.path + "/stemma-journal.tsv", encoding: .utf8) == journal)
    }

    @Test func failingPostHookIsAWarningNotAFailure() throws {
        let f = try Fixture()
        try install(.postImport, "#!/bin/sh\necho \"imported $STEMMA_IMPORTED\" >&2\nexit 3\n", in: f)
        var warnings: [String] = []
        f.corpus.onWarning = { warnings.append($0) }
        let manifest = f.folder.write("m.jsonl", #"{"text": "Text. — VNS", "story": "s", "date": "2022-01-01"}"#)
        let report = try Importer(corpus: f.corpus, options: ImportOptions()).run([ImportSource(path: manifest)])
        #expect(report.progress.created == 1)
        #expect(warnings == ["post-import hook failed: imported 1"])
    }
}
