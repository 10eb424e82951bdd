"""Whole classes of input, each in its several shapes and languages, written for this test (not taken
from any fixture): the description parser must hold for the class, not for one string of it."""

import pytest

from numismatics.description import parse_description

HEADING = "Hadrian, 117-138. AR Denarius (19mm, 3.31 g, 6h). Rome, AD 125-128. HADRIANVS AVG, head right / "


def _folded(citations: list[str]) -> list[str]:
    return sorted(c.replace("–", "-").casefold() for c in citations)


@pytest.mark.parametrize(
    ("citations", "references", "cf"),
    [
        # an author and a work, with a comma; a title of two words
        ("Hill, UCR 456; RIC 174.", ["Hill, UCR 456", "RIC 174"], []),
        ("Kampmann, Die Münzen 33.12; RIC 174.", ["Kampmann, Die Münzen 33.12", "RIC 174"], []),
        # a series name between the corpus and the number; a letter before the number
        ("Johnston A14.6; HN Italy 1581.", ["Johnston A14.6", "HN Italy 1581"], []),
        ("Hendin 6183; TJC S1.", ["Hendin 6183", "TJC S1"], []),
        ("Mildenberg P12; Meshorer 211a.", ["Mildenberg P12", "Meshorer 211a"], []),
        # ranges, subtypes, an abbreviation the parser has no entry for
        ("RIC 174-175; Cohen 1103-4.", ["RIC 174-175", "Cohen 1103-4"], []),
        ("Emmett 1075.19; Zgraggen 412b.", ["Emmett 1075.19", "Zgraggen 412b"], []),
        # dash citations ("not listed there") and cf. in three languages
        ("RIC 174; SNG Cop –.", ["RIC 174", "SNG Cop -"], []),
        ("Cf. RIC 174; BMCRE 300.", ["BMCRE 300"], ["RIC 174"]),
        ("RIC 174; vgl. Strack 150.", ["RIC 174"], ["Strack 150"]),
        # a sale catalogue among the citations is provenance: house, sale, year, lot
        ("RIC 174; Künker 312, 2018, 1123.", ["RIC 174"], []),
        ("RIC 174; Gorny 250, 2017, Nr. 45.", ["RIC 174"], []),
        ("RIC 174; Leu 38, lot 23.", ["RIC 174"], []),
    ],
)
def test_citation_shapes(citations, references, cf):
    found = parse_description(HEADING + "COS III, Roma seated left. " + citations + " VF.").as_json()
    assert _folded(found["references"]) == _folded(references)
    assert _folded(found["cf_references"]) == _folded(cf)


def test_a_sale_among_the_citations_becomes_provenance():
    found = parse_description(HEADING + "COS III, Roma seated left. RIC 174; Künker 312, 2018, 1123. VF.")
    assert found.provenance == ["Künker 312, 2018, 1123"]


@pytest.mark.parametrize(
    ("text", "metal"),
    [
        ("Traiano. Sesterzio, oricalco, 25,1 g.", "orichalcum"),
        ("Trajano. Sestercio. Oricalco. 25,1 g.", "orichalcum"),
        ("Probo. Antoniniano, Roma. Mistura, 3,9 g.", "billon"),
        ("Galieno. Antoniniano, Roma. Vellón, 3,1 g.", "billon"),
        ("Justiniano I. Follis, Constantinopla. Cobre, 17,2 g.", "copper"),
        ("Philipp I. Antoninian, Rom. Billon, 4,1 g.", "billon"),
        ("Trajan. Denier, Rome. Argent, 3,2 g.", "silver"),
        ("Hadrian. Aureus, Rom. Gold, 7,31 g.", "gold"),
        ("Lidia. Trite, electro, 4,7 g.", "electrum"),
        # the abbreviation with the weight, as Italian and Spanish catalogues write it
        ("Adriano (117-138). Denario. Ag, 3,31 g. RIC 174. BB.", "silver"),
        ("Probo (276-282). Antoniniano. Mi, 3,9 g. RIC 174. BB.", "billon"),
        ("Adriano (117-138). Sesterzio. Ae, 25,1 g. RIC 174. BB.", "bronze"),
    ],
)
def test_metal_words_in_five_languages(text, metal):
    assert parse_description(text).metal == metal


