"""A coin's catalogued types: its references linked to OCRE/CRRO types, types suggested from what
the coin's record says, and a curator accepting one (it becomes a Reference marked as attribution).

The resolving and the ranking are vocab.types' (and numismatics.types'); this module feeds them a
coin and writes the outcome back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from numismatics.types.context import TypeContext
from numismatics.types.suggest import Suggestion
from vocab.models import CoinType
from vocab.types import Linked, TypeLinker, context_for, suggest_types

from .models import Coin, Reference


def coin_context(coin: Coin) -> TypeContext:
    """What a coin's record says about its type, in the type table's terms."""
    return context_for(
        issuer=coin.issuer if coin.issuer_id else None,
        mint=coin.mint if coin.mint_id else None,
        denomination=coin.denomination if coin.denomination_id else None,
        metal=coin.metal,
        year_start=coin.year_start,
        year_end=coin.year_end,
        obverse_legend=coin.obverse_legend,
        reverse_legend=coin.reverse_legend,
    )


def link_references(
    coin: Coin, references: list[Reference] | None = None, linker: TypeLinker | None = None
) -> list[Linked]:
    """Resolve the coin's references (all, or those given) and save their type links. A curator's
    attribution keeps the type they accepted."""
    linker = linker or TypeLinker()
    context = coin_context(coin)
    references = list(coin.references.all()) if references is None else references
    outcomes = []
    for reference in references:
        if reference.is_attribution:
            continue
        before = (reference.type_id, reference.type_uri)
        outcome = linker.resolve_reference(reference, context)
        if (reference.type_id, reference.type_uri) != before:
            reference.save(update_fields=["type", "type_uri"])
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class TypeSuggestion:
    suggestion: Suggestion
    coin_type: CoinType | None  # None when load_types has not run: it cannot be accepted then


def suggestions_for(coin: Coin, limit: int = 5) -> list[TypeSuggestion]:
    """The types that agree best with the coin's record, best first (none when it says nothing)."""
    return [TypeSuggestion(s, row) for s, row in suggest_types(coin_context(coin), limit=limit)]


def citation_parts(coin_type: CoinType) -> dict:
    """Citation fields for a type, the way the parser stores them ("RIC" / "I" / "207")."""
    if coin_type.corpus == CoinType.Corpus.CRRO:
        number, _, letters = coin_type.number.rpartition("/")
        tail = letters.rstrip("abcdefghijklmnopqrstuvwxyz")
        return {
            "system": "Crawford",
            "volume": "",
            "number": f"{number}/{tail}",
            "variant": letters[len(tail) :],
        }
    main_volume = coin_type.volume.split(".")[0].rstrip("²³")
    digits = coin_type.number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()")
    return {
        "system": "RIC",
        "volume": main_volume,
        "number": digits,
        "variant": coin_type.number[len(digits) :],
    }


@transaction.atomic
def accept_type(coin: Coin, coin_type: CoinType) -> tuple[Reference, bool]:
    """Record the curator's attribution: a Reference to the type, marked as such, after the coin's
    other references. (reference, created); an existing link to the type is not duplicated."""
    existing = coin.references.filter(type=coin_type, is_cf=False).first()
    if existing is not None:
        return existing, False
    position = (coin.references.aggregate(last=Max("position"))["last"] or 0) + 1
    reference = Reference(
        coin=coin,
        position=position,
        raw_text=coin_type.citation,
        citation_text=coin_type.citation[:200],
        type=coin_type,
        type_uri=coin_type.uri,
        is_attribution=True,
        **citation_parts(coin_type),
    )
    reference.full_clean()
    reference.save()
    return reference, True
