"""Bulk work on the coins selected in the admin's coin list: move them to a storage location, add them
to a series, mark them disposed (sold, traded, given away).

Each action first shows a small form (the admin's intermediate page), then writes every selected coin
in one transaction with one UPDATE (or one INSERT for memberships), whatever the number of coins.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

from .choices import Disposal
from .models import Coin, Series, SeriesMembership, disposal_problems


class StorageForm(forms.Form):
    storage_location = forms.CharField(
        label="Storage location",
        max_length=Coin._meta.get_field("storage_location").max_length,
        help_text="A tray, box or slab case, e.g. SlabBox1 or Velv2-5-1.",
    )

    def clean_storage_location(self) -> str:
        value = " ".join(self.cleaned_data["storage_location"].split())
        if not value:
            raise ValidationError("Give the location the coins go to.")
        return value


class SeriesForm(forms.Form):
    series = forms.ModelChoiceField(queryset=Series.objects.order_by("name"), empty_label=None)


class DisposalForm(forms.Form):
    disposal = forms.ChoiceField(label="How", choices=Disposal.choices)
    disposal_date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    disposal_price = forms.DecimalField(label="Price", required=False, max_digits=12, decimal_places=2)
    disposal_currency = forms.CharField(label="Currency", required=False, max_length=3)
    disposed_to = forms.CharField(label="To whom", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["disposal_currency"] = data.get("disposal_currency", "").strip().upper()
        errors: dict[str, str] = {}
        disposal_problems(Coin(**data), errors)  # the model's own rules, in its words
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return data


def _form_page(modeladmin, request, queryset, *, form, title: str, action: str, button: str):
    return render(
        request,
        "admin/catalog/coin/bulk_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "count": queryset.count(),
            "coins": list(queryset.with_vocab()[:10]),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": action,
            "button": button,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _submitted(request, form_class):
    return form_class(request.POST) if "apply" in request.POST else form_class()


@admin.action(description="Move the selected coins to a storage location…", permissions=["change"])
def move_to_storage(modeladmin, request, queryset):
    form = _submitted(request, StorageForm)
    if form.is_bound and form.is_valid():
        location = form.cleaned_data["storage_location"]
        with transaction.atomic():
            moved = queryset.update(storage_location=location, updated_at=timezone.now())
        modeladmin.message_user(request, f"{moved} coin(s) moved to {location}.", messages.SUCCESS)
        return None
    return _form_page(
        modeladmin, request, queryset, form=form, title="Move coins", action="move_to_storage", button="Move"
    )


@admin.action(description="Add the selected coins to a series…", permissions=["change"])
def add_to_series(modeladmin, request, queryset):
    form = _submitted(request, SeriesForm)
    if form.is_bound and form.is_valid():
        series = form.cleaned_data["series"]
        with transaction.atomic():
            already = set(SeriesMembership.objects.filter(series=series).values_list("coin_id", flat=True))
            new = [
                SeriesMembership(series=series, coin_id=pk)
                for pk in queryset.values_list("pk", flat=True)
                if pk not in already
            ]
            SeriesMembership.objects.bulk_create(new)
        kept = queryset.count() - len(new)
        note = f" ({kept} already in it)" if kept else ""
        modeladmin.message_user(
            request, f"{len(new)} coin(s) added to the series {series}{note}.", messages.SUCCESS
        )
        return None
    if not Series.objects.exists():
        modeladmin.message_user(request, "There is no series yet: create one first.", messages.WARNING)
        return None
    return _form_page(
        modeladmin,
        request,
        queryset,
        form=form,
        title="Add coins to a series",
        action="add_to_series",
        button="Add",
    )


@admin.action(
    description="Mark the selected coins disposed (sold, traded, given away)…", permissions=["change"]
)
def mark_disposed(modeladmin, request, queryset):
    form = _submitted(request, DisposalForm)
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            marked = queryset.update(**form.cleaned_data, updated_at=timezone.now())
        how = dict(Disposal.choices)[form.cleaned_data["disposal"]].lower()
        modeladmin.message_user(
            request,
            f"{marked} coin(s) marked {how}. They leave the lists and statistics; "
            "the coin list's “Disposed coins” filter finds them.",
            messages.SUCCESS,
        )
        return None
    return _form_page(
        modeladmin,
        request,
        queryset,
        form=form,
        title="Mark coins disposed",
        action="mark_disposed",
        button="Mark disposed",
    )
