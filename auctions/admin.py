"""Curators' admin for auction records: filter lots, link them to coins."""

from django.contrib import admin

from .models import AuctionHouse, AuctionLot, LotImage, LotReference, Sale


class LotImageInline(admin.TabularInline):
    model = LotImage
    extra = 0
    fields = ["url", "image", "sha256", "position"]
    readonly_fields = ["sha256"]


class LotReferenceInline(admin.TabularInline):
    model = LotReference
    extra = 0
    fields = ["raw_text", "system", "volume", "number", "variant", "is_cf", "position"]


@admin.register(AuctionHouse)
class AuctionHouseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "house", "number", "date"]
    list_filter = ["house"]
    list_select_related = ["house"]
    search_fields = ["name", "number", "house__name"]
    date_hierarchy = "date"


@admin.register(AuctionLot)
class AuctionLotAdmin(admin.ModelAdmin):
    list_display = [
        "lot_number",
        "title_short",
        "house",
        "sale",
        "status",
        "hammer_price",
        "currency",
        "closing_date",
        "coin",
    ]
    list_filter = ["status", "house", "platform", "coin_role", ("coin", admin.EmptyFieldListFilter)]
    list_select_related = ["house", "sale__house", "coin__issuer", "coin__denomination"]
    search_fields = ["url", "title", "lot_number", "references_text"]
    # Linking a lot to a coin: pick the coin by inventory number, issuer or legend.
    autocomplete_fields = ["coin", "house", "sale"]
    inlines = [LotImageInline, LotReferenceInline]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["scraped_at", "created_at", "updated_at"]

    @admin.display(description="title")
    def title_short(self, obj) -> str:
        return obj.title[:80]


@admin.register(LotImage)
class LotImageAdmin(admin.ModelAdmin):
    list_display = ["url", "lot", "position", "sha256"]
    list_select_related = ["lot__house", "lot__sale__house"]
    raw_id_fields = ["lot"]


@admin.register(LotReference)
class LotReferenceAdmin(admin.ModelAdmin):
    list_display = ["raw_text", "system", "volume", "number", "variant", "is_cf", "lot"]
    list_filter = ["system", "is_cf"]
    list_select_related = ["lot__house", "lot__sale__house"]
    search_fields = ["raw_text", "number"]
    raw_id_fields = ["lot"]