@pytest.mark.parametrize(
    ("text", "mint"),
    [
        ("Hadrian, 117-138. Denar, Rom, 125-128 n. Chr. 3,31 g.", "Rome"),
        ("Adriano. Denario, Roma, 125-128 d.C. 3,31 g.", "Rome"),
        ("Augustus. Denar, Lyon, 2 v. Chr. - 4 n. Chr. 3,82 g.", "Lugdunum"),
        ("Augusto. Denario, Lione, 2 a.C. - 4 d.C. 3,82 g.", "Lugdunum"),
        ("Costanzo II. AE3, Costantinopoli, 348-351 d.C. 2,4 g.", "Constantinople"),
        ("Constancio II. AE3, Constantinopla, 348-351 d.C. 2,4 g.", "Constantinople"),
        ("Gordien III. Antoninien, Antioche, 242-244. 4,2 g.", "Antioch"),
        ("Nerone. Tetradramma, Alessandria, anno 12 (65/66 d.C.). 13,1 g.", "Alexandria"),
        ("Licinius Ier. Follis, Thessalonique, 312-313. 3,4 g.", "Thessalonica"),
        ("Diocletian. Follis, Nikomedia, 294-295 n. Chr. 10,1 g.", "Nicomedia"),
        ("Gallienus. Antoninian, Mailand, 260-268 n. Chr. 3,1 g.", "Milan"),
        ("Costantino I. Follis, zecca di Treviri, 310-313 d.C. 4,1 g.", "Trier"),
        ("Constantino I. Follis. Ceca: Tréveris. 310-313 d.C. 4,1 g.", "Trier"),
    ],
)
def test_mints_in_their_local_forms_take_the_vocabulary_s_name(text, mint):
    assert parse_description(text).mint == mint


@pytest.mark.parametrize(
    "text",
    [
        "Hadrian, 117-138. Denar, Rom, 125-128 n. Chr. 3,31 g.",
        "Hadrien (117-138). Denier, Rome, frappé en 125-128. 3,31 g.",
        "Adriano (117-138). Denario, Roma, coniato nel 125-128 d.C. 3,31 g.",
        "Adriano (117-138). Denario, Roma, acuñado en 125-128 d.C. 3,31 g.",
        "Hadrian (117-138). Denar, Rom, geprägt 125-128. 3,31 g.",
        "Hadrian AD 117-138. AR Denarius. Rome mint, circa AD 125-128. 3.31 g.",
    ],
)
def test_striking_date_apart_from_the_reign_in_five_languages(text):
    found = parse_description(text)
    assert (found.year_start, found.year_end) == (125, 128)
    assert (found.reign_start, found.reign_end) == (117, 138)


@pytest.mark.parametrize(
    "text",
    [
        "Hadrien. Denier, atelier de Rome, 125-128. 3,31 g.",
        "Hadrian. Denar, Münzstätte Rom, 125-128. 3,31 g.",
        "Adriano. Denario, zecca di Roma, 125-128. 3,31 g.",
        "Adriano. Denario, ceca de Roma, 125-128. 3,31 g.",
        "Adriano. Denario. Zecca: Roma. 3,31 g.",
        "Hadrien. Denier. Atelier : Rome. 3,31 g.",
        "Hadrian. AR Denarius (3.31 g). Struck at Rome, AD 125-128. RIC 174.",
    ],
)
def test_the_word_for_mint_before_the_place_in_five_languages(text):
    assert parse_description(text).mint == "Rome"


def test_mint_state_is_a_grade_not_a_mint():
    assert parse_description("Hadrian. AR Denarius (3.31 g). RIC 174. Mint State, toned.").mint == ""


@pytest.mark.parametrize(
    ("grade", "band"),
    [("S/C", 100), ("MBC+", 72), ("EBC", 80), ("f.vz", 77), ("q.BB", 67), ("ss-vz", 75), ("TTB+", 72)],
)
def test_grades_of_each_language_as_the_last_sentence(grade, band):
    found = parse_description(f"Adriano. Denario, Roma. 3,31 g. RIC 174. {grade}.")
    assert (found.grade, found.grade_band) == (grade, band)


@pytest.mark.parametrize(
    ("text", "denomination"),
    [
        ("Auguste. As. 10,5 g, Rome.", "As"),
        ("Augustus. As, Rom. 10,5 g.", "As"),
        ("Leovigildo. Tremis, Toleto. 1,5 g.", "Tremissis"),
        ("Trajan. Sesterce. 25,1 g.", "Sestertius"),
        ("Corinto. Estátera. 8,5 g.", "Stater"),
    ],
)
def test_denominations_in_their_local_forms(text, denomination):
    assert parse_description(text).denomination == denomination


def test_as_in_an_english_sentence_is_no_denomination():
    assert parse_description(
        "Hadrian. AR Denarius. As usual for the type, struck on a broad flan."
    ).denomination == ("Denarius")


