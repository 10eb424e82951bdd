"""Curators' admin for the vocabularies, with a "merge into..." action for duplicates."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import render

from .merge import merge_terms
from .models import CoinType, Denomination, DenominationAlias, Issuer, IssuerAlias, Mint, MintAlias


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None, label="Keep this term", help_text="The others are merged into it."
    )

    def __init__(self, *args, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = terms


@admin.action(description="Merge selected terms into one…", permissions=["change"])
def merge_into(modeladmin, request, queryset):
    """Move every coin, lot link and alias of the selected terms to the one kept, then delete the rest."""
    if queryset.count() < 2:
        modeladmin.message_user(request, "Select at least two terms to merge.", messages.WARNING)
        return None
    form = MergeForm(request.POST if "apply" in request.POST else None, terms=queryset)
    if "apply" in request.POST and form.is_valid():
        keep = form.cleaned_data["keep"]
        with transaction.atomic():
            moved = merge_terms(keep, [t for t in queryset if t.pk != keep.pk])
        modeladmin.message_user(
            request,
            f"Merged {queryset.count() - 1} term(s) into “{keep}”: {moved['coins']} coin(s) and "
            f"{moved['aliases']} alias(es) moved.",
            messages.SUCCESS,
        )
        return None
    return render(
        request,
        "admin/vocab/merge.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"Merge {modeladmin.model._meta.verbose_name_plural}",
            "form": form,
            "terms": queryset,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


class AliasInline(admin.TabularInline):
    extra = 1
    fields = ["name"]


class IssuerAliasInline(AliasInline):
    model = IssuerAlias


class MintAliasInline(AliasInline):
    model = MintAlias


class DenominationAliasInline(AliasInline):
    model = DenominationAlias


class VocabAdmin(admin.ModelAdmin):
    search_fields = ["name", "aliases__name", "nomisma_id"]
    # Explicit: Meta.ordering does not apply to the annotated (GROUP BY) queryset below, so the
    # autocomplete of a coin's issuer, mint or denomination would page through terms in no order.
    ordering = ["name"]
    list_filter = ["needs_review"]
    actions = [merge_into]
    list_per_page = 100

    def get_queryset(self, request):
        # The coin count column comes from one annotated query, not one query per row.
        return super().get_queryset(request).annotate(coin_count=Count("coins", distinct=True))

    @admin.display(description="coins", ordering="coin_count")
    def coins(self, obj) -> int:
        return obj.coin_count


@admin.register(Issuer)
class IssuerAdmin(VocabAdmin):
    list_display = [
        "name",
        "kind",
        "reign_start",
        "reign_end",
        "dynasty",
        "nomisma_id",
        "needs_review",
        "coins",
    ]
    list_filter = ["kind", "dynasty", "needs_review"]
    inlines = [IssuerAliasInline]


@admin.register(Mint)
class MintAdmin(VocabAdmin):
    list_display = ["name", "nomisma_id", "latitude", "longitude", "needs_review", "coins"]
    inlines = [MintAliasInline]


@admin.register(Denomination)
class DenominationAdmin(VocabAdmin):
    list_display = ["name", "nomisma_id", "needs_review", "coins"]
    inlines = [DenominationAliasInline]


class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "target"]
    list_select_related = ["target"]
    search_fields = ["name", "target__name"]
    autocomplete_fields = ["target"]


for alias_model in (IssuerAlias, MintAlias, DenominationAlias):
    admin.site.register(alias_model, AliasAdmin)


@admin.register(CoinType)
class CoinTypeAdmin(admin.ModelAdmin):
    """The OCRE and CRRO types, read-only: they come from the shipped tables (manage.py load_types).
    Filter them (e.g. Trajan, Rome, denarius) and turn the selection into a series (catalog adds the
    action)."""

    list_display = [
        "citation",
        "label",
        "denomination_nomisma",
        "material",
        "mint_nomisma",
        "authority_nomisma",
    ]
    list_filter = [
        "corpus", "volume", "authority_nomisma", "mint_nomisma", "denomination_nomisma", "material",
        "is_subtype",
    ]  # fmt: skip
    search_fields = ["label", "uri", "obverse_legend", "reverse_legend", "authority_nomisma"]
    search_help_text = "Label, URI, legends or authority (e.g. trajan)."
    list_per_page = 100
    show_full_result_count = False  # 52,904 types: no exact count of a filtered search on every page
    readonly_fields = [field.name for field in CoinType._meta.fields]
    fields = [
        ("uri", "corpus"),
        "label",
        ("catalogue", "volume", "section", "number", "is_subtype"),
        ("denomination_nomisma", "denomination"),
        "material",
        ("authority_nomisma", "issuer"),
        ("mint_nomisma", "mint", "region_nomisma"),
        "obverse_legend",
        "reverse_legend",
        ("year_start", "year_end"),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # references and series slots point here; the table is the source

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="type", ordering="sort_number")
    def citation(self, obj: CoinType) -> str:
        return obj.citation
