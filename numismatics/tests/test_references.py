"""Catalogue citations: every Reference value of the spreadsheet, the DOMAIN.md forms, and type URIs."""

import pytest

from numismatics.references import Citation, parse_references, type_uri
from numismatics.tests.spreadsheet import column


def shown(text: str) -> list[str]:
    return [c.display() + (" (cf)" if c.is_cf else "") for c in parse_references(text)]


# Every distinct value of the spreadsheet's Reference column, with the citations a collector reads in it.
SHEET = {
    " RIC II.1 783 (Vespasian); RSC 162": ["RIC II.1 783", "RSC 162"],
    " RIC IV.III (Trajan Decius) 58b.": ["RIC IV.3 58b"],
    " RIC IVi, 289c, page 255 - Cohen 382, Sear 6846": ["RIC IV.1 289c", "Cohen 382", "Sear 6846"],
    " RIC V.I 160.": ["RIC V.1 160"],
    '"Roman Coins & Their Values" Volume 3, by David R. Sear. #9962.': ["Sear 9962"],
    "BMC 837; Cohen 161; RIC 246.": ["BMC 837", "Cohen 161", "RIC 246"],
    "BMCRE 227. RIC 160. RSC 966. SEAR II 5722. ": ["BMCRE 227", "RIC 160", "RSC 966", "Sear 5722"],
    "Crawford 335/1c. Sydenham 611. Caecilia 46a.": ["Crawford 335/1c", "Sydenham 611", "Caecilia 46a"],
    "Ganschow, Münzen 35; RPC I 3622; Sydenham, Caesarea 43-7.": [
        "Ganschow, Münzen 35", "RPC I 3622", "Sydenham, Caesarea 43-7",
    ],
    "IC 704, V": ["IC 704"],
    "Prieur 1165. RPC V.3, Online unassigned 87419.": ["Prieur 1165", "RPC V.3 87419"],
    "RIC 127": ["RIC 127"],
    "RIC 129, Sear 8677": ["RIC 129", "Sear 8677"],
    "RIC 154, Sear 8662": ["RIC 154", "Sear 8662"],
    'RIC 161 Rome p. 236, "285"; Sear 12665': ["RIC 161", "Sear 12665"],
    "RIC 166, RSC 8, Sear 9740": ["RIC 166", "RSC 8", "Sear 9740"],
    "RIC 177a; RIC IViii, 177a (s) Scarce, page 34 - Cohen 17": ["RIC 177a", "RIC IV.3 177a", "Cohen 17"],
    "RIC 18,  Cohen 7": ["RIC 18", "Cohen 7"],
    "RIC 184, G": ["RIC 184"],
    "RIC 202; RSC 825; BMC 736.": ["RIC 202", "RSC 825", "BMC 736"],
    "RIC 210, H; Cohen 20": ["RIC 210", "Cohen 20"],
    "RIC 210, Sear 4123, RSC 961": ["RIC 210", "Sear 4123", "RSC 961"],
    "RIC 213": ["RIC 213"],
    "RIC 213, Sear5 11344": ["RIC 213", "Sear 11344"],
    "RIC 264, RIC III 264; BMCRE 882; RSC 1023.": ["RIC 264", "RIC III 264", "BMCRE 882", "RSC 1023"],
    "RIC 286": ["RIC 286"],
    "RIC 28; RSC 600": ["RIC 28", "RSC 600"],
    "RIC 28c, RSC 25.": ["RIC 28c", "RSC 25"],
    "RIC 352, RSC 929a, BMC 669": ["RIC 352", "RSC 929a", "BMC 669"],
    "RIC 41; Coh. 84.": ["RIC 41", "Cohen 84"],
    "RIC 44b; RSC 573. Same as RIC 351b (Laodicea mint), RIC IVi, 44Db": [
        "RIC 44b", "RSC 573", "RIC 351b", "RIC IV.1 44Db",
    ],
    'RIC 72; RSC 88; Sear (1998) 2790; Sear 9643. ote: Sear 9643 repeats the citations of Sear 9638 ("RIC '
    '71, RSC 76, Hunter 51" in error.': ["RIC 72", "RSC 88", "Sear 2790", "Sear 9643"],
    "RIC 7a": ["RIC 7a"],
    "RIC 87": ["RIC 87"],
    "RIC 88, Sear 8645": ["RIC 88", "Sear 8645"],
    "RIC 98; Sear5 11366": ["RIC 98", "Sear 11366"],
    "RIC I 207": ["RIC I 207"],
    "RIC II 17.": ["RIC II 17"],
    "RIC II.1 756": ["RIC II.1 756"],
    "RIC II.3-1514; BMCRE-842; RSC-804.": ["RIC II.3 1514", "BMCRE 842", "RSC 804"],
    "RIC III (Marcus Aurelius) 430": ["RIC III 430"],
    "RIC III -.": ["RIC III -"],
    "RIC III 712 (Aurelius); MIR 18, 27-4a Diad.; RSC 191. ": ["RIC III 712", "MIR 18 27-4a", "RSC 191"],
    "RIC III 82; MIR 18, 602-4/30; RSC 914": ["RIC III 82", "MIR 18 602-4/30", "RSC 914"],
    "RIC III, 394a (Antoninus Pius) ": ["RIC III 394a"],
    "RIC III-12; BMCRE-55; RSC-803": ["RIC III 12", "BMCRE 55", "RSC 803"],
    "RIC IV, Part III, 27b": ["RIC IV.3 27b"],
    "RIC IV.2#252d": ["RIC IV.2 252d"],
    "RIC IV.2#254c   (Bmcre-900). (Rsc-546)": ["RIC IV.2 254c", "BMCRE 900", "RSC 546"],
    "RIC IV.2#73": ["RIC IV.2 73"],
    "RIC IV.3#143": ["RIC IV.3 143"],
    "RIC IV/2, Elagabalus, n° 88, p. 34; BMCRE V/2, Elagabalus, n° 212, p. 562": [
        "RIC IV.2 88", "BMCRE V.2 212",
    ],
    "RIC IVi,   308, page 258 - Cohen 16": ["RIC IV.1 308", "Cohen 16"],
    "RIC V 666; C 161; SRCV 11967": ["RIC V 666", "Cohen 161", "Sear 11967"],
    "RIC V.1#\u202f13c": ["RIC V.1 13c"],
    "RIC V.2#922c": ["RIC V.2 922c"],
    "RIC V.II 118 (Cologne)": ["RIC V.2 118"],
    "RIC V.II 325.": ["RIC V.2 325"],
    "RIC VI Cyzicus 36": ["RIC VI Cyzicus 36"],
    "RIC VI Heraclea 73; Sear 15240.": ["RIC VI Heraclea 73", "Sear 15240"],
    "RIC VI#23a": ["RIC VI 23a"],
    "RIC VII, Siscia, 82 rated Rare?": ["RIC VII Siscia 82"],
    "RIC VIII 6.": ["RIC VIII 6"],
    "RIC X (Arcadius)\xa0": ["RIC X"],
    "RIC X-910 and 929; Depeyrot-108/1.": ["RIC X 910", "RIC X 929", "Depeyrot 108/1"],
    "RPC 4374": ["RPC 4374"],
    "RPC VI 669 (temporary)": ["RPC VI 669"],
    "RSC 695A RIC 303": ["RSC 695A", "RIC 303"],
    "SNG Cop 281-282": ["SNG Cop 281-282"],
    "Sear 7887v;    RSC 187a    RIC 168": ["Sear 7887v", "RSC 187a", "RIC 168"],
    "Siscia RIC VII, 217, page 452": ["RIC VII 217"],
    "\xa0RPC I 1701a": ["RPC I 1701a"],
}  # fmt: skip


