from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Coin, Series


@require_GET
def home(request):
    return render(request, "catalog/home.html", {"coin_count": Coin.objects.count()})


@require_GET
def coin_detail(request, pk: int):
    coin = get_object_or_404(Coin.objects.with_vocab(), pk=pk)
    return render(request, "catalog/coin_detail.html", {"coin": coin})


@require_GET
def series_detail(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    return render(request, "catalog/series_detail.html", {"series": series})
