from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import AuctionLot


@require_GET
def lot_detail(request, pk: int):
    lot = get_object_or_404(AuctionLot.objects.with_related(), pk=pk)
    return render(request, "auctions/lot_detail.html", {"lot": lot})
