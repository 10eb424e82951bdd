"""The curated vocabulary files are valid, and loading them is idempotent and all-or-nothing."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from numismatics.names import read_vocabulary
from vocab.models import Denomination, Issuer, IssuerAlias, IssuerKind, Mint
from vocab.normalize import match_key
from vocab.seed import load_vocabulary

NOMISMA_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
METALS = {"gold", "silver", "billon", "bronze", "copper", "orichalcum", "electrum", "lead", "potin"}


@pytest.fixture(scope="module")
def data():
    return {name: read_vocabulary(name) for name in ("issuers", "mints", "denominations")}


# --- the data files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    # The description parser reads these names too (numismatics.names), hence more mints and
    # denominations than the first planned vocabulary.
    ("name", "low", "high"),
    [("issuers", 150, 240), ("mints", 50, 100), ("denominations", 30, 100)],
)
def test_each_file_has_the_planned_size(data, name, low, high):
    assert low <= len(data[name]) <= high


@pytest.mark.parametrize("name", ["issuers", "mints", "denominations"])
def test_names_and_aliases_are_unambiguous_within_a_vocabulary(data, name):
    """Every spelling (canonical or alias) resolves to one term only, as the resolver needs."""
    owner = {}
    for row in data[name]:
        keys = {match_key(row["name"])} | {match_key(alias) for alias in row["aliases"]}
        for key in keys:
            assert key, f"empty spelling in {row['name']}"
            assert owner.setdefault(key, row["name"]) == row["name"], (
                f"{key!r}: {owner[key]} and {row['name']}"
            )


@pytest.mark.parametrize("name", ["issuers", "mints", "denominations"])
def test_nomisma_ids_are_well_formed_and_unique(data, name):
    ids = [row["nomisma"] for row in data[name] if row["nomisma"]]
    assert all(NOMISMA_ID.match(i) for i in ids), [i for i in ids if not NOMISMA_ID.match(i)]
    assert len(ids) == len(set(ids))


def test_issuer_reigns_have_no_year_zero_and_run_forward(data):
    for row in data["issuers"]:
        assert 0 not in (row["reign_start"], row["reign_end"]), row["name"]
        assert row["reign_start"] <= row["reign_end"], row["name"]
        assert row["reign_start"] > -800 and row["reign_end"] <= 518, row["name"]
        assert row["kind"] in IssuerKind.values, row["name"]


def test_issuers_the_brief_names_are_there_with_their_aliases(data):
    by_name = {row["name"]: row for row in data["issuers"]}
    assert by_name["Septimius Severus"]["nomisma"] == "septimius_severus"
    assert (by_name["Augustus"]["reign_start"], by_name["Augustus"]["reign_end"]) == (-27, 14)
    assert "Constantine the Great" in by_name["Constantine I"]["aliases"]
    assert "Philip the Arab" in by_name["Philip I"]["aliases"]
    assert "Decius" in by_name["Trajan Decius"]["aliases"]
    assert "Antoninus" not in by_name["Caracalla"]["aliases"]  # ambiguous: several emperors bore it
    assert {"Julius Caesar", "Mark Antony", "Alexander III", "Herennia Etruscilla", "Anastasius I"} <= set(
        by_name
    )


def test_mints_have_coordinates_in_range_and_ordered_activity(data):
    for row in data["mints"]:
        assert -90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180, row["name"]
        # The Mediterranean world: a swapped latitude/longitude would land outside this box.
        assert 25 <= row["latitude"] <= 56 and -10 <= row["longitude"] <= 46, row["name"]
        start, end = row["active_start"], row["active_end"]
        assert 0 not in (start, end), row["name"]
        if start is not None and end is not None:
            assert start <= end, row["name"]
    trier = next(row for row in data["mints"] if row["name"] == "Trier")
    assert trier["nomisma"] == "treveri" and "Treveri" in trier["aliases"]


# Names of denominations struck in several metals (a Celtic "unit" in gold, silver or bronze): no one
# metal can be inferred from them.
SEVERAL_METALS = {"Medallion", "Hemistater", "Trachy", "Unit", "Fraction", "Tessera", "Distater"}


def test_denominations_have_a_metal_and_forward_physical_ranges(data):
    for row in data["denominations"]:
        assert row["metal"] in METALS or (row["metal"] == "" and row["name"] in SEVERAL_METALS), row["name"]
        assert 0 < row["weight_min"] < row["weight_max"], row["name"]
        assert 0 < row["diameter_min"] < row["diameter_max"], row["name"]
    by_name = {row["name"]: row for row in data["denominations"]}
    assert by_name["Solidus"]["metal"] == "gold" and by_name["Denarius"]["metal"] == "silver"
    assert "Æ3" in by_name["AE3"]["aliases"] and "Double denarius" in by_name["Antoninianus"]["aliases"]


# --- loading -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_creates_every_term_and_resolves_aliases(data):
    result = load_vocabulary()
    assert result["created"] == sum(len(rows) for rows in data.values())
    assert Issuer.objects.count() == len(data["issuers"])
    assert Mint.objects.count() == len(data["mints"])
    assert Denomination.objects.count() == len(data["denominations"])
    assert Issuer.objects.resolve("Philip the Arab").name == "Philip I"
    assert Issuer.objects.resolve("constantine the great").nomisma_id == "constantine_i"
    assert Mint.objects.resolve("Kyzikos").name == "Cyzicus"
    assert Mint.objects.resolve("Lyon").nomisma_uri == "http://nomisma.org/id/lugdunum"
    assert Denomination.objects.resolve("Æ3").name == "AE3"
    severus = Issuer.objects.get(name="Septimius Severus")
    assert (severus.reign_start, severus.reign_end, severus.dynasty) == (193, 211, "Severan")


@pytest.mark.django_db
def test_second_load_creates_nothing():
    load_vocabulary()
    counts = (Issuer.objects.count(), Mint.objects.count(), IssuerAlias.objects.count())
    again = load_vocabulary()
    assert again["created"] == 0 and again["aliases_created"] == 0 and again["updated"] == 0
    assert (Issuer.objects.count(), Mint.objects.count(), IssuerAlias.objects.count()) == counts


@pytest.mark.django_db
def test_reload_fills_blanks_but_keeps_curator_edits():
    load_vocabulary()
    Issuer.objects.filter(name="Caracalla").update(nomisma_id="")
    Issuer.objects.filter(name="Geta").update(dynasty="Severan (curator's note)")
    result = load_vocabulary()
    assert result["updated"] == 1
    assert Issuer.objects.get(name="Caracalla").nomisma_id == "caracalla"
    assert Issuer.objects.get(name="Geta").dynasty == "Severan (curator's note)"


@pytest.mark.django_db
def test_existing_term_with_other_case_is_matched_not_duplicated():
    Issuer.objects.create(name="SEPTIMIUS SEVERUS", kind=IssuerKind.EMPEROR)
    load_vocabulary()
    assert Issuer.objects.filter(match_key="septimius severus").count() == 1


@pytest.mark.django_db
def test_a_bad_row_rolls_everything_back(tmp_path):
    for name in ("mints", "denominations"):
        (tmp_path / f"{name}.json").write_text(json.dumps(read_vocabulary(name)), encoding="utf-8")
    issuers = read_vocabulary("issuers")
    issuers[-1] = {**issuers[-1], "reign_start": 0}  # the database refuses year 0
    (tmp_path / "issuers.json").write_text(json.dumps(issuers), encoding="utf-8")
    with pytest.raises(IntegrityError):
        load_vocabulary(data_dir=tmp_path)
    assert Issuer.objects.count() == 0 and Mint.objects.count() == 0


@pytest.mark.django_db
def test_command_prints_one_summary_line():
    out = StringIO()
    call_command("load_vocab", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and "created" in lines[0]
    assert f"{Issuer.objects.count()} issuers" in lines[0]
    assert Issuer.objects.exists()
