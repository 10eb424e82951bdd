"""Curators' admin for auction records: filter lots, link them to coins, scrape by URL.

Every scrape asked for here (one URL, the selected lots again, a coin's acquisition URL) is queued
as a background job (auctions/jobs.py) and the browser goes to the job's page, which follows it with
htmx until it is done: no request waits for an auction site.
"""

import hashlib
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from catalog.models import Coin

from .jobs import MAX_URLS_PER_JOB, outcome_lines, queue_scrape
from .models import (
    AuctionHouse,
    AuctionLot,
    CoinRole,
    LotImage,
    LotReference,
    Sale,
    ScrapeJob,
    ScrapeJobKind,
)
from .scraping.houses import UnknownHouse, recognise
from .scraping.store import coin_label
from .scraping.types import ParseError

# A queued job nobody has started after this long means no worker is running: the page says so.
WORKER_HINT_AFTER_SECONDS = 15


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
    relink = forms.BooleanField(
        label="Move the lot to this coin",
        required=False,
        help_text="Only needed when the lot is already linked to another coin: it is then moved to this one.",
    )

    def clean(self):
        data = super().clean()
        url, coin = data.get("url"), data.get("coin")
        if not url:
            return data
        try:
            canonical = recognise(url).canonical_url(url)
        except (UnknownHouse, ParseError) as exc:
            raise forms.ValidationError({"url": str(exc)}) from exc
        if coin is not None and not data.get("relink"):
            lot = AuctionLot.objects.filter(url=canonical).select_related("coin").first()
            if lot is not None and lot.coin_id and lot.coin_id != coin.pk:
                raise forms.ValidationError(
                    {
                        "relink": f"This lot is linked to {coin_label(lot.coin)}. Tick “Move the lot to "
                        f"this coin” to move it to {coin_label(coin)}, or leave the coin empty."
                    }
                )
        return data


def job_redirect(job: ScrapeJob):
    return redirect("admin:auctions_scrapejob_change", job.pk)


def queue_acquisition_scrapes(modeladmin, request: HttpRequest, coins) -> HttpResponse | None:
    """The coin list's action: one background job for the selected coins' acquisition URLs."""
    chosen = [coin for coin in coins[: MAX_URLS_PER_JOB + 1] if coin.acquisition_url]
    if not chosen:
        modeladmin.message_user(
            request, "None of the selected coins has an acquisition URL.", messages.WARNING
        )
        return None
    if len(chosen) > MAX_URLS_PER_JOB:
        modeladmin.message_user(
            request, f"Choose at most {MAX_URLS_PER_JOB} coins for one scrape.", messages.ERROR
        )
        return None
    job = queue_scrape(
        ScrapeJobKind.ACQUISITION,
        [(coin.acquisition_url, coin.pk, CoinRole.ACQUISITION) for coin in chosen],
        user=request.user,
    )
    return job_redirect(job)


class LotImageForm(forms.ModelForm):
    """An uploaded lot image passes the model's checks (validate_image_upload) and is stored, like
    a scraped one, under its SHA-256 (lot_image_path), so the same picture is kept once."""

    class Meta:
        model = LotImage
        fields = ["url", "image", "position"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "chunks") and image is not self.instance.image:
            digest = hashlib.sha256()
            for chunk in image.chunks():
                digest.update(chunk)
            image.seek(0)
            self.instance.sha256 = digest.hexdigest()
        return image


class LotImageInline(admin.TabularInline):
    model = LotImage
    form = LotImageForm
    extra = 0
    fields = ["url", "image", "sha256", "position"]
    readonly_fields = ["sha256"]


class LotReferenceInline(admin.TabularInline):
    model = LotReference
    extra = 0
    fields = ["raw_text", "system", "volume", "number", "variant", "is_cf", "position"]


