"""Merging duplicate vocabulary terms (one function, used by the admin action and by tests)."""

from django.db import transaction

from .models import VocabTerm
from .normalize import match_key


@transaction.atomic
def merge_terms(keep: VocabTerm, others: list[VocabTerm]) -> dict[str, int]:
    """Point everything that uses `others` at `keep`, keep their names as aliases, delete them.

    Coins use vocabulary with PROTECT, so a term can only go once nothing points at it: this moves
    coins (and series slots for issuers) first. One transaction: a failure leaves every term as it was.
    """
    model = type(keep)
    alias_model = model.aliases.rel.related_model
    moved = {"coins": 0, "aliases": 0}
    for other in others:
        if type(other) is not model:
            raise TypeError(f"Cannot merge a {type(other).__name__} into a {model.__name__}.")
        if other.pk == keep.pk:
            continue
        moved["coins"] += other.coins.update(**{model._meta.model_name: keep})
        if hasattr(other, "series_slots"):
            other.series_slots.update(issuer=keep)
        # Coin types link the term by nomisma id; the kept term takes them over (SET_NULL would
        # silently unlink them).
        other.coin_types.update(**{model._meta.model_name: keep})
        moved["aliases"] += other.aliases.update(target=keep)
        old_name = other.name
        other.delete()
        # The merged name keeps resolving, so the next import of the same spreadsheet finds `keep`.
        key = match_key(old_name)
        if key != keep.match_key and not alias_model.objects.filter(match_key=key).exists():
            alias_model.objects.create(name=old_name, target=keep)
            moved["aliases"] += 1
    return moved
