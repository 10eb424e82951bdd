"""Curators' admin for the collection. Every list page runs a fixed number of queries (tested)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from auctions.admin import AuctionLotAdmin
from auctions.models import AuctionLot
from auctions.scraping.store import coin_label
from numismatics.grades import grade_band
from vocab.admin import CoinTypeAdmin
from vocab.models import CoinType

from .attribution import accept_type, link_references, suggestions_for
from .bulk_actions import add_to_series, mark_disposed, move_to_storage
from .choices import Origin
from .coin_from_lot import make_coin_from_lot
from .image_upload import MultipleImageField, apply_plan, read_plan
from .models import (
    Coin,
    CoinImage,
    ManualValue,
    ProvenanceEvent,
    Reference,
    Series,
    SeriesMembership,
    SeriesSlot,
    ValueSnapshot,
    ensure_primary_image,
)
from .series_types import create_series_from_types

OPEN = ["collapse", "start-open"]


class CoinAdminForm(forms.ModelForm):
    """The coin, plus several new images at once (catalog.image_upload)."""

    new_images = MultipleImageField(required=False, label="Images")

    class Meta:
        model = Coin
        fields = []  # the admin's fieldsets say which (ModelAdmin.get_form)

    def clean(self):
        data = super().clean()
        plan, problems = read_plan(self.data, data.get("new_images") or [], self.instance)
        self.image_plan = plan
        for problem in problems:
            self.add_error("new_images", problem)
        return data


def mark_curated(obj) -> None:
    """A reference or provenance event added or edited here is the curator's: a spreadsheet re-import
    never rewrites it (catalog.importing.curation)."""
    obj.origin = Origin.APP


def thumbnail_html(image: CoinImage | None, size: int = 48):
    if image is None or not image.thumbnail_url:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" class="admin-thumb">', image.thumbnail_url, size, size
    )


class CoinImageInline(admin.TabularInline):
    model = CoinImage
    extra = 0
    fields = ["preview", "image", "source_url", "kind", "is_primary", "position"]
    # The primary image is chosen with the one radio of "Add images" (catalog.image_upload).
    readonly_fields = ["preview", "is_primary"]

    def get_queryset(self, request):
        # Captions name the coin by its inventory number (CoinImage.__str__): read it with the rows.
        return super().get_queryset(request).select_related("coin")

    @admin.display(description="")
    def preview(self, obj):
        return thumbnail_html(obj, 64) if obj.pk else "—"


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = [
        "raw_text", "system", "volume", "number", "variant", "is_cf", "type_uri", "type", "is_attribution",
        "position", "origin",
    ]  # fmt: skip
    raw_id_fields = ["type"]
    readonly_fields = ["origin"]


class ProvenanceInline(admin.StackedInline):
    model = ProvenanceEvent
    extra = 0
    fields = [
        ("kind", "name", "order"),
        ("sale", "lot", "date", "date_text"),
        ("hammer", "buyers_premium_pct", "total", "currency"),
        "url",
        "auction_lot",
        "raw_text",
        "origin",
    ]
    readonly_fields = ["origin"]
    raw_id_fields = ["auction_lot"]


class AuctionLotInline(admin.TabularInline):
    model = AuctionLot
    fk_name = "coin"
    extra = 0
    fields = ["url", "coin_role", "status", "hammer_price", "currency", "closing_date"]
    readonly_fields = ["status", "hammer_price", "currency", "closing_date"]
    show_change_link = True
    verbose_name = "linked auction lot"


class ManualValueInline(admin.StackedInline):
    """A curator's value (appraisal, insurance schedule) that overrides the estimate from comparables."""

    model = ManualValue
    extra = 0
    max_num = 1
    fields = ["amount", "currency", "valued_on", "note"]


class MembershipInline(admin.TabularInline):
    model = SeriesMembership
    extra = 0
    autocomplete_fields = ["series"]
    fields = ["series", "slot", "needs_upgrade", "note"]


