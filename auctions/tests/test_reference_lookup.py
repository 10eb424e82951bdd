"""The lot list's reference filter (auctions.reference_lookup) finds exactly the lots the plain
definition finds (a citation of that system, volume and number whatever their case, or a citation
whose text holds what was typed), whichever way it reads them; SQLite's trigram table follows every
write to the citations; and the indexes it is written for are the ones the database uses."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from auctions import reference_lookup
from auctions.models import AuctionLot, LotReference
from auctions.reference_lookup import TRIGRAM_TABLE, filter_citing, split_reference
from catalog.tests.factories import make_lot

pytestmark = pytest.mark.django_db

CITATIONS = {
    "struct": [("RIC", "II", "118", "RIC II.1 118a")],
    "raw_only": [("", "", "", "cf. RIC II 118 var. (bust left)")],
    "longer_number": [("RIC", "II", "1180", "RIC II 1180")],  # its text holds "RIC II 118"
    "other_volume": [("RIC", "III", "118", "RIC III 118")],
    "lower_case": [("ric", "ii", "118", "ric ii 118")],
    "crawford": [("Crawford", "", "44/5", "Crawford 44/5"), ("RSC", "", "2", "RSC 2")],
    "wildcards": [("", "", "", "Sear 100% (sic) und_er")],
    "accented": [("", "", "", "Münzen und Medaillen 52")],
    "letters": [("", "", "", "Sear undXer 100 percent")],  # "und_er" and "100%" must not find it
    "none": [],
}
TEXTS = [
    "RIC II 118",
    "ric ii 118",
    "RIC II.1 118",
    "RIC",
    "118",
    "Crawford 44/5",
    "rsc 2",
    "100%",
    "und_er",
    "und er",
    "MÜNZEN",
    "münzen",
    "  RIC II 118  ",
    "Sear",
    "zz",
]


@pytest.fixture
def lots():
    made = {}
    for n, (name, citations) in enumerate(CITATIONS.items()):
        lot = make_lot(url=f"https://example.test/ref/{n}", title=name)
        for position, (system, volume, number, raw) in enumerate(citations):
            LotReference.objects.create(
                lot=lot, system=system, volume=volume, number=number, raw_text=raw, position=position
            )
        made[name] = lot
    return made


def by_definition(text: str) -> set[str]:
    """The titles of the lots citing `text`, by the plain definition: each lot's citations tested."""
    condition = Exists(LotReference.objects.filter(lot_id=OuterRef("pk"), raw_text__icontains=text.strip()))
    parts = split_reference(text)
    if parts is not None:
        system, volume, number = parts
        condition |= Exists(
            LotReference.objects.filter(
                lot_id=OuterRef("pk"), system__iexact=system, volume__iexact=volume, number__iexact=number
            )
        )
    return set(AuctionLot.objects.filter(condition).values_list("title", flat=True))


@pytest.mark.parametrize("text", TEXTS)
def test_every_way_finds_what_the_definition_finds(lots, text):
    expected = by_definition(text)
    for broad in (True, False, None):
        found = filter_citing(AuctionLot.objects.all(), text, broad=broad)
        assert set(found.values_list("title", flat=True)) == expected, (text, broad)
    if text.strip() == "RIC II 118":
        assert expected == {"struct", "raw_only", "lower_case", "longer_number"}


def test_the_list_filters_by_reference(user_client, lots):
    html = user_client.get("/auctions/?reference=ric+ii+118").content.decode()
    for name in ("struct", "raw_only", "lower_case"):
        assert f">{name}</a>" in html
    assert ">other_volume</a>" not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigram table")
def test_the_trigram_table_follows_every_write(lots):
    def found(text: str) -> set[str]:
        return set(filter_citing(AuctionLot.objects.all(), text, broad=False).values_list("title", flat=True))

    reference = LotReference.objects.create(lot=lots["none"], raw_text="Sydenham 1045", position=0)
    assert found("Sydenham 1045") == {"none"}
    reference.raw_text = "Sydenham 1046"
    reference.save()
    assert found("Sydenham 1045") == set()
    assert found("Sydenham 1046") == {"none"}
    LotReference.objects.filter(pk=reference.pk).update(raw_text="Sydenham 1047")
    assert found("Sydenham 1047") == {"none"}
    reference.delete()
    assert found("Sydenham") == set()
    with connection.cursor() as cursor:
        # FTS5's own check of an external-content table against its content.
        cursor.execute(f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's choice between the two ways")
def test_a_text_most_citations_hold_is_read_lot_by_lot(lots, monkeypatch):
    reference_lookup._broad_on_sqlite.cache_clear()
    monkeypatch.setattr(reference_lookup, "BROAD_FROM", 3)
    assert reference_lookup._broad_on_sqlite("RIC")  # four citations hold it
    assert not reference_lookup._broad_on_sqlite("Crawford")
    reference_lookup._broad_on_sqlite.cache_clear()


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(row[3] for row in cursor.fetchall())
        # Tables this small are read whole by preference: forbid that, to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_citations_are_read_through_their_indexes(lots):
    found = filter_citing(AuctionLot.objects.all(), "RIC II 118", broad=False)
    shown = plan(found)
    assert "lotref_citation_upper_idx" in shown
    if connection.vendor == "sqlite":
        assert f"SCAN {TRIGRAM_TABLE} VIRTUAL TABLE" in shown
    else:
        assert "lotref_raw_trgm_idx" in shown


def test_the_filtered_list_reads_as_many_queries_whatever_the_number_of_lots(user_client, lots):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        cache.clear()  # right after a write: facets, total and page all computed
        reference_lookup._broad_on_sqlite.cache_clear()
        with CaptureQueriesContext(connection) as ctx:
            assert user_client.get("/auctions/?reference=RIC+II+118").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(30):
        lot = make_lot(url=f"https://example.test/more/{n}", title=f"more {n}")
        LotReference.objects.create(lot=lot, system="RIC", volume="II", number="118", raw_text="RIC II 118")
    assert count() == few
