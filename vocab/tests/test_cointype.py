"""The CoinType table: load_types, the database's rules, resolving stored citations, the admin list."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, transaction

from catalog.models import Coin, Reference
from catalog.tests.factories import make_coin, make_issuer
from numismatics.types.table import type_table
from vocab.merge import merge_terms
from vocab.models import CoinType, Denomination, Issuer, Mint
from vocab.tests.helpers import CRRO, OCRE, load_some_types
from vocab.typeload import load_types
from vocab.types import TypeLinker, context_for, resolve_reference

pytestmark = pytest.mark.django_db


def test_load_types_loads_both_tables_once_and_links_the_vocabulary(capsys):
    augustus = Issuer.objects.create(name="Augustus", nomisma_id="augustus")
    lugdunum = Mint.objects.create(name="Lugdunum", nomisma_id="lugdunum")
    denarius = Denomination.objects.create(name="Denarius", nomisma_id="denarius")
    call_command("load_types")
    assert "52904 read; 52904 created" in capsys.readouterr().out
    assert CoinType.objects.count() == len(type_table()) == 52_904
    assert CoinType.objects.filter(corpus="crro").count() == 2_281
    t = CoinType.objects.get(uri=OCRE + "ric.1(2).aug.207")
    assert (t.catalogue, t.volume, t.section, t.number, t.citation) == (
        "RIC",
        "I²",
        "Augustus",
        "207",
        "RIC I² 207",
    )
    assert (t.issuer, t.mint, t.denomination) == (augustus, lugdunum, denarius)
    assert (t.material, t.obverse_legend) == ("ar", "CAESAR AVGVSTVS DIVI F PATER PATRIAE")
    crro = CoinType.objects.get(uri=CRRO + "rrc-335.1c")
    assert (crro.citation, crro.year_start, crro.year_end, crro.authority_nomisma) == (
        "Crawford 335/1c",
        -96,
        -96,
        "",
    )
    ids = dict(CoinType.objects.values_list("uri", "pk"))
    # Again: nothing written, every row kept with its id (references point at them).
    call_command("load_types")
    assert "0 created, 0 updated, 52904 unchanged" in capsys.readouterr().out
    assert dict(CoinType.objects.values_list("uri", "pk")) == ids


def test_a_changed_or_vanished_type_is_updated_or_kept_never_deleted():
    load_some_types("ric.1(2).aug.207", "ric.1(2).aug.208")
    table = type_table()
    record = table.get(OCRE + "ric.1(2).aug.207")
    changed = record.__class__(
        **{**{f: getattr(record, f) for f in record.__dataclass_fields__}, "label": "Renamed"}
    )
    result = load_types(records=[changed])
    assert (result.updated, result.created, result.not_in_table) == (1, 0, 1)
    assert CoinType.objects.get(uri=OCRE + "ric.1(2).aug.207").label == "Renamed"
    assert CoinType.objects.filter(uri=OCRE + "ric.1(2).aug.208").exists()


def test_the_database_refuses_two_rows_for_one_type_and_backwards_years():
    load_some_types("rrc-335.1c")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoinType.objects.create(
            uri=CRRO + "rrc-335.1c", corpus="crro", label="x", catalogue="RRC", number="1"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoinType.objects.create(
            uri=CRRO + "rrc-x",
            corpus="crro",
            label="x",
            catalogue="RRC",
            number="1",
            year_start=-90,
            year_end=-100,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoinType.objects.create(uri=OCRE + "x", corpus="rpc", label="x", catalogue="RIC", number="1")


def test_resolve_reference_links_a_stored_citation_to_its_type():
    types = load_some_types("ric.1(2).aug.207", "ric.2.hdn.123_denarius", "ric.2.hdn.123_aureus")
    coin = make_coin(issuer=make_issuer("Augustus", nomisma_id="augustus"))
    reference = Reference(
        coin=coin, raw_text="RIC I 207", citation_text="RIC I 207", system="RIC", volume="I", number="207"
    )
    linked = resolve_reference(reference, issuer=coin.issuer)
    assert linked.linked and reference.type == types["ric.1(2).aug.207"]
    assert reference.type_uri == OCRE + "ric.1(2).aug.207"
    # Names as text work too (a lot's "Hadrian", "Denarius"); the denomination picks OCRE's split.
    hadrian = Reference(
        coin=coin, raw_text="RIC II 123", citation_text="RIC II 123", system="RIC", volume="II", number="123"
    )
    resolve_reference(hadrian, issuer="Hadrian", denomination="Denar")
    assert hadrian.type == types["ric.2.hdn.123_denarius"]


def test_a_citation_of_no_type_is_reported_and_left_unlinked():
    load_some_types("ric.2.tr.295")
    reference = Reference(
        raw_text="RIC II 9999", citation_text="RIC II 9999", system="RIC", volume="II", number="9999"
    )
    linked = resolve_reference(reference, issuer="Trajan")
    assert not linked.linked and reference.type is None and reference.type_uri == ""
    assert linked.problem.startswith("RIC II 9999: no such type in OCRE")


def test_other_catalogues_keep_their_rpc_link_and_no_type():
    reference = Reference(
        raw_text="RPC I 1701a", citation_text="RPC I 1701a", system="RPC", volume="I", number="1701"
    )
    linked = resolve_reference(reference)
    assert linked.resolution is None and reference.type is None
    assert reference.type_uri == "https://rpc.ashmus.ox.ac.uk/coins/1/1701"


def test_a_linker_looks_each_type_up_once(django_assert_num_queries):
    load_some_types("ric.1(2).aug.207")
    linker = TypeLinker()
    context = context_for(issuer="Augustus")
    references = [
        Reference(raw_text="RIC I 207", citation_text="RIC I 207", system="RIC", volume="I", number="207")
        for _ in range(20)
    ]
    with django_assert_num_queries(1):
        for reference in references:
            linker.resolve_reference(reference, context)
    assert all(r.type_id for r in references)


def test_merging_issuers_keeps_their_types_linked():
    augustus = Issuer.objects.create(name="Augustus", nomisma_id="augustus")
    types = load_some_types("ric.1(2).aug.207")
    duplicate = Issuer.objects.create(name="Octavianus Augustus")
    CoinType.objects.filter(pk=types["ric.1(2).aug.207"].pk).update(issuer=duplicate)
    merge_terms(augustus, [duplicate])
    assert CoinType.objects.get(pk=types["ric.1(2).aug.207"].pk).issuer == augustus


@pytest.mark.parametrize("rows", [3, 40])
def test_the_type_list_in_the_admin_is_read_only_and_its_query_count_fixed(
    client, django_assert_num_queries, rows
):
    identifiers = [f"ric.1(2).aug.{n}" for n in range(207, 207 + rows)]
    load_some_types(*[i for i in identifiers if type_table().get(OCRE + i)], "rrc-335.1c")
    client.force_login(User.objects.create_superuser("curator", password="x"))
    # Session and user, the page of types, and the filters' values: as many for 4 types as for 41.
    with django_assert_num_queries(TYPE_LIST_QUERIES):
        html = client.get("/admin/vocab/cointype/?q=augustus").content.decode()
    assert "RIC I² 207" in html and "RIC I² 208" in html and "335/1c" not in html
    page = client.get(f"/admin/vocab/cointype/{CoinType.objects.get(number='207').pk}/change/")
    assert page.status_code == 200 and 'name="label"' not in page.content.decode()
    assert client.get("/admin/vocab/cointype/add/").status_code == 403
    assert not Coin.objects.exists()


TYPE_LIST_QUERIES = 9