@admin.register(Coin)
class CoinAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "inventory_number",
        "issuer",
        "denomination",
        "dates",
        "metal",
        "grade",
        "storage_location",
    ]
    list_display_links = ["thumbnail", "inventory_number", "issuer"]
    list_filter = ["category", "metal", "grading_state", "grade_service", "disposal", "denomination", "mint"]
    search_fields = [
        "inventory_number",
        "issuer__name",
        "obverse_legend",
        "reverse_legend",
        "references__raw_text",
    ]
    autocomplete_fields = ["issuer", "mint", "denomination"]
    inlines = [
        CoinImageInline,
        ReferenceInline,
        ProvenanceInline,
        AuctionLotInline,
        MembershipInline,
        ManualValueInline,
    ]
    list_per_page = 50
    show_full_result_count = False  # an exact COUNT over a large filtered join is the slow part
    actions = ["scrape_acquisition_url", move_to_storage, add_to_series, mark_disposed]
    form = CoinAdminForm
    change_form_template = "admin/catalog/coin/change_form.html"
    # Each group collapses; the everyday ones start open (static/js/coin-admin.js opens them).
    fieldsets = [
        (
            "Attribution",
            {
                "classes": OPEN,
                "fields": [
                    ("inventory_number", "category"),
                    ("issuer", "portrait"),
                    ("mint", "denomination"),
                    ("year_start", "year_end", "is_circa", "date_text"),
                ],
            },
        ),
        ("Physical", {"classes": OPEN, "fields": [("metal", "weight_g", "diameter_mm", "die_axis")]}),
        (
            "Design",
            {
                "classes": OPEN,
                "fields": [
                    "obverse_legend",
                    "obverse_description",
                    "reverse_legend",
                    "reverse_description",
                    "exergue",
                ],
            },
        ),
        # (the references inline comes here: templates/admin/catalog/coin/change_form.html)
        (
            "Type",
            {
                "classes": ["collapse"],
                "fields": ["type_suggestions"],
                "description": "OCRE/CRRO types for what this record says (its citations aside). "
                "Accept one to record it as your attribution; the coin's other edits are saved too.",
            },
        ),
        (
            "Condition",
            {
                "classes": OPEN,
                "fields": [
                    ("grade", "grade_band", "grade_comment"),
                    ("grading_state", "grade_service", "certificate_number"),
                    ("ngc_strike", "ngc_surface", "fine_style"),
                ],
            },
        ),
        (
            "Acquisition",
            {
                "classes": OPEN,
                "fields": [
                    ("acquisition_date", "acquisition_price", "acquisition_currency"),
                    "acquisition_source",
                    "acquisition_url",
                ],
            },
        ),
        ("Custody", {"classes": OPEN, "fields": ["storage_location", "notes"]}),
        (
            "Disposal",
            {
                "classes": ["collapse"],
                "fields": [
                    ("disposal", "disposal_date"),
                    ("disposal_price", "disposal_currency"),
                    "disposed_to",
                ],
                "description": "Only for a coin that has left the collection (sold, traded, given away): "
                "it then leaves the lists and statistics but keeps its record.",
            },
        ),
        ("Add images", {"classes": OPEN, "fields": ["new_images"]}),
    ]
    # Derived, never typed: the grade band comes from the grade (numismatics.grades) on save.
    readonly_fields = ["type_suggestions", "grade_band"]

    class Media:
        css = {"all": ["css/coin-admin.css"]}
        js = ["js/coin-admin.js", "js/coin-image-upload.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The primary-image radio lists the coin's images (one query, on the change page only).
        form.base_fields["new_images"].widget.existing = (
            list(obj.images.order_by("position", "id")) if obj is not None else []
        )
        return form

    def save_model(self, request, obj, form, change):
        obj.grade_band = grade_band(obj.grade)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        images = CoinImage.objects.filter(coin=form.instance)
        before = images.filter(is_primary=True).values_list("pk", flat=True).first()
        super().save_related(request, form, formsets, change)
        added = apply_plan(form.instance, form.image_plan)
        if added:
            self.message_user(request, f"{added} image(s) added.", messages.SUCCESS)
        # A coin with images always has one primary (CoinImage.delete and ensure_primary_image): when
        # the primary was removed, or there was none, say which image took the place.
        ensure_primary_image(form.instance.pk)
        after = images.filter(is_primary=True).select_related("coin").first()
        removed = before is not None and not images.filter(pk=before).exists()
        if after is not None and after.pk != before and (removed or (before is None and not added)):
            self.message_user(
                request,
                f"{after} is now the primary image: a coin with images always has one.",
                messages.INFO,
            )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("issuer", "mint", "denomination")
            .prefetch_related(
                Prefetch(
                    "images", queryset=CoinImage.objects.filter(is_primary=True), to_attr="primary_images"
                )
            )
        )

    @admin.action(description="Scrape the acquisition URL of the selected coins", permissions=["change"])
    def scrape_acquisition_url(self, request, queryset):
        # Queued as a background job (its page follows it): no request waits for an auction site.
        from auctions.admin import queue_acquisition_scrapes

        return queue_acquisition_scrapes(self, request, queryset)

    @admin.display(description="")
    def thumbnail(self, obj: Coin):
        images = getattr(obj, "primary_images", None)
        return thumbnail_html(images[0] if images else None)

    # --- types: the references' links, suggestions, and accepting one ---------------------------------

    @admin.display(description="Suggested types")
    def type_suggestions(self, obj: Coin | None):
        if obj is None or not obj.pk:
            return "Save the coin first; its types are suggested from what it records."
        linked = [r for r in obj.references.select_related("type") if r.type_id]
        html = render_to_string(
            "admin/catalog/coin/type_suggestions.html",
            {"linked": linked, "suggestions": suggestions_for(obj)},
        )
        return mark_safe(html)  # noqa: S308 - a template's output, escaped by the template engine

    def response_change(self, request, obj):
        uri = request.POST.get("_accept_type")
        if uri is None:
            return super().response_change(request, obj)
        coin_type = CoinType.objects.filter(uri=uri[:200]).first()
        if coin_type is None:
            self.message_user(
                request, f"No type {uri} in the database: run manage.py load_types.", messages.ERROR
            )
        else:
            _, created = accept_type(obj, coin_type)
            if created:
                self.message_user(
                    request, f"Attributed to {coin_type.citation} ({coin_type.label}).", messages.SUCCESS
                )
            else:
                self.message_user(
                    request, f"{coin_type.citation} is already one of this coin's references.", messages.INFO
                )
        return HttpResponseRedirect(request.path)

    def save_formset(self, request, form, formset, change):
        """References and provenance added or edited here are the curator's (a re-import leaves them
        alone); references typed here are read like imported ones: the citation's fields from what was
        written, then its type from the table (a citation that names no type is reported)."""
        if formset.model in (Reference, ProvenanceEvent):
            for inline_form in formset.forms:
                if inline_form.has_changed() and inline_form.instance is not None:
                    mark_curated(inline_form.instance)
        super().save_formset(request, form, formset, change)
        if formset.model is not Reference:
            return
        changed = [r for r in formset.new_objects + [o for o, _ in formset.changed_objects] if r.pk]
        for reference in changed:
            if reference.raw_text and not reference.system:
                _fill_citation_fields(reference)
        for outcome in link_references(form.instance, changed):
            if outcome.problem:
                self.message_user(request, outcome.problem, messages.WARNING)

    @admin.display(description="date", ordering="year_start")
    def dates(self, obj: Coin) -> str:
        return obj.date_display


