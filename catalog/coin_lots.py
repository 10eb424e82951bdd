"""The coin page's lots and value section (templates/catalog/includes/coin_lots.html): the value panel,
the coin's own lots and the comparable lots, the part of the page that reads the auction records.

It is rendered apart from the page and cached per coin and data version (`lots_and_value`). A visit that
finds it cached gets it in the page; the first visit after a write (nothing cached) gets the page
without it and a placeholder (templates/catalog/includes/coin_lots_later.html) that htmx fills at
once from the coin's lots endpoint (catalog.views.coin_lots), which renders and caches it. So the
coin's own record costs what the record costs: valuing a coin reads up to a few hundred sold lots
of its type, and that was most of the page's time. Without JavaScript the placeholder's link asks
for the page with the section (`INLINE_LOTS_PARAM`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from auctions.models import AuctionLot, CoinRole, LotReference
from catalog.models import Coin, Reference
from catalog.valuation.comparables import lot_reference_match
from coinstack.dataversion import cached_on_version, is_cached_on_version

# `?lots=1`: the coin page with its lots and value, even when they are not cached (the link a
# browser without JavaScript follows from the placeholder).
INLINE_LOTS_PARAM = "lots"

# What the section reads of the coin itself (the value's rules: its grade, and its issuer,
# denomination and metal): the lots endpoint reads no more of the coin's sixty columns. Reading
# another field would cost a query of its own, which the endpoint's pinned query count shows.
SECTION_COIN_FIELDS = ("grade_band", "metal", "issuer__name", "denomination__name")


def section_key(coin_pk: int, private: bool) -> str:
    """What the section is cached under, with the data-version token. The value also depends on the
    day (recency weights), the owner's currency and the default premium: they are part of the key."""
    return repr(
        (
            "coin-lots",
            coin_pk,
            private,
            timezone.localdate().isoformat(),
            settings.COINSTACK_OWNER_CURRENCY,
            str(settings.COINSTACK_DEFAULT_PREMIUM_PCT),
        )
    )


def lots_and_value(
    request: HttpRequest, coin: Coin, references: list[Reference], *, private: bool, token
) -> str:
    """The section's markup, rendered once per coin and data version: it reads the auction records,
    the coin's references and its manual value, all of which change the collection's or the
    market's version (`token`, read before the page's first query). `coin` comes with its issuer and
    denomination selected (the value's third rule names them); `references` are the coin's."""

    def render_section() -> str:
        linked_lots = list(
            lot_rows(private).filter(coin_id=coin.pk).order_by(F("closing_date").desc(nulls_last=True), "-id")
        )
        # A lot linked as "comparable" is another coin's sale: it belongs with the comparable lots,
        # not with the lots of this coin (its purchase, its earlier sales).
        compared = [lot for lot in linked_lots if lot.coin_role == CoinRole.COMPARABLE]
        context = {
            "coin": coin,
            "linked_lots": [lot for lot in linked_lots if lot.coin_role != CoinRole.COMPARABLE],
            "comparable_lots": compared + comparable_lots(coin, references, private=private),
        }
        return render_to_string("catalog/includes/coin_lots.html", context, request)

    return cached_on_version(token, section_key(coin.pk, private), render_section)


@dataclass
class LotsLater:
    """The placeholder of a section left to the lots endpoint: `url` asks the endpoint (htmx),
    `inline_url` the same page with the section (no JavaScript)."""

    url: str
    inline_url: str


def lots_later(request: HttpRequest, coin_pk: int, *, private: bool, token) -> LotsLater | None:
    """The placeholder when the page leaves its section to the endpoint: when the section is not
    cached and the request does not ask for it inline; None when the page shows it."""
    if request.GET.get(INLINE_LOTS_PARAM) or is_cached_on_version(token, section_key(coin_pk, private)):
        return None
    params = request.GET.copy()
    params[INLINE_LOTS_PARAM] = "1"
    return LotsLater(
        url=reverse("catalog:coin_lots", args=[coin_pk]),
        inline_url=f"{request.path}?{params.urlencode()}#coin-lots",
    )


def lot_rows(private: bool):
    """Lots as a lot table shows them (AuctionLotQuerySet.as_rows), those a visitor may see."""
    return AuctionLot.objects.visible(private).as_rows()


def comparable_lots(
    coin: Coin, references: list[Reference], limit: int = 24, *, private: bool = True
) -> list[AuctionLot]:
    """Other lots of the coin's type: lots whose citations resolve to one of the types the coin's
    references resolve to, and lots citing the same (system, volume, number) where no type is known;
    without private access only public lots (never another coin's purchase).

    `cf.` references are near matches, not the type itself, so they do not count.
    """
    match = lot_reference_match(references)
    if match is None:
        return []
    lot_ids = LotReference.objects.filter(match).values("lot_id")
    return list(
        lot_rows(private)
        .filter(pk__in=lot_ids)
        .exclude(coin_id=coin.pk)
        .order_by(F("closing_date").desc(nulls_last=True), "-id")[:limit]
    )
