"""Coin types: the shipped OCRE/CRRO tables, citations resolved against them, suggestions, legends.

Everything here reads the derived tables shipped in numismatics/data/types/ (no shared/ needed).
"""

import hashlib
import json
import lzma

import pytest

from numismatics.references import parse_references
from numismatics.types import legends
from numismatics.types.context import TypeContext, context_from_text
from numismatics.types.evaluate import LABELS, collection_text, evaluate, read_labels, split_part
from numismatics.types.identify import identify
from numismatics.types.placement import nearness, placed_years
from numismatics.types.resolve import AMBIGUOUS, NO_SUCH_TYPE, NOT_IN_TABLE, RESOLVED, resolve
from numismatics.types.scoring import material_agreement
from numismatics.types.spellings import find_issuer, find_mints
from numismatics.types.suggest import suggester
from numismatics.types.table import DATA_DIR, type_table

OCRE = "http://numismatics.org/ocre/id/"
CRRO = "http://numismatics.org/crro/id/"


def resolved(text: str, **context) -> object:
    citations = parse_references(text)
    assert len(citations) == 1, citations
    return resolve(citations[0], TypeContext(**context))


# --- the tables ----------------------------------------------------------------------------------


def test_the_shipped_tables_hold_both_corpora_with_their_notice():
    table = type_table()
    assert len(table) == 50_623 + 2_281
    record = table.get(OCRE + "ric.1(2).aug.207")
    assert (record.denomination, record.material, record.authority, record.mint) == (
        "denarius",
        "ar",
        "augustus",
        "lugdunum",
    )
    assert record.obverse_legend == "CAESAR AVGVSTVS DIVI F PATER PATRIAE"
    assert record.citation == "RIC I² 207"
    crro = table.get(CRRO + "rrc-335.1c")
    assert (crro.citation, crro.year_start, crro.year_end) == ("Crawford 335/1c", -96, -96)
    notice = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "Open Database License" in notice and "American Numismatic Society" in notice
    header = lzma.decompress((DATA_DIR / "ocre.tsv.xz").read_bytes()).decode().split("\n", 1)[0]
    assert header.split("\t")[:2] == ["uri", "label"]


def test_citation_forms_of_a_type_record():
    table = type_table()
    assert table.get(OCRE + "ric.2_1(2).ves.756").citation == "RIC II.1² 756"
    assert table.get(OCRE + "ric.6.lon.100").citation == "RIC VI Londinium 100"
    assert table.get(OCRE + "ric.2.hdn.123_denarius").citation == "RIC II 123"
    assert table.get(OCRE + "ric.9.anch.2A.iii").is_subtype