@admin.register(AuctionHouse)
class AuctionHouseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "usual_premium_pct"]
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
    actions = ["rescrape"]  # catalog/admin.py adds "make a coin from each selected lot"
    change_list_template = "admin/auctions/auctionlot/change_list.html"
    change_form_template = "admin/auctions/auctionlot/change_form.html"

    @admin.action(description="Scrape the selected lots again", permissions=["change"])
    def rescrape(self, request, queryset):
        lots = list(
            queryset.order_by("pk").values_list("url", "coin_id", "coin_role")[: MAX_URLS_PER_JOB + 1]
        )
        if len(lots) > MAX_URLS_PER_JOB:
            self.message_user(
                request, f"Choose at most {MAX_URLS_PER_JOB} lots for one scrape.", messages.ERROR
            )
            return None
        # Each lot keeps its own coin and role: a rescrape never moves a lot.
        job = queue_scrape(ScrapeJobKind.RESCRAPE, lots, user=request.user, refresh=True)
        return job_redirect(job)

    def get_urls(self):
        scrape_view = self.admin_site.admin_view(self.scrape_view)
        return [path("scrape/", scrape_view, name="auctions_auctionlot_scrape"), *super().get_urls()]

    def scrape_view(self, request):
        """Queue a scrape of one URL, optionally linking the lot to a coin (the command's --coin,
        --role and --relink), and go to the job's page."""
        if not self.has_add_permission(request):
            return redirect("admin:auctions_auctionlot_changelist")
        form = ScrapeForm(request.POST or None, initial=request.GET.dict())
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            coin = data["coin"]
            job = queue_scrape(
                ScrapeJobKind.URL,
                [(data["url"], coin.pk if coin else None, data["role"] or None)],
                user=request.user,
                refresh=data["refresh"],
                relink=data["relink"],
            )
            return job_redirect(job)
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
    form = LotImageForm
    list_display = ["url", "lot", "position", "sha256"]
    list_select_related = ["lot__house", "lot__sale__house"]
    raw_id_fields = ["lot"]

    def get_fields(self, request, obj=None):
        return ["lot", "url", "image", "position"]


@admin.register(LotReference)
class LotReferenceAdmin(admin.ModelAdmin):
    list_display = ["raw_text", "system", "volume", "number", "variant", "is_cf", "lot"]
    list_filter = ["system", "is_cf"]
    list_select_related = ["lot__house", "lot__sale__house"]
    search_fields = ["raw_text", "number"]
    raw_id_fields = ["lot"]


@admin.register(ScrapeJob)
class ScrapeJobAdmin(admin.ModelAdmin):
    """Every scrape asked for on a page: its status and one outcome line per URL. Read-only."""

    list_display = ["created_at", "kind", "status", "url_count", "summary", "requested_by", "finished_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="URLs")
    def url_count(self, obj: ScrapeJob) -> int:
        return len(obj.items)

    def get_urls(self):
        status_view = self.admin_site.admin_view(self.status_view)
        return [
            path("<int:job_id>/status/", status_view, name="auctions_scrapejob_status"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: what it was asked to do and its outcome so far, followed with htmx."""
        job = self._job_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": str(job),
            "opts": self.model._meta,
            "original": job,
            "has_delete_permission": self.has_delete_permission(request, job),
            **self._status_context(job),
        }
        return TemplateResponse(request, "admin/auctions/scrapejob/job.html", context)

    def status_view(self, request, job_id: int):
        """The job's status fragment, which the job page polls until the job is finished."""
        job = self._job_or_404(request, job_id)
        return TemplateResponse(
            request, "admin/auctions/scrapejob/job_status.html", self._status_context(job)
        )

    def _job_or_404(self, request, object_id) -> ScrapeJob:
        job = get_object_or_404(ScrapeJob.objects.select_related("requested_by"), pk=str(object_id))
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    @staticmethod
    def _status_context(job: ScrapeJob) -> dict:
        lines = []
        for index, outcome in enumerate(outcome_lines(job)):
            item = job.items[index] if index < len(job.items) else {}
            relink_url = ""
            if outcome.refused_move and item.get("coin"):
                query = {
                    "url": outcome.url,
                    "coin": item["coin"],
                    "role": item.get("role", ""),
                    "relink": "on",
                }
                relink_url = f"{reverse('admin:auctions_auctionlot_scrape')}?{urlencode(query)}"
            lines.append({"outcome": outcome, "relink_url": relink_url})
        waiting = job.status == "queued" and (timezone.now() - job.created_at).total_seconds()
        return {
            "job": job,
            "lines": lines,
            "pending": job.items[len(lines) :] if not job.finished else [],
            "worker_missing": bool(waiting and waiting > WORKER_HINT_AFTER_SECONDS),
        }
