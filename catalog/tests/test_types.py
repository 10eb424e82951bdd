"""Coin types in the collection: the admin's suggestions and accept flow, the coin page's type panel
with its legend comparison, comparable lots through the type, series whose slots are types, and
citations linked by the importer, the scraping store and link_types. On SQLite and PostgreSQL alike."""

import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, transaction

from auctions.models import LotReference
from auctions.scraping.store import store_lot
from auctions.scraping.types import ParsedLot
from catalog.attribution import accept_type, suggestions_for
from catalog.importing import import_file
from catalog.models import Coin, Reference, Series, SeriesMembership
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
    make_sale,
    make_series,
)
from catalog.tests.test_import_files import augustus as augustus_row
from catalog.tests.test_import_files import write_xlsx
from vocab.models import CoinType
from vocab.tests.helpers import OCRE, load_some_types

pytestmark = pytest.mark.django_db

AUGUSTUS_207 = "ric.1(2).aug.207"


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("curator", password="not-used"))
    return client


@pytest.fixture
def augustus_coin():
    """An Augustus denarius of Lugdunum with its legends and no citation."""
    return make_coin(
        inventory_number="T-1",
        issuer=make_issuer("Augustus", nomisma_id="augustus"),
        mint=make_mint("Lugdunum", nomisma_id="lugdunum"),
        denomination=make_denomination("Denarius", nomisma_id="denarius"),
        metal="silver",
        year_start=-2,
        year_end=4,
        obverse_legend="CAESAR AVGVSTVS DIVI F PATER PATRIAE",
        reverse_legend="C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT",
    )


# --- the admin: suggestions and accepting one ------------------------------------------------------


def test_the_coin_form_suggests_types_and_a_click_accepts_one(staff, augustus_coin):
    types = load_some_types(AUGUSTUS_207, "ric.1(2).aug.206", "ric.1(2).aug.208", "ric.1(2).aug.210")
    page = staff.get(f"/admin/catalog/coin/{augustus_coin.pk}/change/").content.decode()
    assert "Suggested types" in page
    first = page.index('name="_accept_type"')
    assert page[first : first + 120].count(OCRE + AUGUSTUS_207) == 1  # the best suggestion first
    # Accepting submits the coin form (its edits are saved too) with the button's value.
    form = {
        "inventory_number": "T-1",
        "category": "roman_imperial",
        "issuer": augustus_coin.issuer_id,
        "mint": augustus_coin.mint_id,
        "denomination": augustus_coin.denomination_id,
        "year_start": "-2",
        "year_end": "4",
        "metal": "silver",
        "obverse_legend": augustus_coin.obverse_legend,
        "reverse_legend": augustus_coin.reverse_legend,
        "grading_state": "raw",
        "notes": "accepted from the suggestions",
        "_accept_type": OCRE + AUGUSTUS_207,
    }
    for prefix in (
        "images",
        "references",
        "provenance",
        "auction_lots",
        "series_memberships",
        "manual_values",
    ):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = staff.post(f"/admin/catalog/coin/{augustus_coin.pk}/change/", form, follow=True)
    assert response.status_code == 200
    assert "Attributed to RIC I² 207" in response.content.decode()
    reference = Reference.objects.get(coin=augustus_coin)
    assert (reference.type, reference.is_attribution, reference.citation) == (
        types[AUGUSTUS_207],
        True,
        "RIC I² 207",
    )
    assert (reference.system, reference.volume, reference.number) == ("RIC", "I", "207")
    assert Coin.objects.get(pk=augustus_coin.pk).notes == "accepted from the suggestions"
    # Accepting it again adds nothing; the coin's page shows it as the curator's attribution.
    assert accept_type(augustus_coin, types[AUGUSTUS_207]) == (reference, False)
    html = staff.get(f"/coins/{augustus_coin.pk}/").content.decode()
    assert "your attribution" in html


def test_suggestions_without_loaded_types_cannot_be_accepted(staff, augustus_coin):
    page = staff.get(f"/admin/catalog/coin/{augustus_coin.pk}/change/").content.decode()
    assert "load the types first" in page and 'name="_accept_type"' not in page
    assert suggestions_for(augustus_coin)[0].suggestion.uri == OCRE + AUGUSTUS_207


