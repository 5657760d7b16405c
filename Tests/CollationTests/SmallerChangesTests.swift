import Foundation
import Testing
@testable import Collation

/// Smaller, truer changes: labels and sentence splitting that read the way an editor would.
@Suite struct SmallerChangesTests {
    func sentences(_ s: String) -> [String] {
        let seg = Segmenter.segment(Array(s.utf8))
        return seg.units.filter { $0.kind == .sentence }.map { seg.text($0.range) }
    }

    @Test func multiDotAbbreviationsDoNotEndSentences() {
        #expect(sentences("Farmers grow crops, e.g. Rice and maize. They sell abroad, i.e. China buys most.")
                == ["Farmers grow crops, e.g. Rice and maize.", "They sell abroad, i.e. China buys most."])
        #expect(sentences("Talks began at 9 A.M. On Monday they ended.") == ["Talks began at 9 A.M. On Monday they ended."])
        // A single lower-case letter before a full stop still ends a sentence.
        #expect(sentences("He chose plan b. Then he left.") == ["He chose plan b.", "Then he left."])
    }

    @Test func anApostropheIsPunctuation() {
        #expect(Classifier.accidental("its", "it's") == .punctuation)
        #expect(Classifier.accidental("its", "it\u{2019}s") == .punctuation)
        #expect(Classifier.accidental("cooperation", "co-operation") == .hyphenation)
        let c = Collator.collate("The party held its congress.", "The party held it's congress.")
        #expect(c.changes.map(\.changeClass) == [.punctuation])
    }

    @Test func colourKeepsTheOldFormOfAnAccidentalVisible() {
        let c = Collator.collate("Rice, maize and beans.", "Rice maize and beans.")
        let options = RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"), colour: true)
        let out = Renderers.render(c, as: .terminal, options: options)
        #expect(out.contains("\u{1B}[2;9m,\u{1B}[0m"), "the dropped comma is shown struck through")
    }

    @Test func anAddedOrDeletedSentenceTakesItsSeparatorWithIt() {
        let added = Collator.collate("The talks began.", "The talks began.\n\nThey ended on Friday.")
        #expect(added.changes.map(\.changeClass) == [.sentenceAdded])
        #expect(added.changes.map { added.bText($0) } == ["\n\nThey ended on Friday."])
        let deleted = Collator.collate("The talks began. They ended on Friday.", "The talks began.")
        #expect(deleted.changes.map(\.changeClass) == [.sentenceDeleted])
        #expect(deleted.changes.map { deleted.aText($0) } == [" They ended on Friday."])
        let byline = Collator.collate("The talks began.", "The talks began. — VNS")
        #expect(byline.changes.count == 1 && byline.changes[0].changeClass == .byline, "\(byline.changes.map { (byline.aText($0), byline.bText($0)) })")
    }

    @Test func sentencesAreCountedByHowTheyCameThrough() {
        let a = "The talks began on Monday. Vietnam sent rice. Prices rose sharply. The port was closed."
        let b = "The talks began on Monday. Việt Nam sent rice. Prices fell sharply. Officials left early."
        let s = Collator.collate(a, b).summary
        #expect(s.sentencesUnchanged == 1 && s.sentencesAccidentalOnly == 1 && s.sentencesReworded == 1)
        #expect(s.sentencesAdded == 1 && s.sentencesDeleted == 1 && s.sentencesMoved == 0)
        #expect(s.sentenceCounts.map(\.name) == ["unchanged", "accidental_only", "reworded", "added", "deleted", "moved", "split", "merged"])
        let split = Collator.collate("The minister arrived and the talks began at once.", "The minister arrived. The talks began at once.").summary
        #expect(split.sentencesSplit == 1 && split.sentencesReworded == 0, "\(split)")
    }
}

/// The tokenizer's and segmenter's punctuation rules come from `TokenRules` alone: every rule in
/// it acts on both tokenizer paths and on sentence splitting.
@Suite struct TokenRulesTests {
    @Test func everyStopEndsASentenceAndEveryJoinerJoins() {
        for stop in TokenRules.sentenceStops {
            let text = "The talks began" + String(stop) + " Then they ended" + String(stop)
            let seg = Segmenter.segment(Array(text.utf8))
            #expect(seg.units.filter { $0.kind == .sentence }.count == 2, "\(stop)")
        }
        for joiner in TokenRules.wordJoiners {
            let text = Array(("co" + String(joiner) + "operation and 12" + String(joiner) + "a").utf8)
            #expect(Tokenizer.tokenize(text).first.map { String(decoding: text[$0.range], as: UTF8.self) } == "co" + String(joiner) + "operation", "\(joiner)")
            #expect(Tokenizer.tokenize(text) == Tokenizer.tokenizeOneAtATime(text))
        }
        for joiner in TokenRules.numberJoiners {
            let long = Array(("Rice exports rose to 2" + String(joiner) + "5 million tonnes, " + String(repeating: "far more than before ", count: 4)).utf8)
            let tokens = Tokenizer.tokenize(long)
            #expect(tokens.contains { String(decoding: long[$0.range], as: UTF8.self) == "2" + String(joiner) + "5" && $0.kind == .number }, "\(joiner)")
            #expect(tokens == Tokenizer.tokenizeOneAtATime(long))
            // Between letters it joins nothing.
            #expect(Tokenizer.tokenize(Array(("a" + String(joiner) + "b").utf8)).count == 3)
        }
    }
}

/// Found by a newcomer's trial.
@Suite struct NewcomerFindingsTests {
    @Test func insertedTextIsGreenAndDeletedTextRed() {
        let c = Collator.collate("They agreed today.", "They agreed on grid links today.")
        let out = Renderers.render(c, as: .terminal, options: RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"), colour: true))
        #expect(out.contains("\u{1B}[32mon grid links \u{1B}[0m"), "\(out.debugDescription)")
    }

    @Test func substantiveOnlyLeavesAccidentalsOutOfTheHeader() {
        let c = Collator.collate("Vietnam agreed today.", "Việt Nam agreed on Monday.")
        let out = Renderers.render(c, as: .terminal, options: RenderOptions(a: WitnessLabel(title: "a"), b: WitnessLabel(title: "b"), substantiveOnly: true))
        #expect(!out.contains("accidental") && out.contains("substantive"))
    }

    @Test func aLoneShortSentenceWithHouseStyleIsAccidental() {
        let c = Collator.collate("Vietnam signed.\n", "Việt Nam signed.\n")
        #expect(c.changes.count == 1 && c.changes.allSatisfy { $0.kind == .accidental }, "\(c.changes.map { (c.aText($0), c.bText($0), $0.changeClass) })")
        #expect(c.summary.sentencesAccidentalOnly == 1)
    }

    @Test func aMovedRewordedSentenceIsNotWhollyAlike() {
        let moved = Collator.collate("Alpha met Beta today.\n\nGamma spoke.\n\nDelta left.\n", "Gamma spoke.\n\nDelta left.\n\nAlpha met Beta yesterday.\n")
        let unchanged = Collator.collate("Alpha met Beta today.\n\nGamma spoke.\n\nDelta left.\n", "Gamma spoke.\n\nDelta left.\n\nAlpha met Beta today.\n")
        #expect(moved.summary.sentencesMoved == 1 && unchanged.summary.sentencesMoved == 1)
        #expect(moved.summary.similarity < 1 && unchanged.summary.similarity == 1)
    }
}
