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

    /// The canonical (American) form of a folded, lower-case word.
    public static func canonical(_ word: String) -> String {
        if let mapped = words[word] { return mapped }
        let u = word.utf8
        guard u.count > 5 else { return word }
        // -ise/-isation family → -ize/-ization (organise, realised, urbanisation, analyse → analyze).
        for (suffix, replacement) in [("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"),
                                      ("ises", "izes"), ("ising", "izing"), ("iser", "izer"), ("isers", "izers"),
                                      ("yse", "yze"), ("ysed", "yzed"), ("yses", "yzes"), ("ysing", "yzing")]
            where word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count)) + replacement
        }
        // -tre → -ter (centre, metre, theatre, litre).
        for (suffix, replacement) in [("tre", "ter"), ("tres", "ters"), ("tred", "tered")] where word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count)) + replacement
        }
        return word
    }
}
