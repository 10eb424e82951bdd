"""Which existing coin a row without an inventory number is, if any: never a guess.

Two rows of one file are never one coin. A row without a number is the coin of an earlier import
only when the match is unique and exact:

1. by the row itself: each coin created or matched from such a row keeps the row's key (a digest of
   what the row says, with its occurrence among identical rows of the file) in `import_state`; the
   same row in a later import finds exactly that coin, even if the coin was curated since;
2. else by content, for coins never imported this way (typed in the admin, or imported before keys
   were kept): every value the row sets equals the coin's, and exactly one row and one coin agree.

A row that carries its program's own id of the coin (an OpenNumismat coin's id, a sheet's "id"
column) is the coin imported with that id before, whatever else changed: that id is its identity.

Anything else is a new coin; when it resembles other rows or coins, a warning names them, so the
collector can tell the two apart (an inventory number does it for good).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from catalog.models import Coin, ProvenanceEvent, Reference
from vocab.matching import VocabMatcher

from .problems import WARNING, Problem
from .rows import RowData

VOCAB_FIELDS = ("issuer", "mint", "denomination")


@dataclass
class Identities:
    coins: dict[int, Coin] = field(default_factory=dict)  # row number -> its existing coin
    by_content: set[int] = field(default_factory=set)  # row numbers matched by content
    problems: dict[int, list[Problem]] = field(default_factory=dict)


def row_keys(rows: list[RowData]) -> dict[int, str]:
    """Row number -> "<content digest>:<occurrence>" for rows without an inventory number: identical
    rows are told apart by their order, so each keeps its own coin from one import to the next."""
    seen: Counter[str] = Counter()
    keys = {}
    for data in rows:
        seen[data.content_key] += 1
        keys[data.number] = f"{data.content_key}:{seen[data.content_key]}"
    return keys


def plan_identities(rows: list[RowData], matchers: dict[str, VocabMatcher]) -> Identities:
    found = Identities()
    rows = [d for d in rows if not d.inventory and not d.empty]
    if not rows:
        return found
    keys = row_keys(rows)
    coins = list(
        Coin.objects.filter(inventory_number="")
        .select_related(*VOCAB_FIELDS)
        .prefetch_related(
            Prefetch("references", queryset=Reference.objects.order_by("position", "id")),
            Prefetch("provenance", queryset=ProvenanceEvent.objects.order_by("order", "id")),
        )
    )
    by_key: dict[str, list[Coin]] = defaultdict(list)
    by_source: dict[str, list[Coin]] = defaultdict(list)
    for coin in coins:
        key = (coin.import_state or {}).get("row")
        if key:
            by_key[key].append(coin)
        source_id = (coin.import_state or {}).get("source_id")
        if source_id:
            by_source[source_id].append(coin)
    claimed: set[int] = set()
    unresolved: list[RowData] = []
    for data in rows:
        candidates = by_key.get(keys[data.number], [])
        if data.source_id:
            # The program's own id decides, alone: a changed row is the same coin, another id another.
            candidates = by_source.get(data.source_id, [])
            if len(candidates) == 1 and candidates[0].pk not in claimed:
                found.coins[data.number] = candidates[0]
                claimed.add(candidates[0].pk)
            continue
        if len(candidates) == 1:
            found.coins[data.number] = candidates[0]
            found.by_content.add(data.number)
            claimed.add(candidates[0].pk)
        elif candidates:  # two coins from one row: made outside the importer; neither is a sure match
            _warn(found, data, [], candidates)
        else:
            unresolved.append(data)
    never_keyed = [c for c in coins if not (c.import_state or {}).get("row") and c.pk not in claimed]
    _match_by_values(unresolved, never_keyed, matchers, found)
    return found


def _match_by_values(
    rows: list[RowData], coins: list[Coin], matchers: dict[str, VocabMatcher], found: Identities
) -> None:
    # Identical rows of the file are separate coins; each is told which rows it repeats.
    identical: dict[str, list[RowData]] = defaultdict(list)
    for data in rows:
        identical[data.content_key].append(data)
    same_rows: dict[tuple, list[RowData]] = defaultdict(list)
    for data in rows:
        signature = _row_signature(data, matchers)
        if signature[1] is not None:  # a name no term has: no coin can hold this row's values
            same_rows[signature].append(data)
    same_coins: dict[tuple, list[Coin]] = defaultdict(list)
    if same_rows:
        for layout in {signature[0] for signature in same_rows}:
            for coin in coins:
                same_coins[_coin_signature(coin, layout)].append(coin)
    matched_coins: dict[int, list[Coin]] = {}
    for signature, group in same_rows.items():
        matches = same_coins.get(signature, [])
        if len(group) == 1 and len(matches) == 1:
            found.coins[group[0].number] = matches[0]
            found.by_content.add(group[0].number)
        elif matches:
            for data in group:
                matched_coins[data.number] = matches
    for data in rows:
        if data.number in found.coins:
            continue
        twins = [d for d in identical[data.content_key] if d is not data]
        coins_alike = matched_coins.get(data.number, [])
        if twins or coins_alike:
            _warn(found, data, twins, coins_alike)


def _warn(found: Identities, data: RowData, rows: list[RowData], coins: list[Coin]) -> None:
    others = []
    if rows:
        others.append("row" + ("s " if len(rows) > 1 else " ") + _listed([str(d.number) for d in rows]))
    if coins:
        ids = _listed([str(c.pk) for c in coins])
        others.append(f"{'coins' if len(coins) > 1 else 'coin'} {ids} already in the collection")
    message = (
        f"has no inventory number and says the same as {' and '.join(others)}: it was imported as a coin "
        "of its own, nothing merged. Give each coin an inventory number to tell them apart for good."
    )
    found.problems.setdefault(data.number, []).append(Problem(data.number, "", "", message, WARNING))


def _listed(items: list[str], shown: int = 5) -> str:
    """ "3, 4, 5" or "3, 4, 5, 6, 7 and 12 more": a message stays short whatever the file."""
    text = ", ".join(items[:shown])
    return f"{text} and {len(items) - shown} more" if len(items) > shown else text


def _layout(data: RowData) -> tuple:
    """Which values the row sets (they differ by row: an empty category sets none)."""
    return (
        tuple(sorted(data.fields)),
        tuple(k for k in VOCAB_FIELDS if k in data.names),
        data.references is not None,
        data.provenance is not None,
    )


def _row_signature(data: RowData, matchers: dict[str, VocabMatcher]) -> tuple:
    """(layout, values); values is None when a name is no existing term (no coin can hold it then)."""
    layout = _layout(data)
    values: list = [data.fields[name] for name in layout[0]]
    for key in layout[1]:
        name = data.names[key]
        term = matchers[key].lookup(name) if name else None
        if name and term is None:
            return (layout, None)
        values.append(term.pk if term is not None else None)
    if layout[2]:
        values.append(tuple(Reference(**Reference.values_from(c)).citation for c in data.references))
    if layout[3]:
        values.append(tuple(item.raw for item in data.provenance))
    return (layout, tuple(values))


def _coin_signature(coin: Coin, layout: tuple) -> tuple:
    values: list = [getattr(coin, name) for name in layout[0]]
    values += [getattr(coin, f"{key}_id") for key in layout[1]]
    if layout[2]:
        values.append(tuple(r.citation for r in coin.references.all()))
    if layout[3]:
        values.append(tuple(e.raw_text for e in coin.provenance.all()))
    return (layout, tuple(values))
