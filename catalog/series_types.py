"""Series from types: a curator selects OCRE/CRRO types in the admin (say, every Rome-mint denarius
of Trajan) and makes them the slots of a new series; coins fill those slots through their type.

The slots are filled by what the coins' references resolve to (see catalog.views.series_detail and
Series.objects.with_progress): accepting a type for a coin, importing a sheet that cites it or
correcting a citation fills or empties a slot without anyone editing the series.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from vocab.models import CoinType

from .models import Series, SeriesSlot

# SeriesSlot.number is a small integer; a series of more types than this is better split.
MAX_SLOTS = 2000


class SeriesFromTypesForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="You can rename it and its slots afterwards.")


def default_name(types: list[CoinType]) -> str:
    """ "Trajan, Rome, denarius: 287 types" from what the selected types share."""
    shared = []
    for attribute in ("authority_nomisma", "mint_nomisma", "denomination_nomisma"):
        values = {getattr(t, attribute) for t in types}
        if len(values) == 1 and next(iter(values)):
            shared.append(next(iter(values)).replace("_", " ").title())
    return f"{', '.join(shared) or 'Selected'} types"[:200]


def unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "series"
    slug, n = base, 2
    while Series.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def make_series(name: str, types: list[CoinType]) -> Series:
    """A series with one slot per type, in catalogue order."""
    series = Series.objects.create(name=name, slug=unique_slug(name))
    SeriesSlot.objects.bulk_create(
        SeriesSlot(series=series, number=n, name=f"{t.citation} · {t.label}"[:200], type=t)
        for n, t in enumerate(types, start=1)
    )
    return series


def create_series_from_types(modeladmin, request, queryset):
    """The admin action: confirm a name, then create the series and go to it."""
    if not request.user.has_perm("catalog.add_series"):
        modeladmin.message_user(request, "You may not create series.", messages.ERROR)
        return None
    types = list(queryset.in_catalogue_order()[: MAX_SLOTS + 1])
    if len(types) > MAX_SLOTS:
        modeladmin.message_user(
            request,
            f"{queryset.count()} types are selected; a series takes {MAX_SLOTS} at most.",
            messages.ERROR,
        )
        return None
    form = SeriesFromTypesForm(
        request.POST if "apply" in request.POST else None, initial={"name": default_name(types)}
    )
    if "apply" in request.POST and form.is_valid():
        series = make_series(form.cleaned_data["name"], types)
        modeladmin.message_user(
            request,
            f"Series “{series.name}” created with {len(types)} slots, one per type.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:catalog_series_change", args=[series.pk]))
    return render(
        request,
        "admin/vocab/cointype/series_from_types.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Create a series from types",
            "form": form,
            "types": types[:20],
            "count": len(types),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )
