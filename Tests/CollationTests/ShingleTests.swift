import Collation
import Testing
import TestSupport

/// The shingles matching is built on (issue 17): folded as the engine folds, compounds written
/// apart shingle alike, boilerplate left out; and the search fold's fast path folds as the layers do.
@Suite struct ShingleTests {
    @Test func foldedSpellingsAndCompoundsShingleAlike() {
        let a = Shingles.of(Array("Việt Nam and the organisation agreed to expand co-operation in rice trade this year.".utf8))
        let b = Shingles.of(Array("VIETNAM and the Organization agreed to expand cooperation in rice trade this year.".utf8))
        // Every window but the one starting at `Nam` (which 'Vietnam' has no word start for).
        #expect(Set(a).subtracting(b).count == 1)
        #expect(Set(b).isSubset(of: Set(a)))
        let other = Shingles.of(Array("Laos opened a dam on the Mekong river on Tuesday, the ministry said.".utf8))
        #expect(Set(a).isDisjoint(with: other))
    }

    @Test func boilerplateIsNotShingled() {
        let story = "The talks went well and both sides agreed to meet again next year in Hà Nội."
        let plain = Shingles.of(Array(story.utf8))
        let dressed = Shingles.of(Array(("date 2024-03-12 Hanoi (VNA) – " + story + " — VNS").utf8))
        #expect(Set(plain) == Set(dressed))
    }

    @Test func theSearchFoldFastPathFoldsAsTheLayersDo() {
        var random = SeededRandom(seed: 17)
        let pieces = ["Việt", "Nam", "HÀ NỘI", "e\u{301}", "“quoted”", "—", "ĐÀ", "Straße", " ", "abc", "ǅ", "İ", "\u{A0}"]
        for _ in 0..<300 {
            let text = (0..<6).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(SearchFold.key(text) == Normalizer.key(text, except: [.joiners, .spelling]), "\(text)")
        }
    }
}
