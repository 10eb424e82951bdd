"""Curators' admin for auction records: filter lots, link them to coins, scrape by URL."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from catalog.models import Coin

from .models import AuctionHouse, AuctionLot, CoinRole, LotImage, LotReference, Sale
from .scraping.scrape import ScrapeOutcome, scrape_url


def report_outcome(modeladmin, request, outcome: ScrapeOutcome) -> None:
    """One admin message per URL, worded like the scrape command's line."""
    level = (
        messages.SUCCESS
        if outcome.ok
        else (messages.WARNING if outcome.outcome == "blocked" else messages.ERROR)
    )
    modeladmin.message_user(request, outcome.line(), level)


class ScrapeForm(forms.Form):
    url = forms.URLField(label="Lot URL", max_length=1000, assume_scheme="https")
    coin = forms.ModelChoiceField(
        queryset=Coin.objects.all(),
        required=False,
        widget=forms.NumberInput,
        help_text="Coin id to link, optional.",
    )
    role = forms.ChoiceField(choices=[("", "—"), *CoinRole.choices], required=False)
    refresh = forms.BooleanField(required=False, help_text="Re-read a closed lot already stored.")


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
    actions = ["rescrape"]
    change_list_template = "admin/auctions/auctionlot/change_list.html"

    @admin.action(description="Scrape the selected lots again", permissions=["change"])
    def rescrape(self, request, queryset):
        for lot in queryset.select_related("coin")[:50]:  # each URL is a polite, spaced-out request
            report_outcome(
                self, request, scrape_url(lot.url, coin=lot.coin, role=lot.coin_role or None, refresh=True)
            )

    def get_urls(self):
        scrape_view = self.admin_site.admin_view(self.scrape_view)
        return [path("scrape/", scrape_view, name="auctions_auctionlot_scrape"), *super().get_urls()]

    def scrape_view(self, request):
        """Scrape one URL, optionally linking the lot to a coin (the command's --coin/--role)."""
        if not self.has_add_permission(request):
            return redirect("admin:auctions_auctionlot_changelist")
        form = ScrapeForm(request.POST or None, initial=request.GET)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            outcome = scrape_url(
                data["url"], coin=data["coin"], role=data["role"] or None, refresh=data["refresh"]
            )
            report_outcome(self, request, outcome)
            if outcome.lot_id:
                return redirect("admin:auctions_auctionlot_change", outcome.lot_id)
        context = {
            **self.admin_site.each_context(request),
            "title": "Scrape an auction lot",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/auctions/auctionlot/scrape.html", context)

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
