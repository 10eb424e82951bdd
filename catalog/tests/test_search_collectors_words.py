"""Search finds what collectors type: denomination, mint, metal words, references, provenance, source,
storage and inventory number, with the vocabulary's aliases; private words stay private; the triggers
keep the document in step with every table it reads (catalog migration 0012). Both engines."""

import pytest
from django.contrib.auth.models import User

from auctions.models import CoinRole
from catalog.models import Coin, ProvenanceEvent, Reference
from catalog.search import apply_search
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
)
from vocab.merge import merge_terms
from vocab.models import DenominationAlias, Issuer, IssuerAlias, MintAlias

pytestmark = pytest.mark.django_db


def found(text: str, include_private: bool = True) -> set[str]:
    """Inventory numbers of the coins a search finds."""
    queryset = apply_search(Coin.objects.all(), text, include_private=include_private)
    return set(queryset.values_list("inventory_number", flat=True))


@pytest.fixture
def vocab():
    rome, lugdunum = make_mint("Rome"), make_mint("Lugdunum")
    for name, mint in (("Roma", rome), ("Rom", rome), ("Lyon", lugdunum), ("Lyons", lugdunum)):
        MintAlias.objects.create(name=name, target=mint)
    denarius, tetradrachm, antoninianus = (
        make_denomination("Denarius"),
        make_denomination("Tetradrachm"),
        make_denomination("Antoninianus"),
    )
    for name in ("Denar", "Denier"):
        DenominationAlias.objects.create(name=name, target=denarius)
    augustus = make_issuer("Augustus")
    IssuerAlias.objects.create(name="Octavian", target=augustus)
    return {
        "rome": rome,
        "lugdunum": lugdunum,
        "denarius": denarius,
        "tetradrachm": tetradrachm,
        "antoninianus": antoninianus,
        "augustus": augustus,
    }


@pytest.fixture
def coins(vocab):
    return {
        "lug": make_coin(
            inventory_number="D-1",
            issuer=vocab["augustus"],
            mint=vocab["lugdunum"],
            denomination=vocab["denarius"],
            metal="silver",
            acquisition_source="Heritage Auctions",
            storage_location="SlabBox1",
        ),
        "rom": make_coin(
            inventory_number="D-2",
            mint=vocab["rome"],
            denomination=vocab["denarius"],
            metal="silver",
            storage_location="Velv2-5-1",
        ),
        "ant": make_coin(
            inventory_number="A-7", mint=vocab["lugdunum"], denomination=vocab["antoninianus"], metal="billon"
        ),
        "tet": make_coin(
            inventory_number="T-3", category="greek", denomination=vocab["tetradrachm"], metal="silver"
        ),
        "gold": make_coin(inventory_number="G-9", metal="gold", notes="from grandfather"),
    }


def test_denomination_and_its_aliases(coins):
    assert found("tetradrachm") == {"T-3"}
    assert found("denarius") == {"D-1", "D-2"}
    assert found("denar") == found("Denier") == {"D-1", "D-2"}


def test_mint_and_its_aliases_find_the_same_coins(coins):
    assert found("Lugdunum") == found("Lyon") == {"D-1", "A-7"}
    assert found("Rom") == found("Roma") == found("Rome") == {"D-2"}


def test_words_of_different_kinds_combine(coins):
    assert found("denarius lugdunum") == {"D-1"}
    assert found("denar lyon") == {"D-1"}
    assert found("antoninianus Rome") == set()


def test_issuer_aliases(coins):
    assert found("Octavian") == {"D-1"}


def test_metal_words_and_abbreviations(coins):
    assert found("silver") == {"D-1", "D-2", "T-3"}
    assert found("AR") == found("argent") == {"D-1", "D-2", "T-3"}
    assert found("AV") == found("gold") == {"G-9"}
    assert found("billon") == {"A-7"}


def test_inventory_number(coins):
    assert found("A-7") == {"A-7"}
    assert found("T 3") == {"T-3"}


def test_references_by_citation_as_normalised(coins):
    make_reference(
        coins["lug"], raw_text="RIC IV-2 254 c", citation_text="RIC IV.2 254c", system="RIC", volume="IV",
        number="254", variant="c",
    )  # fmt: skip
    assert found("254c") == {"D-1"}
    assert found("RIC IV 254") == {"D-1"}


def test_provenance_names(coins):
    ProvenanceEvent.objects.create(coin=coins["rom"], kind="collection", name="Peh Family Collection")
    ProvenanceEvent.objects.create(coin=coins["tet"], raw_text="Ex Leu 15, lot 230", sale="Leu 15")
    assert found("Peh") == found("Peh", include_private=False) == {"D-2"}
    assert found("Leu") == {"T-3"}


def test_source_storage_and_notes_only_with_private_access(coins):
    assert found("Heritage") == {"D-1"}
    assert found("SlabBox1") == {"D-1"}
    assert found("Velv2") == {"D-2"}
    assert found("grandfather") == {"G-9"}
    for text in ("Heritage", "SlabBox1", "Velv2", "grandfather"):
        assert found(text, include_private=False) == set(), text


def test_a_search_may_mix_public_and_private_words(coins):
    # Signed in, each word may be in either part of the document.
    assert found("denarius SlabBox1") == {"D-1"}
    assert found("denarius SlabBox1", include_private=False) == set()