# --- resolution ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "uri"),
    [
        # RIC I: OCRE has the second edition only, which is what "RIC I" means today.
        ("RIC I 207", {"issuer": "augustus"}, "ric.1(2).aug.207"),
        ("RIC I² 207", {"issuer": "augustus"}, "ric.1(2).aug.207"),
        # RIC II.1 (2007) for the Flavians, RIC II (1926) for Trajan: the edition picks the table.
        ("RIC II.1² 756", {"issuer": "vespasian"}, "ric.2_1(2).ves.756"),
        ("RIC II.1 756", {"issuer": "vespasian"}, "ric.2_1(2).ves.756"),
        ("RIC II 756", {"issuer": "trajan"}, "ric.2.tr.756"),
        # The authority: from the coin's issuer, or named in the citation.
        ("RIC 295", {"issuer": "trajan"}, "ric.2.tr.295"),
        ("RIC IV Caracalla 254", {}, "ric.4.crl.254"),
        # Family numbered in the reigning emperor's section (Julia Domna under Severus).
        ("RIC 557", {"issuer": "julia_domna"}, "ric.4.ss.557"),
        # RIC VI-X by mint: named in the citation, or the coin's own mint.
        ("RIC VI Londinium 100", {}, "ric.6.lon.100"),
        ("RIC VI 100", {"mint": "londinium"}, "ric.6.lon.100"),
        ("RIC VII Trier 559", {}, "ric.7.tri.559"),
        ("RIC X 2001", {}, "ric.10.valt_iii_w.2001"),
        # Subtype letters as OCRE writes them, whatever the case written.
        ("RIC I² 105a", {"issuer": "augustus"}, "ric.1(2).aug.105A"),
        ("RIC IX Antioch 2a", {}, "ric.9.anch.2A"),
        ("RIC IV 12b", {"issuer": "trajan_decius"}, "ric.4.tr_d.12B"),
        # ... and where OCRE keeps both cases apart, the case written.
        ("RIC IV 206a", {"issuer": "caracalla"}, "ric.4.crl.206a"),
        ("RIC IV 206A", {"issuer": "caracalla"}, "ric.4.crl.206A"),
        # OCRE splits some RIC numbers by denomination: the coin's denomination chooses.
        ("RIC II 123", {"issuer": "hadrian", "denomination": "denarius"}, "ric.2.hdn.123_denarius"),
        ("RIC II 123", {"issuer": "hadrian", "denomination": "aureus"}, "ric.2.hdn.123_aureus"),
        ("Crawford 335/1c", {}, "rrc-335.1c"),
        ("RRC 44/5", {}, "rrc-44.5"),
        ("Cr. 197/1a", {}, "rrc-197.1a"),
    ],
)
def test_a_citation_resolves_to_the_one_type_it_denotes(text, context, uri):
    result = resolved(text, **context)
    assert result.status == RESOLVED, result.message
    assert result.uri == (CRRO if uri.startswith("rrc") else OCRE) + uri


def test_a_citation_of_no_existing_type_is_reported_not_linked():
    result = resolved("RIC II 9999", issuer="trajan")
    assert (result.status, result.uri) == (NO_SUCH_TYPE, None)
    assert result.message.startswith("RIC II 9999: no such type in OCRE")
    assert resolved("Crawford 999/1").message == "Crawford 999/1: no such type in CRRO"


def test_ric_ii_part_3_is_never_read_as_the_1926_volume():
    result = resolved("RIC II.3 430", issuer="hadrian")
    assert (result.status, result.uri) == (NOT_IN_TABLE, None)
    assert "RIC II part 3" in result.message
    assert resolved("RIC II³ 430", issuer="hadrian").status == NOT_IN_TABLE


def test_what_the_citation_cannot_decide_stays_unlinked_with_the_candidates():
    result = resolved("RIC VI 100")
    assert (result.status, result.uri) == (AMBIGUOUS, None)
    assert "mint decides" in result.message and "Londinium" in result.message
    assert OCRE + "ric.6.lon.100" in {r.uri for r in result.candidates}
    without = resolved("RIC I 207")
    assert without.status == AMBIGUOUS and "issuer decides" in without.message
    dates = resolved("Crawford 335/1")
    assert dates.status == AMBIGUOUS and "date decides" in dates.message
    assert resolved("Crawford 335/1", year_start=-99, year_end=-97).uri == CRRO + "rrc-335.1a"


def test_types_the_table_cannot_tell_apart_link_to_the_first_and_say_so():
    result = resolved("RIC 270", issuer="caracalla", denomination="aureus")
    assert result.uri == OCRE + "ric.4.crl.270A"
    assert "270A, 270B, 270C, 270D" in result.note


def test_a_citation_of_two_numbers_resolves_to_one_of_them():
    # "85/90": the cataloguer could not tell the two apart; the table cannot either (same legends).
    either = resolved("RIC VI Londinium 85/90")
    assert (either.status, either.uri) == (RESOLVED, OCRE + "ric.6.lon.85")
    assert "85 or 90" in either.note
    # One number of the two exists: that one.
    assert resolved("RIC VI Londinium 9999/90").uri == OCRE + "ric.6.lon.90"
    # Two different types: the description decides, or nothing is linked.
    assert resolved("RIC IV 431/295", issuer="septimius_severus").status == AMBIGUOUS
    chosen = resolved(
        "RIC IV 431/295", issuer="septimius_severus", obverse_legend="IMP CAE L SEP SEV PERT AVG COS II"
    )
    assert chosen.uri == OCRE + "ric.4.ss.431"
    none = resolved("RIC VI Londinium 9998/9999")
    assert (none.status, none.uri) == (NO_SUCH_TYPE, None)
    assert "none of 9998, 9999" in none.message


