"""The lots citing a reference as typed in the lot list's filter (`?reference=RIC II 118`).

A lot matches when one of its citations has that system, volume and number whatever their case
("ric ii 118"), or when a citation's text as written holds what was typed ("RIC II.1 118" finds
"RIC II.1 118a"). The matching lots are read from the citations through their indexes (auctions
0010): the structured citation from (UPPER(system), UPPER(volume), UPPER(number)); the text's
candidates from SQLite's trigram FTS5 table or PostgreSQL's trigram index, each candidate then
tested with `icontains` itself, so the answer is what testing every citation would give. The list
then reads the lots by id: a citation a dozen lots make costs a few milliseconds at 200,000 lots,
where testing every lot's citations in the list's order took about a second.

A text most citations hold ("RIC") has too many candidates for the trigram index to pay on SQLite:
there the list tests each lot's citations in its own order, as before, which finds a page of such
lots at once. PostgreSQL's planner makes that choice itself.

May import auctions.models and Django.
"""

from functools import lru_cache

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from .models import LotReference

# SQLite's trigram index of the citations' text (auctions 0010).
TRIGRAM_TABLE = "auctions_lotref_raw"
# On SQLite, a text with this many candidate citations or more is read the way that suits common
# texts (filter_citing). Counting up to it reads at most this many index entries (a few ms).
BROAD_FROM = 5000


def split_reference(text: str) -> tuple[str, str, str] | None:
    """ "RIC I 207" -> ("RIC", "I", "207"); "Crawford 335/1c" -> ("Crawford", "", "335/1c").

    The first word is the system, the last the number, anything between the volume: the shape
    LotReference rows are stored in. None when there are fewer than two words.
    """
    words = text.replace("cf.", " ").split()
    if len(words) < 2:
        return None
    return words[0], " ".join(words[1:-1]), words[-1]


def _citations_holding(text: str) -> QuerySet:
    """Citations whose text as written holds `text` (case aside, as `icontains`). On SQLite the
    trigram table gives the candidates (a superset: its LIKE folds case and reads `%` and `_` in
    `text` as wildcards); `icontains` decides."""
    citations = LotReference.objects.filter(raw_text__icontains=text)
    if connection.vendor == "sqlite":
        # A constant table name; the visitor's text travels as the parameter.
        candidates = RawSQL(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE raw_text LIKE %s", [f"%{text}%"])  # noqa: S608, S611
        citations = citations.filter(pk__in=candidates)
    return citations


def _citing_structured(text: str) -> QuerySet | None:
    """Citations of `text`'s system, volume and number, case aside (as `iexact`); None when `text`
    is not shaped like a citation."""
    parts = split_reference(text)
    if parts is None:
        return None
    system, volume, number = parts
    return LotReference.objects.alias(
        system_key=Upper("system"), volume_key=Upper("volume"), number_key=Upper("number")
    ).filter(
        system_key=Upper(Value(system)),
        volume_key=Upper(Value(volume)),
        number_key=Upper(Value(number)),
    )


@lru_cache(maxsize=256)
def _broad_on_sqlite(text: str) -> bool:
    """Whether SQLite's trigram index finds at least BROAD_FROM candidate citations for `text`.

    Remembered per text (a list builds its filters more than once a page): it chooses only how the
    lots are read, never which, so an answer from before a write can cost time, not correctness."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        # A constant table name; the visitor's text and the bound travel as parameters.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {TRIGRAM_TABLE} WHERE raw_text LIKE %s LIMIT %s)",  # noqa: S608
            [f"%{text}%", BROAD_FROM],
        )
        return cursor.fetchone()[0] >= BROAD_FROM


def filter_citing(lots: QuerySet, text: str, *, broad: bool | None = None) -> QuerySet:
    """`lots` narrowed to those citing `text`. `broad` (by default SQLite's trigram index decides)
    chooses how: each lot's citations tested as the lots are read (True), or the citing lots read
    from the citations' indexes (False). Both give the same lots."""
    structured = _citing_structured(text)
    stripped = text.strip()
    if broad is None:
        broad = _broad_on_sqlite(stripped)
    if broad:
        # Each lot's citations tested as the list reads the lots.
        condition = Exists(LotReference.objects.filter(lot_id=OuterRef("pk"), raw_text__icontains=stripped))
        if structured is not None:
            condition |= Exists(structured.filter(lot_id=OuterRef("pk")))
        return lots.filter(condition)
    citing = _citations_holding(stripped).order_by().values("lot_id")
    if structured is not None:
        citing = structured.order_by().values("lot_id").union(citing)
    return lots.filter(pk__in=citing)