def test_the_owners_purchase_in_the_provenance_is_private(coins):
    coin = coins["rom"]
    coin.acquisition_url = "https://www.cngcoins.com/Coin.aspx?CoinID=60511"
    coin.save()
    ProvenanceEvent.objects.create(coin=coin, name="Nomos AG", url=coin.acquisition_url)
    lot = make_lot(coin=coins["tet"], coin_role=CoinRole.PROVENANCE)
    ProvenanceEvent.objects.create(coin=coins["tet"], name="Gorny & Mosch", auction_lot=lot)
    assert found("Nomos") == {"D-2"}
    assert found("Nomos", include_private=False) == set()
    # An earlier sale is public; once its lot is marked as where the owner bought it, it is not.
    assert found("Gorny", include_private=False) == {"T-3"}
    lot.coin_role = CoinRole.ACQUISITION
    lot.save()
    assert found("Gorny", include_private=False) == set()
    assert found("Gorny") == {"T-3"}


def test_anonymous_search_in_public_mode_does_not_find_private_words(client, settings, coins):
    settings.COINSTACK_PUBLIC_BROWSING = True
    link = f'href="/coins/{coins["lug"].pk}/'
    assert link in client.get("/coins/", {"q": "Lyon denarius"}).content.decode()
    for text in ("Heritage", "SlabBox1"):
        assert link not in client.get("/coins/", {"q": text}).content.decode(), text
    client.force_login(User.objects.create_user("owner"))
    assert link in client.get("/coins/", {"q": "SlabBox1"}).content.decode()


# --- the triggers keep the document in step ------------------------------------------------------


def test_aliases_added_changed_and_removed(coins, vocab):
    assert found("Lugudunum") == set()
    alias = MintAlias.objects.create(name="Lugudunum", target=vocab["lugdunum"])
    assert found("Lugudunum") == {"D-1", "A-7"}
    MintAlias.objects.filter(pk=alias.pk).update(name="Copia", match_key="copia")
    assert found("Lugudunum") == set()
    assert found("Copia") == {"D-1", "A-7"}
    MintAlias.objects.filter(pk=alias.pk).update(target=vocab["rome"])
    assert found("Copia") == {"D-2"}
    alias.delete()
    assert found("Copia") == set()


def test_terms_renamed(coins, vocab):
    vocab["tetradrachm"].name = "Tetradrachmon"
    vocab["tetradrachm"].save()
    assert found("tetradrachmon") == {"T-3"}
    vocab["augustus"].name = "Octavianus Augustus"
    vocab["augustus"].save()
    assert found("Octavianus") == {"D-1"}


def test_merged_terms(coins, vocab):
    # A duplicate mint made by an import, with its own coin and alias, merged into Lugdunum.
    duplicate = make_mint("Lugdunvm")
    MintAlias.objects.create(name="Lvgdvnvm", target=duplicate)
    coin = make_coin(inventory_number="M-1", mint=duplicate)
    assert found("Lyon") == {"D-1", "A-7"}
    merge_terms(vocab["lugdunum"], [duplicate])
    coin.refresh_from_db()
    assert coin.mint == vocab["lugdunum"]
    assert found("Lyon") == found("Lugdunum") == {"D-1", "A-7", "M-1"}
    # The merged term's name and aliases stay its coins' words, now for all of Lugdunum's.
    assert found("Lugdunvm") == found("Lvgdvnvm") == {"D-1", "A-7", "M-1"}


def test_issuers_merged(coins, vocab):
    other = Issuer.objects.create(name="Caesar Augustus")
    make_coin(inventory_number="I-1", issuer=other)
    merge_terms(vocab["augustus"], [other])
    assert found("Octavian") == {"D-1", "I-1"}


def test_references_and_provenance_changes(coins):
    reference = make_reference(coins["gold"], raw_text="Calicó 123", system="Calicó", number="123")
    assert found("Calico") == {"G-9"}
    Reference.objects.filter(pk=reference.pk).update(coin=coins["tet"])
    assert found("Calico") == {"T-3"}
    Reference.objects.filter(pk=reference.pk).delete()
    assert found("Calico") == set()

    event = ProvenanceEvent.objects.create(coin=coins["ant"], name="Hunt Collection")
    assert found("Hunt") == {"A-7"}
    ProvenanceEvent.objects.filter(pk=event.pk).update(name="Garrett Collection")
    assert found("Hunt") == set()
    assert found("Garrett") == {"A-7"}
    event.delete()
    assert found("Garrett") == set()


def test_bulk_writes_of_many_rows(coins):
    Reference.objects.bulk_create(
        Reference(coin=coin, raw_text=f"Sear {5000 + n}", system="Sear", number=str(5000 + n))
        for n, coin in enumerate(coins.values())
    )
    assert found("Sear") == {"D-1", "D-2", "A-7", "T-3", "G-9"}
    assert found("5003") == {"T-3"}
    Coin.objects.filter(metal="silver").update(storage_location="Tray 12")
    assert found("Tray 12") == {"D-1", "D-2", "T-3"}
    assert found("SlabBox1") == set()
    Coin.objects.filter(metal="silver").update(metal="bronze")
    assert found("AE") == {"D-1", "D-2", "T-3"}
    assert found("AR") == set()
    Reference.objects.filter(system="Sear").delete()
    assert found("Sear") == set()
