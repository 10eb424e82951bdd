"""The insurance and estate dossier: a PDF of the coins a filter selects, each with its photo,
identification, physical data, grade, provenance, acquisition, storage and value with its evidence.

`content` gathers the coins and their values (a fixed number of queries per 500 coins) and the
cover's totals; `pdf` lays them out with ReportLab (pure Python, no system libraries). The page
/coins/dossier/ (catalog.dossier_views) and `manage.py dossier` both call `build_dossier`.
"""

from django.db.models import QuerySet

from .content import gather
from .pdf import render

# A dossier asked for on the web must finish within a request (500 coins take a few seconds);
# larger selections go through `manage.py dossier`, which has no limit.
MAX_WEB_COINS = 2000


def build_dossier(coins: QuerySet, *, owner: str, filters: str = "") -> bytes:
    """The PDF of `coins` (in the queryset's order)."""
    return render(gather(coins, owner=owner, filters=filters))