def test_cf_is_kept_as_a_weaker_link():
    result = resolved("cf. RIC IV 292", issuer="septimius_severus")
    assert result.uri == OCRE + "ric.4.ss.292"
    assert result.is_cf


def test_the_description_decides_between_emperors_when_the_citation_has_no_volume():
    text = (
        "Sestertius, 119, Rome, laureate bust right / RELIQVA VETERA HS NOVIES MILL ABOLITA, lictor "
        "burning records. RIC 590."
    )
    [cited] = identify(text)["cited"]
    assert cited["uri"] == OCRE + "ric.2.hdn.590A"


# --- suggestions ---------------------------------------------------------------------------------


def test_a_described_coin_gets_its_type_suggested_with_a_reason():
    text = (
        "Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. Struck 2 BC-AD 4. CAESAR "
        "AVGVSTVS DIVI F PATER PATRIAE, laureate head right / AVGVSTI F COS DESIG PRINC IVVENT, Gaius and "
        "Lucius standing facing."
    )
    suggestions = suggester().suggest(context_from_text(text))
    assert suggestions[0].uri == OCRE + "ric.1(2).aug.207"
    assert 0 < suggestions[0].score <= 1
    assert "Augustus" in suggestions[0].why and "Lugdunum" in suggestions[0].why
    assert len(suggestions) == 5


def test_a_late_type_is_dated_by_its_place_in_the_mint_s_numbering():
    """RIC VII numbers Rome's coins in the order struck: among Constantine's many SOLI INVICTO COMITI
    types of Rome, those numbered near the coin's date rank first, and the reason says so."""
    records = type_table().records
    placed = dict(zip((r.uri for r in records), placed_years(records), strict=True))
    early, late = placed[OCRE + "ric.7.rom.1"], placed[OCRE + "ric.7.rom.300"]
    assert 313 <= early < late <= 337
    assert placed[OCRE + "ric.2.tr.295"] is None  # RIC I-V are not in the order struck
    assert nearness(316.0, 315, 317) == 1.0 and nearness(325.0, 315, 317) == 0.0
    assert 0 < nearness(319.0, 315, 317) < 1
    base = dict(
        issuer="constantine_i", mint="rome", denomination="follis", obverse_legend="IMP CONSTANTINVS P F AVG",
        reverse_legend="SOLI INVICTO COMITI",
    )  # fmt: skip
    first = suggester().suggest(TypeContext(**base, year_start=313, year_end=314))[0]
    later = suggester().suggest(TypeContext(**base, year_start=317, year_end=318))[0]
    assert placed[first.uri] < placed[later.uri]
    assert "numbered among the types of about AD" in later.why


def test_the_reasons_say_whose_authority_and_which_types_the_table_cannot_tell_apart():
    text = (
        "Constantine the Great, AD 315. AE Follis, Rome. IMP CONSTANTINVS P F AVG, laureate head right. "
        "Rev. SOLI INV-I-CTO COMITI, Sol standing left."
    )
    first, second, *_ = suggester().suggest(context_from_text(text))
    # OCRE's authority column names Licinius for these types of Constantine: the reason names him as
    # the authority, not as the issuer.
    assert "struck under the authority of Licinius" in first.why
    assert first.why.count("alike in the table") == 0
    assert f"alike in the table to {first.record.citation}" in second.why