def test_every_reference_value_in_the_spreadsheet(shared):
    values = {value for _, value in column(shared, "Reference") if value}
    assert values == set(SHEET), "the spreadsheet changed: review the expected citations"
    wrong = {value: shown(value) for value in values if shown(value) != SHEET[value]}
    assert not wrong


def test_real_rows(shared):
    rows = dict(column(shared, "Reference"))
    assert shown(rows[7]) == ["RIC I 207"]
    assert shown(rows[13]) == ["Crawford 335/1c", "Sydenham 611", "Caecilia 46a"]


@pytest.mark.parametrize(("text", "expected"), list(SHEET.items())[:40])
def test_sheet_values_without_the_sheet(text, expected):
    # The same values stand alone, so a fresh clone without shared/ still tests the parser on them.
    assert shown(text) == expected


def test_structure_of_a_citation():
    (ric,) = parse_references("RIC IV.2#254c")
    assert (ric.system, ric.volume, ric.part, ric.number, ric.variant) == ("RIC", "IV", "2", "254", "c")
    (crawford,) = parse_references("Crawford 335/1c")
    assert (crawford.number, crawford.variant) == ("335/1", "c")
    (mint,) = parse_references("RIC VI Cyzicus 36")
    assert (mint.volume, mint.mint, mint.number) == ("VI", "Cyzicus", "36")
    (edition,) = parse_references("RIC II³ 430")
    assert (edition.volume, edition.edition, edition.display()) == ("II", "3", "RIC II³ 430")
    (unknown,) = parse_references("Woytek 419b")
    assert (unknown.system, unknown.raw, unknown.display()) == ("", "Woytek 419b", "Woytek 419b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cf. RIC IV 292", ["RIC IV 292 (cf)"]),
        ("RIC I 207; cf. RSC 43, BMC 12", ["RIC I 207", "RSC 43 (cf)", "BMC 12 (cf)"]),
        ("S.1733, BMC 2, Winkler 4", ["Sear 1733", "BMC 2", "Winkler 4"]),
        ("SNG von Aulock 1234; SNG ANS 6, 123", ["SNG von Aulock 1234", "SNG ANS 6 123"]),
        ("HGC 2, 641 ill. (same dies)", ["HGC 2 641"]),
        (
            "Calicó 123; Price 3214; DOC III 12; Prieur 1165",
            ["Calicó 123", "Price 3214", "DOC III 12", "Prieur 1165"],
        ),
        ("Crawford 322/1b; Sydenham 590; Fabia 14", ["Crawford 322/1b", "Sydenham 590", "Fabia 14"]),
        ("RRC 335/1c; Syd. 611", ["Crawford 335/1c", "Sydenham 611"]),
        ("BMC 1206 var", ["BMC 1206 var"]),
        ("Triton XVI, lot 214 = Leu 38, lot 23", []),
        ("Head, Boeotia p. 90 corr.", []),
        ("Attractive old cabinet toning", []),
        ("", []),
    ],
)
def test_forms(text, expected):
    assert shown(text) == expected