@admin.action(description="Make the selected image the primary image of its coin", permissions=["change"])
def make_primary(modeladmin, request, queryset):
    images = list(queryset)
    coins = {image.coin_id for image in images}
    if len(coins) != len(images):
        modeladmin.message_user(request, "Choose at most one image per coin.", messages.ERROR)
        return
    for image in images:
        image.make_primary()
    modeladmin.message_user(request, f"{len(images)} image(s) made primary.", messages.SUCCESS)


@admin.register(CoinImage)
class CoinImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "coin", "kind", "is_primary", "position"]
    list_filter = ["kind", "is_primary"]
    list_select_related = ["coin__issuer", "coin__denomination"]
    raw_id_fields = ["coin"]
    actions = [make_primary]
    search_fields = ["coin__inventory_number", "coin__issuer__name"]

    def delete_queryset(self, request, queryset):
        # The bulk delete bypasses CoinImage.delete(): each coin left without a primary gets one.
        coin_ids = set(queryset.values_list("coin_id", flat=True))
        super().delete_queryset(request, queryset)
        for coin_id in coin_ids:
            ensure_primary_image(coin_id)

    @admin.display(description="")
    def preview(self, obj):
        return thumbnail_html(obj)


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    list_display = ["coin", "amount", "currency", "valued_on", "updated_at"]
    list_filter = ["currency"]
    list_select_related = ["coin__issuer", "coin__denomination"]
    raw_id_fields = ["coin"]
    search_fields = ["coin__inventory_number", "coin__issuer__name", "note"]


