"""A coin's value from its comparables, rule by rule, strongest first.

1. same type, similar grade: sold lots whose citations resolve to one of the coin's types (or cite
   the same catalogue number where no type is known), graded within SIMILAR_GRADE band points;
2. same type, any grade: the same lots in every grade, each price adjusted by the grade difference;
3. same issuer, denomination and metal: lots whose description names the coin's issuer and
   denomination and whose metal is the coin's, adjusted by grade too.

The first rule with MIN_COMPARABLES usable sales gives the estimate (estimate.py: recency-weighted
median and range); with fewer under every rule the coin has "not enough sales", never an invented
number. A curator's manual value overrides the estimate, which is still computed and shown beside it.

`value_coins` values any number of coins in four queries (manual values, the matching citations,
the lots of the same type, the lots of the same issuer, denomination and metal), so a coin page, a
snapshot of the collection and the dossier cost the same number of queries whatever the number of
comparables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from auctions.models import AuctionLot, LotReference
from numismatics.pricing import NormalisedPrice

from . import estimate as stats
from .models import ManualValue, ValueMethod
from .prices import normalised_price, owner_currency
from .rates import RateUnavailable, reference_rate

MIN_COMPARABLES = 3
# Half an adjectival grade either way: "VF" (70) and "Good VF" (73) are alike, "VF" and "Near EF" (77) not.
SIMILAR_GRADE = 5
# The most recent sales a rule uses: older ones weigh little and would only cost time.
MAX_PER_RULE = 30
# Candidate lots read per coin valued at most (most recent first).
MAX_CANDIDATES_PER_COIN = 300

RULE_TYPE_GRADE = "same type, similar grade"
RULE_TYPE_ANY = "same type, any grade (prices adjusted for grade)"
RULE_ISSUER = "same issuer, denomination and metal (prices adjusted for grade)"
RULES = (RULE_TYPE_GRADE, RULE_TYPE_ANY, RULE_ISSUER)


def lot_reference_match(references) -> Q | None:
    """LotReferences of the same type as any of `references`: resolving to one of their types, or
    citing the same (system, volume, number). cf. citations are near matches, so they do not count."""
    exact = [r for r in references if not r.is_cf]
    types = {r.type_id for r in exact if r.type_id}
    citations = {(r.system, r.volume, r.number) for r in exact if r.system and r.number}
    if not citations and not types:
        return None
    match = Q(type_id__in=types) if types else Q(pk__in=[])
    for system, volume, number in sorted(citations):
        match |= Q(system=system, volume=volume, number=number)
    return match & Q(is_cf=False)


def _keys(type_id, system, volume, number) -> set:
    keys = {("type", type_id)} if type_id else set()
    if system and number:
        keys.add(("citation", system, volume, number))
    return keys


@dataclass
class Comparable:
    lot: AuctionLot
    price: NormalisedPrice
    factor: Decimal  # the grade adjustment (1 when none)
    adjusted: Decimal  # price.amount * factor, in the owner's currency
    weight: float  # recency

    @property
    def grade_band(self) -> int | None:
        return self.lot.grade_band


@dataclass
class Valuation:
    coin_id: int
    currency: str  # the owner's: the estimate's and every comparable's normalised price
    manual: ManualValue | None = None
    rule: str = ""
    estimate: stats.Estimate | None = None
    comparables: list[Comparable] = field(default_factory=list)
    # What each rule found: (rule, usable sales); and lots of the chosen rule left out, with why.
    tried: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[tuple[AuctionLot, str]] = field(default_factory=list)

    @property
    def min_comparables(self) -> int:
        return MIN_COMPARABLES

    @property
    def method(self) -> str:
        if self.manual is not None:
            return ValueMethod.MANUAL
        return ValueMethod.ESTIMATE if self.estimate else ValueMethod.NOT_ENOUGH

    @property
    def first_sale(self) -> dt.date | None:
        return min((c.price.sale_date for c in self.comparables), default=None)

    @property
    def last_sale(self) -> dt.date | None:
        return max((c.price.sale_date for c in self.comparables), default=None)

    def in_owner_currency(self, on: dt.date) -> tuple[Decimal | None, Decimal | None, Decimal | None, str]:
        """(value, low, high, currency) for sums: a manual value converted at the ECB rate of `on`
        (kept in its own currency when the ECB does not quote it); the estimate as it is."""
        if self.manual is not None:
            try:
                rate = reference_rate(self.manual.currency, self.currency, on)
            except RateUnavailable:
                return self.manual.amount, None, None, self.manual.currency
            amount = (self.manual.amount * rate.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return amount, None, None, self.currency
        if self.estimate is not None:
            return self.estimate.median, self.estimate.low, self.estimate.high, self.currency
        return None, None, None, ""


def value_coin(coin, **kwargs) -> Valuation:
    return value_coins([coin], **kwargs)[coin.pk]


def value_coins(coins, *, today: dt.date | None = None, currency: str | None = None) -> dict[int, Valuation]:
    """Each coin's Valuation. The coins need issuer and denomination selected and their references
    prefetched (or cached by a prefetch of the page); at most four queries in all."""
    coins = list(coins)
    today = today or timezone.localdate()
    currency = currency or owner_currency()
    out = {coin.pk: Valuation(coin.pk, currency) for coin in coins}
    if not coins:
        return out
    for manual in ManualValue.objects.filter(coin_id__in=list(out)):
        out[manual.coin_id].manual = manual

    lots: dict[int, AuctionLot] = {}
    prices: dict = {}

    def priced(found) -> None:
        for lot in found:
            if lot.pk not in lots:
                lots[lot.pk] = lot
                prices[lot.pk] = normalised_price(lot, currency)

    same_type = _same_type_lots(coins)
    priced(lot for found in same_type.values() for lot in found)
    for coin in coins:
        for rule in (RULE_TYPE_GRADE, RULE_TYPE_ANY):
            if _apply(rule, coin, out[coin.pk], _candidates(rule, coin, same_type[coin.pk]), prices, today):
                break
    # The third rule's lots are read only for the coins the type's sales could not value: most coins
    # with a cited type never need them.
    unvalued = [coin for coin in coins if out[coin.pk].estimate is None and _triple(coin)]
    if unvalued:
        priced(_named_lots(unvalued))
        by_triple: dict = defaultdict(list)
        for lot in lots.values():
            by_triple[_triple_of(lot)].append(lot)
        for coin in unvalued:
            _apply(
                RULE_ISSUER,
                coin,
                out[coin.pk],
                _candidates(RULE_ISSUER, coin, by_triple[_triple(coin)]),
                prices,
                today,
            )
    return out


# What a valuation reads of a lot, its house and its sale (the evidence table and the dossier show
# house, sale, lot number and grade; a lot left out is named by str(lot), which needs title and url):
# not the long descriptions, which are most of a lot's bytes.
LOT_FIELDS = (
    "url", "house", "sale", "lot_number", "title", "hammer_price", "currency", "buyers_premium_pct",
    "closing_date", "issuer_text", "denomination_text", "metal", "grade", "grade_band", "coin",
    "house__name", "house__usual_premium_pct", "sale__name", "sale__number", "sale__date", "sale__house",
)  # fmt: skip
RECENT_FIRST = (F("closing_date").desc(nulls_last=True), "-id")


def _sold_lots():
    return (
        AuctionLot.objects.filter(hammer_price__isnull=False)
        .select_related("house", "sale")
        .only(*LOT_FIELDS)
    )


def _read(queryset) -> list[AuctionLot]:
    found = list(queryset)
    for lot in found:
        # str(lot) names the sale with its house: the lot's own house when it is the sale's, so
        # naming a lot left out reads nothing more.
        if lot.sale_id and lot.house_id and lot.sale.house_id == lot.house_id:
            lot.sale.house = lot.house
    return found


def _same_type_lots(coins) -> dict[int, list[AuctionLot]]:
    """coin id -> the most recent sold lots citing its types or catalogue numbers (cf. excluded)."""
    keys_of = {
        coin.pk: set().union(
            *(_keys(r.type_id, r.system, r.volume, r.number) for r in coin.references.all() if not r.is_cf)
        )
        for coin in coins
    }
    out: dict[int, list[AuctionLot]] = {coin.pk: [] for coin in coins}
    wanted_keys = set().union(*keys_of.values())
    types = {key[1] for key in wanted_keys if key[0] == "type"}
    citations = {key[1:] for key in wanted_keys if key[0] == "citation"}
    if not wanted_keys:
        return out
    near = _near_citations(types, citations)
    limit = MAX_CANDIDATES_PER_COIN * len(coins)
    found = _read(
        _sold_lots()
        .filter(pk__in=LotReference.objects.filter(near, is_cf=False).values("lot_id"))
        .order_by(*RECENT_FIRST)[:limit]
    )
    if len(coins) == 1 and len(citations) <= EXACT_CITATIONS_IN_SQL:
        # Matched exactly in SQL, and all for the one coin.
        out[coins[0].pk] = found
        return out
    # Which of the coins each lot belongs to, from its citations.
    lot_keys: dict[int, set] = defaultdict(set)
    for lot_id, type_id, system, volume, number in (
        LotReference.objects.filter(near, is_cf=False, lot__hammer_price__isnull=False)
        .order_by()
        .values_list("lot_id", "type_id", "system", "volume", "number")
    ):
        lot_keys[lot_id] |= _keys(type_id, system, volume, number) & wanted_keys
    # Each coin's lots through the keys they share, in `found`'s order (most recent first): testing
    # every lot against every coin cost 12 million tests for a dossier of 200 coins (11 s).
    position = {lot.pk: index for index, lot in enumerate(found)}
    lots_of_key: dict[tuple, list[AuctionLot]] = defaultdict(list)
    for lot in found:
        for key in lot_keys[lot.pk]:
            lots_of_key[key].append(lot)
    for coin in coins:
        chosen = {lot.pk: lot for key in keys_of[coin.pk] for lot in lots_of_key.get(key, ())}
        out[coin.pk] = [chosen[pk] for pk in sorted(chosen, key=position.__getitem__)]
    return out


def _named_lots(coins) -> list[AuctionLot]:
    """The most recent sold lots of the coins' issuers, denominations and metals (a superset: the
    exact triple is matched per coin)."""
    triples = {_triple(coin) for coin in coins}
    # Read through lot_sold_issuer_latest_idx (lower-cased issuer and denomination, metal, latest
    # first): for one coin, its first `limit` entries are the answer.
    named = (
        _sold_lots()
        .alias(issuer_key=Lower("issuer_text"), denomination_key=Lower("denomination_text"))
        .filter(
            issuer_key__in={t[0] for t in triples},
            denomination_key__in={t[1] for t in triples},
            metal__in={t[2] for t in triples},
        )
    )
    limit = MAX_CANDIDATES_PER_COIN * len(coins)
    return [lot for lot in _read(named.order_by(*RECENT_FIRST)[:limit]) if _triple_of(lot) in triples]


# Up to this many citations are matched exactly in SQL: an OR of (system, volume, number), each
# branch one lookup in lotref_citation_idx. More (a snapshot's or the dossier's batch of coins) would
# outgrow SQLite's expression depth, so they are narrowed by IN lists and matched exactly in Python.
EXACT_CITATIONS_IN_SQL = 64


def _near_citations(types: set[int], citations: set[tuple[str, str, str]]) -> Q:
    """LotReferences that may match: exactly those citing one of `citations` or resolving to one of
    `types` when the citations are few; a superset (system and number in IN lists, which the index
    can only read by system: every lot citing RIC) when they are many."""
    near = Q(type_id__in=types)
    if len(citations) <= EXACT_CITATIONS_IN_SQL:
        for system, volume, number in sorted(citations):
            near |= Q(system=system, volume=volume, number=number)
        return near
    return near | Q(system__in={s for s, _, _ in citations}, number__in={n for _, _, n in citations})


def _triple_of(lot) -> tuple[str, str, str]:
    return (lot.issuer_text.lower(), lot.denomination_text.lower(), lot.metal)


def _triple(coin) -> tuple[str, str, str] | None:
    if coin.issuer_id and coin.denomination_id and coin.metal:
        return (coin.issuer.name.lower(), coin.denomination.name.lower(), coin.metal)
    return None


def _candidates(rule: str, coin, lots: list[AuctionLot]) -> list[AuctionLot]:
    """The lots `rule` may use for `coin`: never the coin's own; similar grade for the first."""
    lots = [lot for lot in lots if lot.coin_id != coin.pk]
    if rule != RULE_TYPE_GRADE:
        return lots
    band = coin.grade_band
    return [
        lot for lot in lots
        if band is not None and lot.grade_band is not None and abs(lot.grade_band - band) <= SIMILAR_GRADE
    ]  # fmt: skip


def _apply(rule: str, coin, valuation: Valuation, candidates, prices, today) -> bool:
    """Try `rule` on its candidates; with MIN_COMPARABLES usable sales it gives the estimate (True)."""
    band = coin.grade_band
    usable, skipped = [], []
    for lot in candidates:
        price = prices[lot.pk]
        if isinstance(price, str):
            skipped.append((lot, price))
        else:
            usable.append((lot, price))
    usable.sort(key=lambda pair: pair[1].sale_date, reverse=True)
    usable = usable[:MAX_PER_RULE]
    valuation.tried.append((rule, len(usable)))
    if len(usable) < MIN_COMPARABLES:
        return False
    adjust = rule != RULE_TYPE_GRADE
    for lot, price in usable:
        factor = stats.grade_factor(band, lot.grade_band) if adjust else Decimal(1)
        adjusted = (price.amount * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        weight = stats.recency_weight(price.sale_date, today)
        valuation.comparables.append(Comparable(lot, price, factor, adjusted, weight))
    valuation.rule = rule
    valuation.skipped = skipped
    valuation.estimate = stats.estimate([(c.adjusted, c.weight) for c in valuation.comparables])
    return True
