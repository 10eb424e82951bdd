"""manage.py parse_lot_text: one JSON line per description, from arguments or standard input."""

import io
import json

from django.core.management import call_command

DENARIUS = "Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. RIC I 207; RSC 43. Good VF."
AS = "AUGUSTUS. 27 BC-14 AD. Æ As (11.29 gm, 12h). Rome mint. Struck 11-12 AD. RIC I 471; BMCRE 275. VF."


def _lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_arguments_give_one_json_line_each():
    out = io.StringIO()
    call_command("parse_lot_text", DENARIUS, AS, stdout=out)
    first, second = _lines(out)
    assert (first["weight_g"], first["metal"], first["references"]) == (
        3.82,
        "silver",
        ["RIC I 207", "RSC 43"],
    )
    assert (second["denomination"], second["die_axis"], second["year_start"]) == ("As", 12, 11)


def test_standard_input_is_read_line_by_line_when_there_are_no_arguments():
    out = io.StringIO()
    call_command("parse_lot_text", stdin=io.StringIO(f"{DENARIUS}\n\n{AS}\n"), stdout=out)
    lines = _lines(out)
    assert len(lines) == 2  # the blank line is skipped
    assert [line["mint"] for line in lines] == ["Lugdunum", "Rome"]


def test_the_keys_stay_and_provenance_and_variant_are_added():
    out = io.StringIO()
    text = (
        "Probus. AD 276-282. Antoninianus (23mm, 3.89 g, 6h). Siscia mint. RIC V 766 var.; cf. Pink VI/1 49. "
        "VF. Ex Leu 38, lot 23; Triton XVI, lot 214."
    )
    call_command("parse_lot_text", text, stdout=out)
    (line,) = _lines(out)
    assert list(line)[:14] == [
        "weight_g", "diameter_mm", "die_axis", "metal", "denomination", "issuer", "mint", "year_start",
        "year_end", "references", "cf_references", "grade", "obverse", "reverse",
    ]  # fmt: skip
    assert line["provenance"] == ["Ex Leu 38, lot 23; Triton XVI, lot 214"]
    assert (line["references"], line["variant"]) == (["RIC V 766"], ["RIC V 766"])