def test_a_collector_s_sheet_row_reads_as_a_description():
    row = {
        "emperor": "Constantine the Great", "material": "AE", "denomination": "Follis", "year_l": "315",
        "year_h": "315", "mint": "Rome", "obverse_legend": "IMP CONSTANTINVS P F AVG",
        "obverse_desc": "Laureate head right", "reverse_legend": "SOLI INV-I-CTO COMITI",
        "reverse_desc": "null", "exergue": "S/F//RP", "reference": "RIC VII Rome 33",
    }  # fmt: skip
    text = collection_text(row)
    assert text == (
        "Constantine the Great, AD 315. AE Follis, Rome. IMP CONSTANTINVS P F AVG, Laureate head right. "
        "Rev. SOLI INV-I-CTO COMITI; marks S/F//RP. RIC VII Rome 33."
    )
    context = context_from_text(text)
    assert (context.issuer, context.mint, context.year_start) == ("constantine_i", "rome", 315)
    assert context.obverse_legend == "IMP CONSTANTINVS P F AVG"
    assert context.reverse_legend == "SOLI INV-I-CTO COMITI"  # the marks S/F//RP are no legend


def test_marks_and_rulers_numbers_are_not_read_as_legend():
    runs = legends.legend_runs(
        "Constantius II, bust right. Rev. FEL TEMP REPARATIO, soldier spearing horseman; B/-//RB. "
        "Gordian III. Rev. VOT X in wreath. CONSTANTIVS II AVG / CONCORDIA MILIT; E//XXI."
    )
    assert runs == ["FEL TEMP REPARATIO", "VOT X", "CONSTANTIVS II AVG", "CONCORDIA MILIT"]


def test_late_bronze_described_as_ae_is_near_the_table_s_billon():
    assert material_agreement("ae", "billon") == 0.5
    assert material_agreement("av", "billon") == -1.0


def test_a_republican_coin_is_found_by_its_moneyer_and_years():
    text = "L. Thorius Balbus, 105 BC. Denarius (Silver, 20 mm, 3.90 g). Rome. Head of Juno Sospita / Bull."
    uris = [s.uri for s in suggester().suggest(context_from_text(text))]
    assert CRRO + "rrc-316.1" in uris


def test_identify_prints_cited_and_suggested_in_the_documented_shape():
    text = "Augustus. AR Denarius. Lugdunum. CAESAR AVGVSTVS DIVI F PATER PATRIAE / C L CAESARES. RIC I 207."
    out = identify(text)
    assert out["cited"] == [{"citation": "RIC I 207", "uri": OCRE + "ric.1(2).aug.207", "cf": False}]
    assert out["suggested"] == []  # the citation says which type it is
    ignored = identify(text, ignore_references=True)
    assert ignored["cited"] == []
    assert set(ignored["suggested"][0]) == {"uri", "label", "score", "why"}
    assert json.dumps(ignored)  # JSON-ready


def test_nothing_said_nothing_suggested():
    assert suggester().suggest(TypeContext()) == []


# --- legends and names ---------------------------------------------------------------------------


def test_legends_compare_whatever_the_transcription():
    assert legends.letters("IMP•CAES•TRAIAN•HADRIAN-O AVG") == "IMPCAESTRAIANHADRIANOAVG"
    assert legends.letters("imp caes traian hadriano aug") == "IMPCAESTRAIANHADRIANOAVG"  # U as V
    assert legends.letters("Æ Ꜹ") == "AEAV"  # ligatures
    assert legends.letters("D N ΛEONS P F AVG") == "DNLEONSPFAVG"  # Greek for Latin
    assert legends.letters("TR POT XXIIII round S C") == "TRPOTXXIIIISC"  # OCRE's own words dropped
    assert legends.letters("[M·L]EPIDVS") == "MLEPIDVS"


def test_legend_differences_are_marked_and_judged():
    same = legends.compare("CAESAR AVGVSTVS-DIVI F PATER PATRIAE", "CAESAR AVGVSTVS DIVI F PATER PATRIAE")
    assert same.verdict == "same"
    variant = legends.compare("IMP CAES TRAIAN HADRIANO AVG", "IMP CAESAR TRAIAN HADRIANVS AVG")
    assert variant.verdict == "variant"
    assert ("O ", True) in variant.coin and any(flag for _, flag in variant.type)
    assert legends.compare("SECVRITAS PERPETVA", "VIRTVS AVG").verdict == "different"
    assert legends.compare("CAESAR DIVI F", "CAESAR AVGVSTVS DIVI F PATER PATRIAE").verdict == "shorter"


