"""Issuer and mint pages: the term, its nomisma link, and its coins (the coin list, pre-filtered)."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalog.models import Coin
from catalog.views import build_listing, render_listing

from .models import Issuer, Mint


def _term_list(request: HttpRequest, model, title: str, detail_url: str) -> HttpResponse:
    # Terms without coins are listed too (an authority recorded but not yet collected), last.
    terms = model.objects.annotate(coin_count=Count("coins")).order_by("-coin_count", "name")
    return render(request, "vocab/term_list.html", {"terms": terms, "title": title, "detail_url": detail_url})


@require_safe
def issuer_list(request: HttpRequest) -> HttpResponse:
    return _term_list(request, Issuer, "Issuers", "vocab:issuer_detail")


@require_safe
def mint_list(request: HttpRequest) -> HttpResponse:
    return _term_list(request, Mint, "Mints", "vocab:mint_detail")


@require_safe
def issuer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issuer = get_object_or_404(Issuer, pk=pk)
    listing = build_listing(request, Coin.objects.filter(issuer_id=issuer.pk), hidden_facets=("issuer",))
    return render_listing(
        request, "vocab/term_detail.html", listing, {"term": issuer, "kind": "issuer"}, cached=True
    )


@require_safe
def mint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mint = get_object_or_404(Mint, pk=pk)
    listing = build_listing(request, Coin.objects.filter(mint_id=mint.pk), hidden_facets=("mint",))
    return render_listing(
        request, "vocab/term_detail.html", listing, {"term": mint, "kind": "mint"}, cached=True
    )