@admin.register(ValueSnapshot)
class ValueSnapshotAdmin(admin.ModelAdmin):
    """History written by manage.py snapshot_values: read here, never edited."""

    list_display = ["coin", "taken_on", "method", "amount", "currency", "rule", "comparables"]
    list_filter = ["taken_on", "method", "currency"]
    list_select_related = ["coin__issuer", "coin__denomination"]
    search_fields = ["coin__inventory_number", "coin__issuer__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["raw_text", "system", "volume", "number", "variant", "is_cf", "coin"]
    list_filter = ["system", "is_cf", "origin"]
    list_select_related = ["coin__issuer", "coin__denomination"]
    search_fields = ["raw_text", "number"]
    raw_id_fields = ["coin"]
    readonly_fields = ["origin"]

    def save_model(self, request, obj, form, change):
        mark_curated(obj)
        super().save_model(request, obj, form, change)


@admin.register(ProvenanceEvent)
class ProvenanceEventAdmin(admin.ModelAdmin):
    list_display = ["coin", "kind", "name", "sale", "lot", "date", "hammer", "currency"]
    list_filter = ["kind", "origin"]
    list_select_related = ["coin__issuer", "coin__denomination"]
    search_fields = ["name", "sale", "raw_text"]
    raw_id_fields = ["coin", "auction_lot"]
    readonly_fields = ["origin"]

    def save_model(self, request, obj, form, change):
        mark_curated(obj)
        super().save_model(request, obj, form, change)


class SeriesSlotInline(admin.TabularInline):
    model = SeriesSlot
    extra = 0
    fields = ["number", "name", "issuer", "type", "wanted"]
    autocomplete_fields = ["issuer"]
    raw_id_fields = ["type"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "slot_count", "completion"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [SeriesSlotInline]

    def get_queryset(self, request):
        # Completion = filled slots (a coin in it, or a coin of its type) / all slots, in one query.
        return super().get_queryset(request).with_progress()

    @admin.display(description="slots", ordering="slot_count")
    def slot_count(self, obj) -> int:
        return obj.slot_count

    @admin.display(description="completion")
    def completion(self, obj) -> str:
        if not obj.slot_count:
            return "—"
        return f"{obj.filled_count}/{obj.slot_count} ({100 * obj.filled_count // obj.slot_count}%)"


@admin.register(SeriesMembership)
class SeriesMembershipAdmin(admin.ModelAdmin):
    list_display = ["series", "slot", "coin", "needs_upgrade"]
    list_filter = ["series", "needs_upgrade"]
    list_select_related = ["series", "slot", "coin__issuer", "coin__denomination"]
    raw_id_fields = ["coin"]


@admin.register(SeriesSlot)
class SeriesSlotAdmin(admin.ModelAdmin):
    list_display = ["series", "number", "name", "issuer", "wanted"]
    list_filter = ["series", "wanted"]
    list_select_related = ["series", "issuer"]
    search_fields = ["name", "series__name"]
    autocomplete_fields = ["issuer"]


def _fill_citation_fields(reference: Reference) -> None:
    """A reference typed as text only ("RIC II 756") gets its citation fields, as an import would."""
    from numismatics.references import parse_references

    citations = parse_references(reference.raw_text)
    if citations:
        values = Reference.values_from(citations[0], is_cf=reference.is_cf)
        values.pop("raw_text")
        for name, value in values.items():
            setattr(reference, name, value)
        reference.save(update_fields=list(values))


@admin.action(description="Create a series whose slots are the selected types…")
def make_series_from_types(modeladmin, request, queryset):
    """Every selected type becomes a slot (in catalogue order); coins fill slots through their type."""
    return create_series_from_types(modeladmin, request, queryset)


# The type list is vocab's; the series it makes are the collection's, so catalog adds the action.
CoinTypeAdmin.actions = [*CoinTypeAdmin.actions, make_series_from_types]


# --- "make a coin from this lot": the lot list's action (and its page's button, which posts it) --------

# A coin per lot is written in one request: a bounded selection.
MAX_LOTS_TO_COINS = 50


@admin.action(description="Make a coin from each selected lot (bought there)", permissions=["add"])
def make_coins_from_lots(modeladmin, request, queryset):
    """One coin per lot, each lot linked as where it was bought; one lot opens its coin."""
    if not request.user.has_perm("catalog.add_coin"):
        modeladmin.message_user(request, "You may not add coins.", messages.ERROR)
        return None
    lot_ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: MAX_LOTS_TO_COINS + 1])
    if len(lot_ids) > MAX_LOTS_TO_COINS:
        modeladmin.message_user(request, f"Choose at most {MAX_LOTS_TO_COINS} lots at once.", messages.ERROR)
        return None
    coins = [coin for coin in (_coin_from_lot(modeladmin, request, pk) for pk in lot_ids) if coin is not None]
    if len(lot_ids) == 1 and coins:
        return HttpResponseRedirect(reverse("admin:catalog_coin_change", args=[coins[0].pk]))
    if coins:
        ids = ",".join(str(coin.pk) for coin in coins)
        return HttpResponseRedirect(f"{reverse('admin:catalog_coin_changelist')}?id__in={ids}")
    return None


def _coin_from_lot(modeladmin, request, lot_id: int) -> Coin | None:
    """Make (or find) the lot's coin and say what happened; None when the lot's values break a rule
    of the coin (the message names it; nothing was written)."""
    try:
        outcome = make_coin_from_lot(lot_id)
    except ValidationError as error:
        problems = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
        modeladmin.message_user(request, f"Lot {lot_id}: no coin made: {problems}", messages.ERROR)
        return None
    label = coin_label(outcome.coin)
    if not outcome.created:
        modeladmin.message_user(
            request, f"Lot {lot_id} is already linked to {label}: nothing was made again.", messages.INFO
        )
        return outcome.coin
    modeladmin.message_user(
        request,
        f"Made {label} from lot {lot_id}; the lot is linked as where it was bought. Review it here.",
        messages.SUCCESS,
    )
    for note in outcome.notes:
        modeladmin.message_user(request, note, messages.WARNING)
    return outcome.coin


# The lot admin is auctions'; the coin it makes is the collection's, so catalog adds the action.
AuctionLotAdmin.actions = [*AuctionLotAdmin.actions, make_coins_from_lots]


# The import log and the remembered column mappings have their own module.
from . import import_admin  # noqa: E402, F401
