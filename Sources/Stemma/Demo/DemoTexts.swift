/// The built-in sample story for `stemma demo` and the tests: written for Stemma in the style of
/// a VNA wire text and its VNS re-edit (inline date header, dateline, diacritics restored, British
/// spelling, a photo caption, reworded, moved, dropped and added sentences, a closing byline).
/// The people and the agreement are invented.
public enum DemoTexts {
    public static let story = "rice-trade-talks"
    public static let date = "2024-03-12"

    public static let wire = """
     date 2024-03-12 Hanoi (VNA) \u{2013} Deputy Prime Minister Tran Van Hai on Tuesday received a delegation of the Philippine Department of Agriculture led by Secretary Maria Santos, who is on a working visit to Vietnam.

    The two sides discussed measures to boost cooperation in rice trade, agricultural research and the organization of joint training programs.

    Hai congratulated the Philippines on its recent achievements in food security and said Vietnam considers the country one of its most important partners in Southeast Asia.

    He said over the past years, bilateral trade in rice has grown steadily, with Vietnam supplying about 2.5 million tonnes to the Philippine market in 2023.

    Santos thanked Vietnam for being a reliable supplier and proposed that the two countries sign a five-year memorandum of understanding on rice trade cooperation.

    High-level visits between the two countries have been maintained regularly, she noted.

    She also suggested that Vietnamese research centers in the Mekong Delta share their experience in developing flood-tolerant rice varieties.

    Hai welcomed the proposal and asked the ministries of both countries to finalize the document soon.

    """

    public static let newspaper = """
    Deputy Prime Minister Tr\u{1EA7}n V\u{0103}n H\u{1EA3}i receives Philippine Secretary of Agriculture Maria Santos in H\u{00E0} N\u{1ED9}i on Tuesday. VNA/VNS Photo Minh \u{0110}\u{1EE9}c

    H\u{00C0} N\u{1ED8}I \u{2014} Deputy Prime Minister Tr\u{1EA7}n V\u{0103}n H\u{1EA3}i on Tuesday received a delegation of the Philippine Department of Agriculture led by Secretary Maria Santos, who is on a working visit to Vi\u{1EC7}t Nam.

    The two sides discussed ways to boost co-operation in rice trade, agricultural research and the organisation of joint training programmes.

    Santos thanked Vi\u{1EC7}t Nam for being a reliable supplier and proposed that the two countries sign a five-year memorandum of understanding on rice trade co-operation.

    H\u{1EA3}i congratulated the Philippines on its recent achievements in food security and said Vi\u{1EC7}t Nam considers the country one of its most important partners in Southeast Asia.

    In recent years, bilateral trade in rice has grown steadily, with Vi\u{1EC7}t Nam supplying about 2.5 million tonnes to the Philippine market in 2023, he said.

    She also suggested that Vietnamese research centres in the Mekong Delta share their experience in developing flood-tolerant rice varieties.

    H\u{1EA3}i welcomed the proposal and asked the ministries of both countries to finalise the document soon.

    The Philippines imported 3.6 million tonnes of rice last year, most of it from Vi\u{1EC7}t Nam. \u{2014} VNS
    """
}