@pytest.mark.parametrize(
    "text",
    [
        "AR Denarius (3.31 g, 19 mm)",
        "3,31 g; 19 millimètres",
        "17.12 grams, 19 millimeters",
        "Peso 3,31 g, 19 milímetros",
    ],
)
def test_the_diameter_with_its_unit_abbreviated_or_spelled_out(text):
    assert parse_description(text).diameter_mm == 19


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("Römisches Kaiserreich. Hadrian, 117-138. Denar, Rom. 3,31 g.", "Hadrian"),
        ("Imperio romano. Adriano (117-138). Denario, Roma. 3,31 g.", "Adriano"),
        (
            "Seleukid Kings. Antiochos III the Great, 222-187 BC. AR Tetradrachm (17.1 g).",
            "Antiochos III the Great",
        ),
        ("Rois de Macédoine. Philippe II (359-336 av. J.-C.). Statère d'or, 8,6 g.", "Philippe II"),
        ("ENGLAND. Elizabeth I, 1558-1603. AR Shilling (5.8 g).", "Elizabeth I"),
        ("Hadrian, 117-138. AR Denarius (3.31 g). Rome.", "Hadrian"),
    ],
)
def test_series_and_dynasty_headings_in_five_languages_are_not_the_issuer(text, issuer):
    assert parse_description(text).issuer == issuer


@pytest.mark.parametrize(
    "line",
    [
        "Procedente de: Áureo & Calicó 300, lote 12.",
        "Ehemals Sammlung Beispiel, erworben 1975.",
        "Ancienne collection Exemple.",
        "Già collezione Esempio, asta 12, lotto 5.",
        "Acquis chez un marchand parisien en 1980.",
    ],
)
def test_provenance_lines_in_five_languages_are_no_references(line):
    found = parse_description(f"Hadrian. AR Denarius (3.31 g). Rome. RIC 174. VF. {line}")
    assert [c.display() for c in found.references] == ["RIC 174"]
    assert found.provenance == [line.rstrip(".")]


@pytest.mark.parametrize(
    "written", ["RIC 174 var.", "RIC 174 Var.", "RIC 174 (var.)", "RIC 174 variant", "RIC 174 Variante"]
)
def test_the_variant_marker_however_written_is_kept_apart(written):
    found = parse_description(f"Hadrian. AR Denarius (3.31 g). Rome. {written}; BMC 300. VF.").as_json()
    assert (found["references"], found["variant"]) == (["RIC 174", "BMC 300"], ["RIC 174"])


def test_a_variant_of_a_work_the_parser_has_no_entry_for():
    found = parse_description("Hadrian. AR Denarius (3.31 g). Rome. Strack 150 var.; BMC 300. VF.").as_json()
    assert (found["references"], found["variant"]) == (["Strack 150", "BMC 300"], ["Strack 150"])


@pytest.mark.parametrize(
    ("text", "years"),
    [
        (
            "Mughal Empire. Akbar, AD 1556-1605. AR Rupee (11.4 g). Ahmadabad mint. Dated AH 984.",
            (1576, 1577),
        ),
        ("Abbasiden. Harun al-Rashid, 170-193 AH. Dinar, 177 AH, ohne Münzstätte. 4,2 g.", (793, 794)),
        # the AD years the text gives win over any conversion
        ("Umayyad. AR Dirham (2.88 g). Wasit mint. Dated AH 84 (AD 703/4). Klat 709.", (703, 704)),
    ],
)
def test_a_coin_dated_only_in_the_hijri_calendar_gets_its_ad_years(text, years):
    found = parse_description(text)
    assert (found.year_start, found.year_end) == years


@pytest.mark.parametrize(
    "text", ["Constans AE4, Siscia, 347-348. RIC VIII 193. VF.", "Constans, AR3, Siscia. RIC VIII 193."]
)
def test_a_metal_and_its_size_class_is_no_lettered_citation(text):
    assert parse_description(text).as_json()["references"] == ["RIC VIII 193"]


@pytest.mark.parametrize(
    "words",
    ["Siscia, Officina 3.", "Rome, Year 2.", "Antioch, Struck 250.", "Caesarea, Lot 23.", "Roma, Asta 12.",
     "Mint, Rome 12.", "Smith, Collection 12."],
)  # fmt: skip
def test_a_place_or_a_word_and_a_number_after_a_comma_is_no_author_and_work(words):
    text = HEADING + f"COS III, Roma seated left. {words} RIC 174. VF."
    assert parse_description(text).as_json()["references"] == ["RIC 174"]


@pytest.mark.parametrize(
    "text",
    [
        "Adriano. Denario, zecca Incerta, 125. 3,31 g.",
        "Hadrian. Denar, Münzstätte Unbestimmt, 125. 3,31 g.",
        "Hadrien. Denier, atelier Incertain, 125. 3,31 g.",
        "Adriano. Denario, ceca Incierta, 125. 3,31 g.",
        "Hadrian. AR Denarius. Mint: Uncertain. 3.31 g.",
    ],
)
def test_an_uncertain_mint_in_five_languages_is_no_mint(text):
    assert parse_description(text).mint == ""
