"""What of the collection a visitor without private access may not see beyond its private fields:
the owner's purchases. The fields themselves (price, source, storage, notes) are coinstack.privacy's
rule; the lots where coins were bought are auctions.models.bought_by_owner.

A coin's provenance is public knowledge (earlier owners and sales), but an event may record the
owner's own purchase: it points at a purchase lot, or at the coin's acquisition URL.
"""

from django.db.models import F, Q, QuerySet

from auctions.models import bought_by_owner


def public_provenance(events: QuerySet) -> QuerySet:
    """ProvenanceEvents without those that record the owner's purchase of the coin."""
    purchase_lot = bought_by_owner("auction_lot__")
    acquisition_url = Q(url=F("coin__acquisition_url")) & ~Q(url="")
    return events.exclude(purchase_lot).exclude(acquisition_url)
