"""A coin's provenance in a spreadsheet cell, one event per line, and back, without losing an event.

Most events are written as the collector wrote them ("Ex Heritage 3011, lot 173"), because reading
that line again gives the same event. When it would not (the parser splits "Ex Dr. A. Fairfax
Collection." in two; the event has a date, prices or a lot link its words do not state; it was typed
field by field in the admin), the line carries the event's fields after its words, as a JSON object:

    Ex Dr. A. Fairfax Collection. {"kind": "collection", "name": "Dr. A. Fairfax Collection"}
    Ex Leu Web Auction 12, lot 456. {"kind": "auction", "name": "Leu", "date": "2019-03-02", ...}

The importer (catalog.importing.rows) reads such a line as exactly that one event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from catalog.choices import ProvenanceKind
from catalog.models import ProvenanceEvent
from numismatics.provenance import parse_provenance

PARSED = ("kind", "name", "sale", "lot", "date", "date_text")
EXTRAS = ("hammer", "buyers_premium_pct", "total", "currency", "url")
TAIL_KEYS = frozenset((*PARSED, *EXTRAS, "lot_url", "raw_text"))
MAX_TAIL_TRIES = 5


def event_lines(events: Iterable[ProvenanceEvent]) -> list[str]:
    """The lines of a provenance cell, oldest first."""
    events = list(events)
    lines: list[str] = []
    index = 0
    while index < len(events):
        event = events[index]
        end = index + 1
        # One sentence can hold two events ("Ex X, purchased from Y"): they share their words.
        while event.raw_text and end < len(events) and events[end].raw_text == event.raw_text:
            end += 1
        group = events[index:end]
        if _reads_back(group):
            lines.append(event.raw_text)
        else:
            lines.extend(_with_fields(e) for e in group)
        index = end
    return lines


def _reads_back(group: list[ProvenanceEvent]) -> bool:
    """Reading the words again gives exactly these events, and they hold nothing more."""
    first = group[0]
    if not first.raw_text or "\n" in first.raw_text:
        return False
    if any(getattr(e, name) not in (None, "") for e in group for name in EXTRAS) or any(
        e.auction_lot_id for e in group
    ):
        return False
    parsed = parse_provenance(first.raw_text)
    again = [
        (p.kind, p.name[:300], p.sale[:200], p.lot[:50], p.date, p.date_text[:100], p.raw) for p in parsed
    ]
    return again == [(*(getattr(e, name) for name in PARSED), e.raw_text) for e in group]


def _with_fields(event: ProvenanceEvent) -> str:
    words = " ".join((event.raw_text or str(event) or event.get_kind_display()).split())
    fields: dict[str, object] = {"kind": event.kind}
    for name in (*PARSED[1:], *EXTRAS):
        value = getattr(event, name)
        if value not in (None, ""):
            fields[name] = value.isoformat() if isinstance(value, date) else str(value)
    if event.auction_lot_id:
        fields["lot_url"] = event.auction_lot.url
    if event.raw_text != words:
        fields["raw_text"] = event.raw_text
    return f"{words} {json.dumps(fields, ensure_ascii=False)}"


@dataclass
class LineEvent:
    """One event read from a line with its fields (the shape of numismatics' ProvenanceItem, plus the
    fields a pedigree's words never hold)."""

    kind: str
    name: str
    sale: str
    lot: str
    date: date | None
    date_text: str
    raw: str
    extras: dict = field(default_factory=dict)  # hammer, buyers_premium_pct, total, currency, url
    lot_url: str = ""


def split_fields(line: str) -> tuple[str, dict] | None:
    """(words, fields) when the line ends with a fields object, else None."""
    line = line.rstrip()
    if not line.endswith("}"):
        return None
    start = len(line)
    for _ in range(MAX_TAIL_TRIES):
        start = line.rfind("{", 0, start)
        if start < 0:
            return None
        try:
            fields = json.loads(line[start:])
        except ValueError:
            continue
        if isinstance(fields, dict) and fields and set(fields) <= TAIL_KEYS and "kind" in fields:
            return line[:start].rstrip(), fields
        return None
    return None


def read_line(words: str, fields: dict) -> tuple[LineEvent, list[str]]:
    """The event a line with fields stands for, and what in its fields could not be used (left empty)."""
    problems: list[str] = []

    def text(name: str, limit: int) -> str:
        value = fields.get(name, "")
        return value[:limit] if isinstance(value, str) else ""

    kind = text("kind", 20)
    if kind not in ProvenanceKind.values:
        problems.append(f'kind "{kind}" is not one we know; read as "unknown"')
        kind = ProvenanceKind.UNKNOWN
    when = None
    if fields.get("date"):
        try:
            when = date.fromisoformat(str(fields["date"]))
        except ValueError:
            problems.append(f'date "{fields["date"]}" is not written like 2011-04-14')
    extras: dict[str, object] = {}
    for name in ("hammer", "buyers_premium_pct", "total"):
        if fields.get(name) not in (None, ""):
            try:
                amount = Decimal(str(fields[name]))
            except InvalidOperation:
                problems.append(f'{name} "{fields[name]}" is not a number')
                continue
            if amount < 0 or (name == "buyers_premium_pct" and amount > 100) or amount >= Decimal("1e10"):
                problems.append(f"{name} {amount} is out of range")
                continue
            extras[name] = amount
    currency = text("currency", 3).upper()
    if currency:
        if len(currency) == 3 and currency.isalpha() and currency.isascii():
            extras["currency"] = currency
        else:
            problems.append(f'currency "{fields["currency"]}" is not a three-letter code')
    for name in ("url", "lot_url"):
        value = text(name, 1000)
        if value and not value.startswith(("http://", "https://")):
            problems.append(f'{name} "{value[:60]}" is not a web address')
            fields = {**fields, name: ""}
    if text("url", 1000):
        extras["url"] = text("url", 1000)
    raw = fields["raw_text"] if isinstance(fields.get("raw_text"), str) else words
    event = LineEvent(
        kind=kind,
        name=text("name", 300),
        sale=text("sale", 200),
        lot=text("lot", 50),
        date=when,
        date_text=text("date_text", 100),
        raw=raw,
        extras=extras,
        lot_url=text("lot_url", 1000),
    )
    return event, problems
