/// British and American spelling variants, so `organisation` and `organization` compare equal.
///
/// Both forms map to one canonical key; the rules only ever apply to both texts alike, so a rule
/// that over-reaches (`exercise` → `exercize`) still compares a word with itself. Rules that could
/// make two different words equal (`four`/`for`, `filled`/`filed`) are kept to explicit word lists.
public enum Spelling {
    /// Whole words: British form → American form (the canonical key).
    static let words: [String: String] = {
        var table: [String: String] = [:]
        let our = ["colour", "favour", "honour", "humour", "labour", "neighbour", "rumour", "vigour", "behaviour", "harbour",
                   "flavour", "endeavour", "armour", "savour", "odour", "parlour", "valour", "vapour", "saviour", "splendour",
                   "candour", "clamour", "glamour", "tumour", "rancour", "ardour", "demeanour", "fervour", "rigour"]
        for w in our {
            let us = String(w.dropLast(2)) + "r"
            for (b, a) in [("", ""), ("s", "s"), ("ed", "ed"), ("ing", "ing"), ("able", "able"), ("hood", "hood"), ("ly", "ly"),
                           ("ite", "ite"), ("ites", "ites"), ("ful", "ful"), ("less", "less")] {
                table[w + b] = us + a
            }
        }
        table["neighbourliness"] = "neighborliness"
        let ll = ["travelled": "traveled", "travelling": "traveling", "traveller": "traveler", "travellers": "travelers",
                  "cancelled": "canceled", "cancelling": "canceling", "labelled": "labeled", "labelling": "labeling",
                  "modelled": "modeled", "modelling": "modeling", "counsellor": "counselor", "counsellors": "counselors",
                  "counselling": "counseling", "fuelled": "fueled", "fuelling": "fueling", "signalled": "signaled",
                  "signalling": "signaling", "totalled": "totaled", "totalling": "totaling", "levelled": "leveled",
                  "levelling": "leveling", "marvellous": "marvelous", "jewellery": "jewelry", "enrolment": "enrollment",
                  "enrol": "enroll", "enrols": "enrolls", "fulfil": "fulfill", "fulfils": "fulfills", "fulfilment": "fulfillment",
                  "skilful": "skillful", "wilful": "willful", "instalment": "installment", "channelled": "channeled",
                  "channelling": "channeling", "tunnelling": "tunneling", "quarrelling": "quarreling", "dialled": "dialed"]
        let other = ["programme": "program", "programmes": "programs", "catalogue": "catalog", "catalogues": "catalogs",
                     "dialogue": "dialog", "dialogues": "dialogs", "analogue": "analog", "monologue": "monolog",
                     "defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
                     "licence": "license", "licences": "licenses", "pretence": "pretense", "ageing": "aging", "grey": "gray",
                     "fibre": "fiber", "fibres": "fibers", "calibre": "caliber", "sombre": "somber", "sceptical": "skeptical",
                     "plough": "plow", "mould": "mold", "moult": "molt", "smoulder": "smolder", "cheque": "check",
                     "manoeuvre": "maneuver", "manoeuvres": "maneuvers", "paediatric": "pediatric", "oesophagus": "esophagus",
                     "aluminium": "aluminum", "tonne": "ton", "tonnes": "tons", "kerb": "curb", "tyre": "tire", "tyres": "tires",
                     "pyjamas": "pajamas", "judgement": "judgment", "acknowledgement": "acknowledgment", "learnt": "learned",
                     "spelt": "spelled", "whilst": "while", "amongst": "among", "councillor": "councilor", "councillors": "councilors"]
        for (b, a) in ll { table[b] = a }
        for (b, a) in other { table[b] = a }
        return table
    }()

    static let suffixRules: [(suffix: [UInt8], replacement: String)] = [
        ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"), ("ising", "izing"),
        ("iser", "izer"), ("isers", "izers"), ("yse", "yze"), ("ysed", "yzed"), ("yses", "yzes"), ("ysing", "yzing"),
        ("tre", "ter"), ("tres", "ters"), ("tred", "tered"),
    ].map { (Array($0.0.utf8), $0.1) }

    /// `words` keyed by a hash of the British form's bytes: hashing a few bytes is far cheaper
    /// than hashing a `String`, and a hit is confirmed byte for byte. (The table's words are
    /// lower-case ASCII, which no other spelling is canonically equivalent to, so comparing bytes
    /// finds what a `String` look-up would.)
    static let wordsByHash: [UInt64: (british: [UInt8], american: String)] = {
        var table: [UInt64: (british: [UInt8], american: String)] = [:]
        for (british, american) in words {
            let bytes = Array(british.utf8)
            precondition(table[fnv(bytes)] == nil, "spelling table: two words share a hash")
            table[fnv(bytes)] = (bytes, american)
        }
        return table
    }()

    @inline(__always) static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The canonical (American) form of a folded, lower-case word.
    /// -ise/-isation → -ize/-ization (organise, urbanisation), -yse → -yze (analyse),
    /// -tre → -ter (centre, metre), for words longer than five letters.
    public static func canonical(_ word: String) -> String { canonical(utf8: Array(word.utf8)) ?? word }

    /// `canonical(_:)` of a word given as UTF-8 bytes; nil when it is already canonical, so a
    /// caller holding bytes builds a `String` only once.
    static func canonical(utf8 u: [UInt8]) -> String? {
        if let entry = wordsByHash[fnv(u)], entry.british == u { return entry.american }
        // Cheap filter: every rule ends in e, d, s, g, r or n.
        guard u.count > 5, let last = u.last, last == 101 || last == 100 || last == 115 || last == 103 || last == 114 || last == 110 else {
            return nil
        }
        for rule in suffixRules where u.count > rule.suffix.count && u.suffix(rule.suffix.count).elementsEqual(rule.suffix) {
            return String(decoding: u.dropLast(rule.suffix.count), as: UTF8.self) + rule.replacement
        }
        return nil
    }
}