def test_citation_display_defaults():
    assert Citation("RSC", "", "43", "", "RSC 43", False).display() == "RSC 43"
    assert Citation("RPC", "I", "1701", "a", "RPC I 1701a", False).display() == "RPC I 1701a"


@pytest.mark.parametrize(
    ("text", "hint", "uri"),
    [
        ("Crawford 335/1c", None, "http://numismatics.org/crro/id/rrc-335.1c"),
        ("RRC 544/15", None, "http://numismatics.org/crro/id/rrc-544.15"),
        ("RPC I 1701a", None, "https://rpc.ashmus.ox.ac.uk/coins/1/1701"),
        ("RIC I 207", "augustus", "http://numismatics.org/ocre/id/ric.1(2).aug.207"),
        ("RIC 207", "augustus", "http://numismatics.org/ocre/id/ric.1(2).aug.207"),
        ("RIC II.1 756", "vespasian", "http://numismatics.org/ocre/id/ric.2_1(2).ves.756"),
        ("RIC III 430", "marcus_aurelius", "http://numismatics.org/ocre/id/ric.3.m_aur.430"),
        ("RIC IV.2 254c", "caracalla", "http://numismatics.org/ocre/id/ric.4.crl.254c"),
        ("RIC IV.1 44b", "septimius_severus", "http://numismatics.org/ocre/id/ric.4.ss.44b"),
        # Unsure or contradictory: None rather than a URI that points nowhere.
        ("RIC I 207", None, None),
        ("RIC I 207", "caracalla", None),
        ("RIC 295", "gordian_iii", None),
        ("Crawford 335", None, None),
        ("RPC 4374", None, None),
        ("RSC 43", None, None),
        ("cf. RIC I 207", "augustus", None),
    ],
)
def test_type_uri(text, hint, uri):
    (citation,) = parse_references(text)
    assert type_uri(citation, hint) == uri


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A volume's part written every way houses write it
        ("RIC V-2 766 var.", ["RIC V.2 766 var"]),
        ("RIC V/2 810", ["RIC V.2 810"]),
        ("RIC V pt. 2, 101", ["RIC V.2 101"]),
        ("RIC V Part II 101", ["RIC V.2 101"]),
        ("RIC V.II 766", ["RIC V.2 766"]),
        ("RIC-V-II 447", ["RIC V.2 447"]),
        ("RIC 5.2 766", ["RIC V.2 766"]),
        ("RIC 5.1 244; MER-RIC 2356", ["RIC V.1 244", "MER-RIC 2356"]),
        ("RIC III-12", ["RIC III 12"]),  # volume III, number 12: no part
        ("RIC IV/1 p. 123, 45", ["RIC IV.1 45"]),
        ("RIC 2 128", ["RIC II 128"]),
        ("RIC2 128", ["RIC 128"]),
        ("SNG ANS 6 124; SNG Fitz. 123", ["SNG ANS 6 124", "SNG Fitz 123"]),
        # Name and number glued by a full stop or a hyphen
        ("RIC.86 - C.121", ["RIC 86", "Cohen 121"]),
        ("(Ffc. 1189). (RIC. 207). (RSC. 43)", ["Ffc. 1189", "RIC 207", "RSC 43"]),
        ("Crawford-401/1; Sydenham-798; Aquillia-2", ["Crawford 401/1", "Sydenham 798", "Aquillia 2"]),
        ("RIC-VII 175; Depeyrot-57/1", ["RIC VII 175", "Depeyrot 57/1"]),
        ("DT.85 - LT.7777", ["DT 85", "LT 7777"]),
        ("Cal. 1342", ["Calicó 1342"]),
        # RPC temporary numbers, editions and pages, mints and families in brackets
        ("RPC IV.3 temp. 6590", ["RPC IV.3 6590"]),
        ("RPC VII.2 temp. 1045; Rec. Gén. 728", ["RPC VII.2 1045", "Rec. Gén. 728"]),
        ("RIC II (2007) 740", ["RIC II 740"]),
        ("RIC II p. 350, 81", ["RIC II 81"]),
        ("RIC VII (Antioch) 86", ["RIC VII Antioch 86"]),
        ("Babelon (Aemilia) 20", ["Babelon Aemilia 20"]),
        ("BMCRR Gaul 27; RSC Thoria 1", ["BMCRR Gaul 27", "RSC Thoria 1"]),
        ("SNG Cop. 778; SNG Levante Suppl. 15", ["SNG Cop 778", "SNG Levante Suppl 15"]),
        ("RIC 86/RSC 121", ["RIC 86", "RSC 121"]),
        # "cf." and its kin
        ("Göbl OTA 154; vgl. Lanz 392", ["Göbl OTA 154", "Lanz 392 (cf)"]),
        ("RSC 383; comp. RIC IV.2 109 (bust type)", ["RSC 383", "RIC IV.2 109 (cf)"]),
        ("like RIC VIII 123", ["RIC VIII 123 (cf)"]),
        # Unknown catalogues: decimals with a letter, series letters, particles, months that are authors
        ("SC 379.6b; HGC 9, 128a", ["SC 379.6b", "HGC 9 128a"]),
        ("Johnston A 4.2; HN Italy 1567", ["Johnston A 4.2", "HN Italy 1567"]),
        ("De la Tour 4927; Van Arsdell 1933-1", ["De la Tour 4927", "Van Arsdell 1933-1"]),
        ("May 381 (A205/P227)", ["May 381"]),
        ("May 12", []),
        ("RIC VII 48, Siscia, VF, 3.1g", ["RIC VII 48"]),
    ],
)
def test_house_notations(text, expected):
    assert shown(text) == expected


def test_display_without_the_variant_marker():
    (citation,) = parse_references("RIC V-2 766c var.")
    assert citation.display() == "RIC V.2 766c var"
    assert citation.display(marker=False) == "RIC V.2 766c"
    (unknown,) = parse_references("Alföldi 71 var.")
    assert unknown.display(marker=False) == "Alföldi 71"
