"""/coins/dossier/?<the coin list's filters>: the dossier PDF of the coins the list would show, for
the owner only (signed in; public browsing never reaches it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from catalog.dossier import MAX_WEB_COINS, build_dossier
from catalog.listing import build_listing


@login_required
@require_safe
def dossier(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request)
    count = listing.queryset.count()
    problem = ""
    if count == 0:
        problem = "No coin matches these filters: there is nothing to put in a dossier."
    elif count > MAX_WEB_COINS:
        problem = (
            f"These filters select {count:,} coins; a dossier made here holds at most {MAX_WEB_COINS:,}. "
            "Narrow the filters, or make it with: python manage.py dossier [filters] --output FILE.pdf"
        )
    if problem:
        context = {"problem": problem, "query": listing.query}
        return render(request, "catalog/dossier_problem.html", context, status=400)
    owner = request.user.get_full_name() or request.user.get_username()
    pdf = build_dossier(listing.queryset, owner=owner, filters=listing.query)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"coinstack-dossier-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
