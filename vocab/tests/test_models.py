"""Vocabulary terms resolve through aliases ignoring case and accents; merging moves everything."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.tests.factories import make_coin
from vocab.merge import merge_terms
from vocab.models import Issuer, IssuerAlias, Mint, MintAlias
from vocab.normalize import match_key

pytestmark = pytest.mark.django_db


def test_match_key_ignores_case_accents_and_odd_spaces():
    assert (
        match_key("Septimius Severus\xa0")
        == match_key("SEPTIMIUS  SEVERUS")
        == match_key("Séptimius Severus")
    )
    assert match_key("Æ3") == match_key("ae3")


def test_constantine_resolves_from_every_spelling():
    constantine = Issuer.objects.create(name="Constantine I", reign_start=306, reign_end=337)
    IssuerAlias.objects.create(target=constantine, name="Constantine the Great")
    for spelling in ["Constantine the Great", "Constantine I", "CONSTANTINE I", "constantine  the great "]:
        assert Issuer.objects.resolve(spelling) == constantine, spelling
    assert Issuer.objects.resolve("Constantius II") is None


def test_issuer_name_unique_ignoring_case():
    Issuer.objects.create(name="Augustus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Issuer.objects.create(name="AUGUSTUS")
    with pytest.raises(ValidationError):
        Issuer(name="augustus").full_clean()


def test_alias_names_one_term_only():
    cyzicus = Mint.objects.create(name="Cyzicus")
    other = Mint.objects.create(name="Nicomedia")
    MintAlias.objects.create(target=cyzicus, name="Cyzikos")
    with pytest.raises(IntegrityError), transaction.atomic():
        MintAlias.objects.create(target=other, name="CYZIKOS")


def test_nomisma_id_unique_when_set():
    Issuer.objects.create(name="Augustus", nomisma_id="augustus")
    Issuer.objects.create(name="Unknown ruler A")
    Issuer.objects.create(name="Unknown ruler B")  # blank ids do not clash
    with pytest.raises(IntegrityError), transaction.atomic():
        Issuer.objects.create(name="Octavian", nomisma_id="augustus")


def test_reign_rules():
    with pytest.raises(IntegrityError), transaction.atomic():
        Issuer.objects.create(name="Backwards", reign_start=14, reign_end=-27)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issuer.objects.create(name="Year zero", reign_start=0, reign_end=5)
    with pytest.raises(ValidationError):
        Issuer(name="Backwards", reign_start=14, reign_end=-27).full_clean()


def test_merge_moves_coins_and_aliases_and_keeps_the_old_name_resolving():
    keep = Mint.objects.create(name="Cyzicus")
    dupe = Mint.objects.create(name="Cyzikos")
    MintAlias.objects.create(target=dupe, name="Kyzikos")
    coins = [make_coin(mint=dupe) for _ in range(3)]
    moved = merge_terms(keep, [dupe])
    assert moved["coins"] == 3
    assert not Mint.objects.filter(pk=dupe.pk).exists()
    assert all(c.mint == keep for c in (type(c).objects.get(pk=c.pk) for c in coins))
    assert Mint.objects.resolve("Kyzikos") == keep
    assert Mint.objects.resolve("Cyzikos") == keep


def test_merge_is_all_or_nothing():
    keep = Issuer.objects.create(name="Augustus")
    dupe = Issuer.objects.create(name="Octavian")
    make_coin(issuer=dupe)
    dupe_pk = dupe.pk
    with pytest.raises(TypeError), transaction.atomic():
        merge_terms(keep, [dupe, Mint.objects.create(name="Rome")])
    assert Issuer.objects.filter(pk=dupe_pk).exists()
    assert Issuer.objects.get(pk=dupe_pk).coins.count() == 1
