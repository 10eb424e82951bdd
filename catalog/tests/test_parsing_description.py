"""Whole lot descriptions: accuracy on 20 real, hand-checked descriptions, and each house style."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.parsing.description import LotDescription, parse_description

FIELDS = [
    "weight_g",
    "diameter_mm",
    "die_axis",
    "metal",
    "denomination",
    "grade",
    "year_start",
    "year_end",
    "mint",
]
THRESHOLDS = {"weight_g": 0.95, "diameter_mm": 0.95, "die_axis": 0.95, "references": 0.85}


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _field_right(name: str, got, expected: dict) -> bool:
    accepted = [expected[name], *expected["alternatives"].get(name, [])]
    if name == "weight_g":
        return any(
            got == a or (got is not None and a is not None and round(got, 3) == round(a, 3)) for a in accepted
        )
    if isinstance(got, str):
        return any(a is not None and _norm(got) == _norm(a) for a in accepted)
    return got in accepted


def _references_right(got: list[str], wanted: list[str], expected: dict) -> bool:
    """Every wanted citation found (as written or an accepted alternative), nothing else but optional ones."""
    alternatives = expected["alternatives"].get("references", {})
    optional = {_norm(o) for o in expected.get("references_optional", [])}
    remaining = [_norm(g) for g in got]
    for citation in wanted:
        forms = {_norm(citation), *(_norm(a) for a in alternatives.get(citation, []))}
        hit = next((g for g in remaining if g in forms), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return all(g in optional for g in remaining)


def test_accuracy_on_real_descriptions(shared):
    path = shared / "fixtures" / "lot-descriptions" / "real-descriptions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 20
    right = dict.fromkeys([*FIELDS, "references"], 0)
    misses: list[str] = []
    for row in rows:
        got = parse_description(row["text"]).as_json()
        for name in FIELDS:
            if _field_right(name, got[name], row):
                right[name] += 1
            else:
                misses.append(f"line {row['line']} {name}: {got[name]!r} != {row[name]!r}")
        refs_ok = _references_right(got["references"], row["references"], row) and _references_right(
            got["cf_references"], row["cf_references"], row
        )
        right["references"] += refs_ok
        if not refs_ok:
            misses.append(f"line {row['line']} references: {got['references']} != {row['references']}")
    figures = {name: count / len(rows) for name, count in right.items()}
    print("\nper-field accuracy on", len(rows), "real descriptions:")
    for name, share in figures.items():
        print(f"  {name:12} {share:6.0%}")
    print("\n".join(misses))
    for name, threshold in THRESHOLDS.items():
        assert figures[name] >= threshold, (name, figures[name], misses)
    # The other fields are not graded by the brief, but a regression there should still show.
    for name in ("metal", "denomination", "grade", "year_start", "year_end", "mint"):
        assert figures[name] >= 0.8, (name, figures[name], misses)


def test_speed_under_two_milliseconds_per_description(shared):
    path = shared / "fixtures" / "lot-descriptions" / "real-descriptions.jsonl"
    texts = [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    best = float("inf")
    # CPU time of this process, best of three: other jobs on a busy 2-core CI machine do not count.
    for _ in range(3):
        started = time.process_time()
        for text in texts * 10:
            parse_description(text)
        best = min(best, (time.process_time() - started) / (len(texts) * 10))
    assert best < 0.002, f"{best * 1000:.2f} ms per description"


def test_the_domain_example():
    text = (
        "Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. Struck 2 BC-AD 4. CAESAR "
        "AVGVSTVS DIVI F PATER PATRIAE, laureate head right / AVGVSTI F COS DESIG PRINC IVVENT, Gaius and "
        "Lucius standing facing. RIC I 207; RSC 43. Good VF, toned. Ex Peh Family Collection."
    )
    lot = parse_description(text)
    assert lot.as_json() == {
        "weight_g": 3.82,
        "diameter_mm": 19.0,
        "die_axis": 6,
        "metal": "silver",
        "denomination": "Denarius",
        "issuer": "Augustus",
        "mint": "Lugdunum",
        "year_start": -2,
        "year_end": 4,
        "references": ["RIC I 207", "RSC 43"],
        "cf_references": [],
        "grade": "Good VF",
        "obverse": "CAESAR AVGVSTVS DIVI F PATER PATRIAE, laureate head right",
        "reverse": "AVGVSTI F COS DESIG PRINC IVVENT, Gaius and Lucius standing facing",
    }
    assert (lot.reign_start, lot.reign_end) == (-27, 14)
    assert lot.grade_band == 73
    assert lot.provenance == ["Ex Peh Family Collection"]


def test_as_json_keys_and_types():
    data = parse_description("Trajan. AR Denarius (3.250 g). RIC 295. VF").as_json()
    assert list(data) == [
        "weight_g", "diameter_mm", "die_axis", "metal", "denomination", "issuer", "mint", "year_start",
        "year_end", "references", "cf_references", "grade", "obverse", "reverse",
    ]  # fmt: skip
    assert data["weight_g"] == 3.25 and isinstance(data["weight_g"], float)
    assert json.loads(json.dumps(data)) == data
    assert parse_description("").as_json()["references"] == []
    assert parse_description(None) == LotDescription()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # German (Künker style): Silber, decimal commas, ss-vz
        (
            "Hadrianus, 117-138. Denar (Silber, 18 mm, 3,35 g, 6 h), Rom, 125-128. HADRIANVS "
            "AVGVSTVS Kopf r. "
            "/ COS III Roma sitzt l. RIC 174. ss-vz.",
            {
                "metal": "silver",
                "weight_g": 3.35,
                "diameter_mm": 18.0,
                "die_axis": 6,
                "year_start": 125,
                "year_end": 128,
                "references": ["RIC 174"],
                "grade": "ss-vz",
                "denomination": "Denar",
            },
        ),
        # French: Argent, TTB+
        (
            "Sévère Alexandre (222-235). Denier, Rome, 228. Argent, 3,12 g. IMP SEV ALEXAND AVG. RIC "
            "70. TTB+.",
            {
                "metal": "silver",
                "weight_g": 3.12,
                "year_start": 228,
                "references": ["RIC 70"],
                "grade": "TTB+",
                "mint": "Rome",
            },
        ),
        # Italian: Argento, C. = Cohen (not circa), BB+
        (
            "Traiano (98-117). Denario (Argento, 3,20 g, 19 mm). Roma. RIC 128; C. 74. BB+",
            {
                "metal": "silver",
                "references": ["RIC 128", "Cohen 74"],
                "grade": "BB+",
                "year_start": 98,
                "year_end": 117,
            },
        ),
        # Slab grade early, reign in brackets, circa coin date, provenance sale not a reference
        (
            "Augustus (27 BC-AD 14). AE sestertius (32mm, 25.67 gm, 7h). ANACS VF 35, tooled. "
            "Lugdunum, ca. AD "
            "10-14. CAESAR AVGVSTVS, laureate head right / ROM ET AVG, altar. RIC I 231a. Ex "
            "Lexington Collection "
            "(Heritage Auction 3032, CICF, 10 April 2014), lot 23882.",
            {
                "metal": "bronze",
                "denomination": "Sestertius",
                "grade": "ANACS VF 35",
                "year_start": 10,
                "year_end": 14,
                "mint": "Lugdunum",
                "references": ["RIC I 231a"],
            },
        ),
        # Lot number prefix, measurements after the references, regnal year
        (
            "762. Nero BI Tetradrachm of Alexandria, Egypt. AD 54-68. Year 5, AD 58/9. KAIΣ ΣEBAΓEPAYTO, "
            "laureate head right / AΓPIΠΠINA, draped bust right. RPC I 5231; Milne 167. 13.91g, 26mm, 12h. "
            "Good Fine.",
            {
                "metal": "billon",
                "year_start": 58,
                "year_end": 59,
                "mint": "Alexandria",
                "weight_g": 13.91,
                "references": ["RPC I 5231", "Milne 167"],
                "grade": "Good Fine",
            },
        ),
        # cf. citations go apart; a multi-coin remark does not set the metal
        (
            "Sestertius, 119, Rome, laureate bust right, rev. lictor standing left, 27.66g/1h (RIC "
            "590; cf. BMC "
            "1206); together with other ancient coins (2, one in silver) [3]. Otherwise very fine "
            "(£1,200-1,500)",
            {
                "metal": None,
                "year_start": 119,
                "die_axis": 1,
                "references": ["RIC 590"],
                "cf_references": ["BMC 1206"],
                "grade": "very fine",
            },
        ),
        # A death date and a century are not the coin's date; "Realized" is a price
        (
            "Imperatorial Rome. Marcus Junius Brutus, d. 42 BC. Gold Aureus (8.07 g) - Realized $575,000",
            {"metal": "gold", "denomination": "Aureus", "year_start": None, "weight_g": 8.07, "grade": None},
        ),
        (
            "Southern Arabia, AV Stater. Late 3rd - 2nd centuries BC. Head of Athena right / Nike standing. "
            "5.49g, 23mm, 12h. Extremely Fine.",
            {"year_start": None, "references": [], "grade": "Extremely Fine", "metal": "gold"},
        ),
        # Labelled fields (NumisFitz)
        (
            "TRAJAN (98-117). Denarius. Rome. Obv: IMP TRAIANO AVG. Laureate bust right. Rev: SPQR OPTIMO "
            "PRINCIPI. Three standards. Woytek 419b; RIC 295. Condition: Very fine. Weight: 3,25 g. "
            "Diameter: 19 mm.",
            {
                "weight_g": 3.25,
                "diameter_mm": 19.0,
                "references": ["Woytek 419b", "RIC 295"],
                "grade": "Very fine",
                "mint": "Rome",
                "year_start": 98,
                "issuer": "Trajan",
            },
        ),
    ],
)
def test_house_styles(text, expected):
    got = parse_description(text).as_json()
    assert {name: got[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # NAC: the coin's date after the denomination, metal and weight together
        (
            "Hadrian, 117 – 138. Aureus 134-138, AV 7.31 g. HADRIANVS AVG COS III P P Bare-headed bust r. "
            "Rev. ROMA AETERNA Roma seated l. C 1311. BMC 694. RIC 263. Calicó 1414. Extremely fine.",
            {"metal": "gold", "weight_g": 7.31, "year_start": 134, "year_end": 138, "grade": "Extremely fine",
             "references": ["Cohen 1311", "BMC 694", "RIC 263", "Calicó 1414"]},
        ),
        # Künker: a series heading, the reign is not a citation, German grade words
        (
            "RÖMISCHE KAISERZEIT. Traianus, 98-117. Aureus, 112/114, Rom. 7,24 g. IMP TRAIANO AVG GER DAC. "
            "Rs: SPQR OPTIMO PRINCIPI. Calicó 1037; RIC 347; Woytek 470. Gutes vorzüglich.",
            {"issuer": "Traianus", "year_start": 112, "year_end": 114, "mint": "Rom", "weight_g": 7.24,
             "references": ["Calicó 1037", "RIC 347", "Woytek 470"], "grade": "Gutes vorzüglich"},
        ),
        # German era, French era and metal at the end, Italian unit-first measurements
        (
            "Lucius Verus, 161-169 n. Chr. Denar, Rom, 165 n. Chr. L VERVS AVG. Rs: TR P V. RIC 540. "
            "3,41 g. ss",
            {"year_start": 165, "weight_g": 3.41, "grade": "ss", "references": ["RIC 540"]},
        ),
        (
            "Gordien III (238-244). Antoninien, Rome, 241-243 ap. J.-C. IMP GORDIANVS PIVS FEL AVG. R/ "
            "LAETITIA AVG N. RIC 86. Argent, 4,55 g, 23 mm, 12 h. SUP.",
            {"metal": "silver", "year_start": 241, "year_end": 243, "die_axis": 12, "grade": "SUP"},
        ),
        (
            "Marco Aurelio (161-180). Sesterzio, Roma, 172-173 d.C. AE (g 25,12; mm 31). M ANTONINVS AVG. "
            "R/ Vittoria. RIC 1057. qBB",
            {"metal": "bronze", "weight_g": 25.12, "diameter_mm": 31.0, "year_start": 172, "grade": "qBB"},
        ),
        # Regnal years are not years; the era written once covers a later circa date
        (
            "Byzantine. Justinian I. 527-565. Æ Follis (41mm, 22.05 g, 6h). Constantinople mint, 1st "
            "officina. Dated RY 13 (539/40). D N IVSTINIANVS PP AVG, bust facing / Large M. DOC 38a; "
            "MIB 95a. VF.",
            {"issuer": "Justinian I", "year_start": 539, "year_end": 540, "mint": "Constantinople",
             "references": ["DOC 38a", "MIB 95a"]},
        ),
        (
            "SICILY. Syracuse. Agathokles, 317-289 BC. Tetradrachm (Silver, 26 mm, 17.05 g, 12 h), circa "
            "310-305. Head of Arethusa left / Quadriga left. SNG ANS 638. HGC 2, 1349. Good extremely fine.",
            {"year_start": -310, "year_end": -305, "references": ["SNG ANS 638", "HGC 2 1349"]},
        ),
    ],
)  # fmt: skip
def test_more_house_styles(text, expected):
    got = parse_description(text).as_json()
    assert {name: got[name] for name in expected} == expected


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_parses_without_raising(text):
    data = parse_description(text).as_json()
    assert set(data) >= {"weight_g", "references", "grade"}
    assert data["die_axis"] is None or 1 <= data["die_axis"] <= 12
    if data["year_start"] is not None:
        assert data["year_start"] <= data["year_end"]