@pytest.mark.parametrize(
    ("heading", "issuer"),
    [
        ("Impero Romano. Traiano (98-117)", "trajan"),
        ("Trajano. Denario", "trajan"),
        ("Romeinse Rijk. Trajanus (98-117)", "trajan"),
        ("Roma Impero. Adriano (117-138)", "hadrian"),
        ("Konstantin I. der Große, 306-337", "constantine_i"),
        ("Constantin Ier 306-337", "constantine_i"),
        ("Septime Sévère 193-211", "septimius_severus"),
        ("Néron 54-68", "nero"),
        ("Gens Cassia", ""),
    ],
)
def test_issuers_are_found_in_other_languages(heading, issuer):
    assert find_issuer(heading) == issuer


def test_mints_are_found_in_other_languages_but_not_in_legends_or_emperors():
    assert find_mints("Solidus, Thessalonique, 324") == ["thessalonica"]
    assert find_mints("Follis, Treviri") == ["treveri"]
    assert find_mints("Denar, Rom; 3,35 g") == ["rome"]
    assert find_mints("Constantine I the Great, ROMA in exergue") == []
    assert find_mints("Röm. Kaiserzeit, Constantius II.") == []
    # The longest name wins: Colonia Patricia is not also Cologne ("Colonia").
    assert find_mints("Denarius, Colonia Patricia, circa 19-18 BC") == ["colonia_patricia"]
    assert find_mints("Antoninianus, Colonia, 269") == ["colonia_claudia_ara_agrippinensium"]


# --- the labelled set ----------------------------------------------------------------------------


def test_the_labelled_set_is_well_formed_and_split_as_recorded():
    rows = read_labels()
    table = type_table()
    assert len({row["id"] for row in rows}) == len(rows) >= 250
    for row in rows:
        assert row["part"] == split_part(row["id"], "shared" in row, row.get("split_group", "")), row["id"]
        assert ("text" in row) != ("shared" in row), row["id"]
        for label in row["citations"]:
            for uri in (label["uri"], *label["alternatives"]):
                assert uri is None or table.get(uri), (row["id"], uri)
            assert label["status"] in {RESOLVED, NO_SUCH_TYPE, NOT_IN_TABLE, AMBIGUOUS}
        for uri in (row["type"], *row["type_alternatives"]):
            assert uri is None or table.get(uri), (row["id"], uri)
    # The split rule is the one recorded in evaluate.py's docstring.
    assert split_part("hw-01", False) == (
        "held-out" if int(hashlib.sha256(b"types-14:hw-01").hexdigest(), 16) % 5 < 2 else "tune"
    )
    # A collector's sheet is split by citation, so that coins of one type stay on one side.
    group = "RIC VII Rome 40"
    digest = int(hashlib.sha256(f"types-14:{group}".encode()).hexdigest(), 16)
    assert split_part("joseph-1", True, group) == split_part("joseph-2", True, group)
    assert split_part("joseph-1", True, group) == ("held-out" if digest % 5 < 2 else "tune")
    assert split_part("real-3", True) == "tune"
    assert LABELS.name == "type-labels.jsonl"


@pytest.mark.parametrize("part", ["tune", "held-out"])
def test_resolution_and_suggestion_on_the_labelled_descriptions(part):
    """The figures the README reports (on the rows in the repository; the shared/ rows need shared/).
    The floors guard against regressions; the README says where they stand against the targets."""
    figures = evaluate([row for row in read_labels() if row["part"] == part and "text" in row], None)
    print(part, figures.as_dict())
    assert figures.resolved_right / figures.citations >= 0.95
    assert figures.first / figures.typed >= 0.3
    assert figures.top5 / figures.typed >= 0.55
