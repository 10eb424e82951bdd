"""Resolve-or-create for vocabulary names, with near-spelling suggestions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocab.matching import VocabMatcher
from vocab.models import Denomination, Issuer, Mint, MintAlias


@pytest.mark.django_db
def test_resolves_names_and_aliases_ignoring_spacing_and_case():
    severus = Issuer.objects.create(name="Septimius Severus")
    cyzicus = Mint.objects.create(name="Cyzicus")
    MintAlias.objects.create(target=cyzicus, name="Cyzikos")
    issuers, mints = VocabMatcher(Issuer), VocabMatcher(Mint)
    assert issuers.match("Septimius Severus ").term == severus
    assert issuers.match("SEPTIMIUS\xa0SEVERUS").term == severus
    assert mints.match("Cyzikos").term == cyzicus
    assert not issuers.match("Septimius Severus").created
    assert Issuer.objects.count() == 1 and Mint.objects.count() == 1


@pytest.mark.django_db
def test_unknown_name_is_created_for_review_with_suggestions():
    Denomination.objects.create(name="Follis")
    matcher = VocabMatcher(Denomination)
    match = matcher.match("Fllis")
    assert match.created and match.term.needs_review and match.term.name == "Fllis"
    assert match.suggestions == ["Follis"]
    assert matcher.match("Galerius").suggestions == []  # nothing close: no guess
    # Created once per run; later rows get the same term, not "created" again.
    again = matcher.match("fllis")
    assert again.term == match.term and not again.created
    assert Denomination.objects.filter(name__iexact="fllis").count() == 1


@pytest.mark.django_db
def test_answers_are_cached_per_run():
    Issuer.objects.create(name="Gordian III")
    matcher = VocabMatcher(Issuer)
    matcher.match("Gordian III")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            matcher.match("Gordian III ")
    assert len(queries.captured_queries) == 0


@pytest.mark.django_db
def test_empty_names_match_nothing_and_create_nothing():
    matcher = VocabMatcher(Mint)
    assert (
        matcher.match("").term is None
        and matcher.match(None).term is None
        and matcher.match("  ").term is None
    )
    assert Mint.objects.count() == 0