def test_an_attribution_without_a_type_is_refused_by_the_database(augustus_coin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reference.objects.create(coin=augustus_coin, raw_text="RIC I 207", is_attribution=True)


def test_a_reference_typed_in_the_admin_is_read_and_linked(staff, augustus_coin):
    types = load_some_types(AUGUSTUS_207)
    form = {
        "inventory_number": "T-1", "category": "roman_imperial", "issuer": augustus_coin.issuer_id,
        "mint": augustus_coin.mint_id, "denomination": augustus_coin.denomination_id, "metal": "silver",
        "year_start": "-2", "year_end": "4", "grading_state": "raw", "_continue": "1",
        "obverse_legend": augustus_coin.obverse_legend, "reverse_legend": augustus_coin.reverse_legend,
        "references-TOTAL_FORMS": "2", "references-INITIAL_FORMS": "0",
        "references-0-raw_text": "RIC I 207", "references-0-position": "0",
        "references-1-raw_text": "RIC II 9999", "references-1-position": "1",
    }  # fmt: skip
    for prefix in ("images", "provenance", "auction_lots", "series_memberships", "manual_values"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = staff.post(f"/admin/catalog/coin/{augustus_coin.pk}/change/", form, follow=True)
    assert "RIC II 9999: no such type in OCRE" in response.content.decode()
    good, bad = Reference.objects.filter(coin=augustus_coin).order_by("position")
    assert (good.system, good.volume, good.number, good.type) == ("RIC", "I", "207", types[AUGUSTUS_207])
    assert bad.type is None and bad.raw_text == "RIC II 9999"


# --- the coin page ---------------------------------------------------------------------------------


def test_the_coin_page_shows_the_type_and_marks_where_the_legends_differ(user_client, augustus_coin):
    types = load_some_types(AUGUSTUS_207)
    augustus_coin.obverse_legend = "CAESAR AVGVSTVS DIVI F PATER PATRIE"  # a misreading: PATRIE
    augustus_coin.save()
    make_reference(
        augustus_coin, "RIC I 207", system="RIC", volume="I", number="207", type=types[AUGUSTUS_207]
    )
    html = user_client.get(f"/coins/{augustus_coin.pk}/").content.decode()
    panel = html[html.index('aria-label="Catalogued type"') :]
    panel = panel[: panel.index("</section>")]
    assert 'href="http://numismatics.org/ocre/id/ric.1(2).aug.207"' in panel
    assert "RIC I (second edition) Augustus 207" in panel
    # The coin's own legend and OCRE's, the differing letters marked, and a verdict.
    assert "CAESAR AVGVSTVS DIVI F PATER PATRI" in panel
    assert re.search(r'<mark class="legend-diff">[^<]*A[^<]*</mark>', panel)  # OCRE's PATRIAE has an A more
    assert "small differences: a die variant or a misreading" in panel
    assert "the same legend" in panel  # the reverse


def test_a_coin_without_a_linked_type_has_no_type_panel(user_client, augustus_coin):
    make_reference(augustus_coin, "RSC 43", system="RSC", number="43")
    assert (
        'aria-label="Catalogued type"' not in user_client.get(f"/coins/{augustus_coin.pk}/").content.decode()
    )


def test_comparable_lots_are_found_through_the_type(user_client, augustus_coin):
    types = load_some_types(AUGUSTUS_207, "ric.1(2).aug.208")
    make_reference(
        augustus_coin, "RIC I 207", system="RIC", volume="I", number="207", type=types[AUGUSTUS_207]
    )
    sale = make_sale("Roma Numismatics", "27")
    same_type = make_lot(
        url="https://example.test/lots/1", sale=sale, house=sale.house, title="Cited otherwise"
    )
    # The lot cites the type another way (RIC I² 207 with a part of volume that the text match misses).
    LotReference.objects.create(
        lot=same_type,
        raw_text="RIC I² 207",
        system="RIC",
        volume="I²",
        number="207",
        type=types[AUGUSTUS_207],
    )
    other = make_lot(url="https://example.test/lots/2", sale=sale, house=sale.house, title="Another type")
    LotReference.objects.create(
        lot=other,
        raw_text="RIC I² 208",
        system="RIC",
        volume="I²",
        number="208",
        type=types["ric.1(2).aug.208"],
    )
    near = make_lot(url="https://example.test/lots/3", sale=sale, house=sale.house, title="Only cf.")
    LotReference.objects.create(lot=near, raw_text="cf. RIC I 207", is_cf=True, type=types[AUGUSTUS_207])
    html = user_client.get(f"/coins/{augustus_coin.pk}/lots/").content.decode()
    section = html[html.index("<h2>Comparable lots</h2>") :]
    assert "Cited otherwise" in section
    assert "Another type" not in section and "Only cf." not in section


# --- series from types -----------------------------------------------------------------------------


def test_a_series_of_types_is_made_in_the_admin_and_filled_through_the_coins_types(staff, augustus_coin):
    types = load_some_types(
        AUGUSTUS_207, "ric.1(2).aug.208", "ric.1(2).aug.209", "ric.1(2).aug.210", "ric.1(2).tib.26"
    )
    # The curator filters the types (Augustus, Lugdunum, denarius) and makes them a series.
    chosen = CoinType.objects.filter(
        authority_nomisma="augustus", mint_nomisma="lugdunum", denomination_nomisma="denarius"
    )
    assert chosen.count() == 3
    url = "/admin/vocab/cointype/?authority_nomisma=augustus"
    data = {"action": "make_series_from_types", ACTION_CHECKBOX_NAME: [t.pk for t in chosen]}
    page = staff.post(url, data).content.decode()
    assert "<strong>3</strong> slots" in page and 'name="name"' in page
    response = staff.post(url, {**data, "apply": "1", "name": "Augustus at Lugdunum"}, follow=True)
    assert "created with 3 slots" in response.content.decode()
    series = Series.objects.get(name="Augustus at Lugdunum")
    slots = list(series.slots.order_by("number"))
    assert [s.type for s in slots] == [
        types[AUGUSTUS_207],
        types["ric.1(2).aug.208"],
        types["ric.1(2).aug.210"],
    ]
    # A coin whose reference resolves to a slot's type fills it; nobody adds it to the series.
    make_reference(
        augustus_coin, "RIC I 207", system="RIC", volume="I", number="207", type=types[AUGUSTUS_207]
    )
    html = staff.get("/series/").content.decode()
    assert "1 of 3 slots filled · 1 coin" in html
    html = staff.get(f"/series/{series.slug}/").content.decode()
    assert html.count('class="slot slot-filled"') == 1 and html.count(">missing<") == 2
    assert f'href="/coins/{augustus_coin.pk}/"' in html and "(by its type)" in html
    # A cf. reference is a near match: it fills nothing.
    other = make_coin(inventory_number="T-2")
    make_reference(other, "cf. RIC I 208", is_cf=True, type=types["ric.1(2).aug.208"])
    assert "1 of 3 slots filled" in staff.get("/series/").content.decode()
    # The admin's completion says the same.
    assert "1/3 (33%)" in staff.get("/admin/catalog/series/").content.decode()


def test_a_series_counts_each_coin_once_whether_member_or_citing_its_types(augustus_coin):
    types = load_some_types(AUGUSTUS_207, "ric.1(2).aug.208")
    series = make_series("Counted", slots=3)
    typed, other_typed, plain = series.slots.order_by("number")
    typed.type, other_typed.type = types[AUGUSTUS_207], types["ric.1(2).aug.208"]
    typed.save()
    other_typed.save()
    member_citing = augustus_coin
    make_reference(member_citing, "RIC I 207", type=types[AUGUSTUS_207])
    SeriesMembership.objects.create(series=series, coin=member_citing, slot=plain)
    citing_twice = make_coin(inventory_number="C-2")
    make_reference(citing_twice, "RIC I 207", type=types[AUGUSTUS_207])
    make_reference(citing_twice, "RIC I 208", type=types["ric.1(2).aug.208"])
    near = make_coin(inventory_number="C-3")
    make_reference(near, "cf. RIC I 208", is_cf=True, type=types["ric.1(2).aug.208"])
    make_series("Empty", slots=2)
    counted = {s.name: (s.coin_count, s.filled_count, s.slot_count) for s in Series.objects.with_progress()}
    assert counted == {"Counted": (2, 3, 3), "Empty": (0, 0, 2)}


def test_one_type_fills_one_slot_of_a_series():
    types = load_some_types(AUGUSTUS_207)
    series = make_series("Twice", slots=2)
    first, second = series.slots.order_by("number")
    first.type = types[AUGUSTUS_207]
    first.save()
    second.type = types[AUGUSTUS_207]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


@pytest.mark.parametrize("rows", [1, 20])
def test_series_pages_with_type_slots_run_a_fixed_number_of_queries(
    user_client, django_assert_num_queries, rows
):
    identifiers = [
        f"ric.1(2).aug.{n}"
        for n in (
            207,
            208,
            209,
            210,
            211,
            212,
            213,
            214,
            215,
            216,
            217,
            218,
            219,
            220,
            221,
            222,
            223,
            224,
            225,
            226,
        )
    ]
    types = load_some_types(*identifiers[:rows])
    series = make_series("Types", slots=rows)
    for slot, identifier in zip(series.slots.order_by("number"), identifiers, strict=False):
        slot.type = types[identifier]
        slot.save()
        coin = make_coin(inventory_number=f"S{identifier}")
        make_reference(coin, identifier, type=types[identifier])
        SeriesMembership.objects.create(
            series=series, coin=make_coin(inventory_number=f"M{identifier}"), slot=slot
        )
    # Session and user (2), the series (1), slots with their types, memberships and images (3), the
    # coins of the slots' types with their images (2), the unslotted members (1).
    with django_assert_num_queries(9):
        html = user_client.get(f"/series/{series.slug}/").content.decode()
    assert html.count('class="slot slot-filled"') == rows
    with django_assert_num_queries(3):
        assert (
            f"{rows} of {rows} slots filled · {2 * rows} coins"
            in user_client.get("/series/").content.decode()
        )


# --- citations linked where references are stored ---------------------------------------------------


def test_the_importer_links_citations_to_their_types_and_reports_those_naming_none(tmp_path):
    types = load_some_types(AUGUSTUS_207)
    path = write_xlsx(
        tmp_path / "sheet.xlsx", [augustus_row(7), augustus_row(8, reference="RIC I 99999; RSC 43")]
    )
    report = import_file(path)
    good = Reference.objects.get(coin__inventory_number="7", system="RIC")
    assert good.type == types[AUGUSTUS_207] and good.type_uri == OCRE + AUGUSTUS_207
    bad = Reference.objects.get(coin__inventory_number="8", system="RIC")
    assert bad.type is None and bad.type_uri == ""
    messages = [p.message for p in report.warnings]
    assert any("RIC I 99999: no such type in OCRE" in m for m in messages)
    # An attribution the curator made survives a re-import of the sheet.
    coin = Coin.objects.get(inventory_number="8")
    accept_type(coin, types[AUGUSTUS_207])
    write_xlsx(path, [augustus_row(7), augustus_row(8, reference="RIC I 207; RSC 43")])
    import_file(path)
    assert coin.references.filter(is_attribution=True, type=types[AUGUSTUS_207]).exists()
    assert coin.references.filter(is_attribution=False, type=types[AUGUSTUS_207]).exists()


def test_the_scraping_store_links_a_lots_citations_through_its_description():
    types = load_some_types(AUGUSTUS_207, "rrc-335.1c")
    parsed = ParsedLot(
        url="https://www.numisbids.com/n.php?p=lot&sid=1&lot=2",
        house_name="CNG",
        platform="numisbids",
        description=(
            "Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. CAESAR AVGVSTVS DIVI F "
            "PATER PATRIAE, laureate head right / AVGVSTI F COS DESIG PRINC IVVENT. RIC I 207; RSC 43. VF."
        ),
    )
    lot = store_lot(parsed, download_images=False).lot
    ric = lot.references.get(system="RIC")
    assert ric.type == types[AUGUSTUS_207]
    assert lot.references.get(system="RSC").type is None


def test_link_types_links_references_written_before_the_types_were_loaded(augustus_coin, capsys):
    reference = make_reference(
        augustus_coin, "RIC I 207", system="RIC", volume="I", number="207", citation_text="RIC I 207"
    )
    lot = make_lot(
        url="https://example.test/lots/9", description="Augustus. AR Denarius. Lugdunum. RIC I 207."
    )
    lot_reference = LotReference.objects.create(
        lot=lot, raw_text="RIC I 207", citation_text="RIC I 207", system="RIC", volume="I", number="207"
    )
    types = load_some_types(AUGUSTUS_207)
    call_command("link_types")
    assert "2 reference(s) linked" in capsys.readouterr().out
    reference.refresh_from_db()
    lot_reference.refresh_from_db()
    assert reference.type == types[AUGUSTUS_207] == lot_reference.type


def test_identify_type_prints_one_json_line_per_text(capsys):
    call_command("identify_type", "Augustus. AR Denarius. Lugdunum. RIC I 207.", "RIC II.3 430")
    first, second = capsys.readouterr().out.strip().split("\n")
    assert '"uri": "http://numismatics.org/ocre/id/ric.1(2).aug.207"' in first
    assert "RIC II part 3" in second and '"uri": null' in second
    assert Decimal("1")  # (keeps the import list honest for the other tests)
