"""Loading a few types from the shipped table, for tests that need CoinType rows (a full load takes
seconds; most tests need a handful)."""

from numismatics.types.table import type_table
from vocab.models import CoinType
from vocab.typeload import load_types

OCRE = "http://numismatics.org/ocre/id/"
CRRO = "http://numismatics.org/crro/id/"


def load_some_types(*identifiers: str) -> dict[str, CoinType]:
    """Load the types with these identifiers ("ric.1(2).aug.207", "rrc-335.1c") and return them by
    identifier."""
    table = type_table()
    uris = [(CRRO if i.startswith("rrc-") else OCRE) + i for i in identifiers]
    records = [table.get(uri) for uri in uris]
    assert all(records), [u for u, r in zip(uris, records, strict=True) if r is None]
    load_types(records=records)
    rows = {t.uri: t for t in CoinType.objects.filter(uri__in=uris)}
    return {i: rows[u] for i, u in zip(identifiers, uris, strict=True)}
