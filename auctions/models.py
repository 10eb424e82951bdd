"""Auction records: houses, sales, lots and their images.

Lots are market data. They outlive the coins they are linked to (a deleted coin leaves its lots,
unlinked), and one URL is one lot, so a rescrape updates instead of duplicating.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import Lower, Upper
from django.urls import reverse

from catalog.models import Citation, Metal
from coinstack.constraints import (
    between_when_set,
    currency_code_check,
    not_negative_when_set,
    positive_when_set,
    year_range_checks,
)
from coinstack.rows import built, in_model_order, take
from coinstack.security import validate_image_upload
from numismatics.years import format_year_range


class LotStatus(models.TextChoices):
    PENDING = "pending", "Not yet scraped"
    OPEN = "open", "Open"
    SOLD = "sold", "Sold"
    UNSOLD = "unsold", "Unsold"
    UNKNOWN = "unknown", "Unknown"


class CoinRole(models.TextChoices):
    ACQUISITION = "acquisition", "Where it was bought"
    PROVENANCE = "provenance", "An earlier sale of it"
    COMPARABLE = "comparable", "A comparable lot"


def bought_by_owner(prefix: str = "") -> models.Q:
    """The lots where the owner bought a coin of the collection: its role says so, or it is linked to
    a coin without a role (it may be the purchase). Private: public browsing shows none of them
    (AuctionLotQuerySet.public). `prefix` reaches the lot through a relation ("auction_lot__")."""
    return models.Q(**{f"{prefix}coin_role": CoinRole.ACQUISITION}) | models.Q(
        **{f"{prefix}coin__isnull": False, f"{prefix}coin_role": ""}
    )


class AuctionHouse(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    website = models.URLField(blank=True)
    usual_premium_pct = models.DecimalField(
        "usual buyer's premium (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Applied to this house's sold lots whose own premium is not stated (catalog.valuation).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Scrapers get_or_create houses by name; case must not split one house in two.
            models.UniqueConstraint(Lower("name"), name="house_name_unique_ci"),
            models.UniqueConstraint(fields=["slug"], name="house_slug_unique"),
            # Values add it to hammer prices: a premium is a percentage of the hammer.
            between_when_set("usual_premium_pct", 0, 100, "house_premium_0_100"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.usual_premium_pct is not None and not 0 <= self.usual_premium_pct <= 100:
            raise ValidationError({"usual_premium_pct": "A buyer's premium is a percentage from 0 to 100."})


class Sale(models.Model):
    house = models.ForeignKey(AuctionHouse, on_delete=models.PROTECT, related_name="sales", db_index=False)
    name = models.CharField(max_length=300, blank=True)
    number = models.CharField(max_length=50, blank=True, help_text="The house's own sale number or id.")
    date = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-date", "house", "number"]
        constraints = [
            # Scrapers find a lot's sale by (house, number); two rows would split its lots.
            models.UniqueConstraint(
                fields=["house", "number"], condition=~models.Q(number=""), name="sale_house_number_unique"
            ),
        ]
        indexes = [
            # The auction list's house filter and a house's sales by date.
            models.Index(fields=["house", "date"], name="sale_house_date_idx"),
        ]

    def __str__(self) -> str:
        label = self.name or (f"Sale {self.number}" if self.number else "Sale")
        return f"{self.house} {label}" if self.house_id and str(self.house) not in label else label


# What a lot's row shows (the lot list's rows, auctions/lot_rows.jinja; a coin page's lot tables,
# auctions/includes/lot_table.html) of the lot, its sale and their houses, and nothing more: a lot's
# texts are its largest columns, and every column read costs a conversion. The lot list reads the same
# as values (ROW_VALUES, lots_of_rows).
ROW_FIELDS = (
    "url", "house", "sale", "lot_number", "title", "estimate_low", "estimate_high", "hammer_price",
    "currency", "closing_date", "status", "coin", "coin_role",
    "house__name", "sale__name", "sale__number", "sale__house", "sale__house__name",
)  # fmt: skip


class AuctionLotQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("house", "sale", "coin")

    def as_rows(self):
        """Lots as their rows show them: house and sale (with its house) joined, ROW_FIELDS only."""
        return self.select_related("house", "sale__house").only(*ROW_FIELDS)

    def public(self):
        """The lots a visitor without private access may see: all but the owner's purchases
        (bought_by_owner). Earlier sales of a coin (provenance), comparables and unlinked market
        records stay."""
        return self.exclude(bought_by_owner())

    def visible(self, private: bool):
        """All lots for a visitor who may see private fields, else the public ones."""
        return self.all() if private else self.public()


class AuctionLot(models.Model):
    url = models.URLField(max_length=1000, help_text="One URL is one lot.")
    platform = models.CharField(max_length=20, blank=True, help_text="biddr, numisbids, sixbid, cng, ...")
    house = models.ForeignKey(
        AuctionHouse, on_delete=models.PROTECT, null=True, blank=True, related_name="lots", db_index=False
    )
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="lots", db_index=False
    )
    lot_number = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="Plain text as scraped; always shown escaped.")
    description_html = models.TextField(
        blank=True, help_text="The page's formatted description; sanitised with nh3 before display."
    )
    # --- prices, in the lot's own currency
    estimate_low = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    estimate_high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    starting_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    hammer_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    buyers_premium_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    closing_date = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=LotStatus.choices, default=LotStatus.PENDING)
    # --- the coin as the description states it
    issuer_text = models.CharField(max_length=200, blank=True)
    mint_text = models.CharField(max_length=200, blank=True)
    denomination_text = models.CharField(max_length=100, blank=True)
    metal = models.CharField(max_length=20, choices=Metal.choices, blank=True)
    year_start = models.IntegerField(null=True, blank=True)
    year_end = models.IntegerField(null=True, blank=True)
    weight_g = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    diameter_mm = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    die_axis = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=200, blank=True)
    grade_band = models.PositiveSmallIntegerField(null=True, blank=True)
    references_text = models.TextField(blank=True)
    # --- link to the collection
    coin = models.ForeignKey(
        "catalog.Coin",
        on_delete=models.SET_NULL,  # market records outlive the coin
        null=True,
        blank=True,
        related_name="auction_lots",
        db_index=False,
    )
    coin_role = models.CharField(max_length=20, choices=CoinRole.choices, blank=True)
    scraped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuctionLotQuerySet.as_manager()

    class Meta:
        ordering = ["-closing_date", "-id"]
        constraints = [
            # The scraper upserts on the URL: one URL is one lot.
            models.UniqueConstraint(fields=["url"], name="lot_url_unique"),
            not_negative_when_set("estimate_low", "lot_estimate_low_not_negative"),
            not_negative_when_set("estimate_high", "lot_estimate_high_not_negative"),
            not_negative_when_set("starting_price", "lot_starting_not_negative"),
            not_negative_when_set("hammer_price", "lot_hammer_not_negative"),
            # Price filters compare against the range; a reversed one would never match.
            models.CheckConstraint(
                condition=models.Q(estimate_low__isnull=True)
                | models.Q(estimate_high__isnull=True)
                | models.Q(estimate_low__lte=models.F("estimate_high")),
                name="lot_estimate_ordered",
            ),
            # An unsold lot has no hammer price; statistics of realised prices rely on it.
            models.CheckConstraint(
                condition=~models.Q(status=LotStatus.UNSOLD) | models.Q(hammer_price__isnull=True),
                name="lot_unsold_no_hammer",
            ),
            between_when_set("buyers_premium_pct", 0, 100, "lot_premium_0_100"),
            currency_code_check("currency", "lot_currency_code"),
            positive_when_set("weight_g", "lot_weight_positive"),
            positive_when_set("diameter_mm", "lot_diameter_positive"),
            between_when_set("die_axis", 1, 12, "lot_die_axis_1_12"),
            *year_range_checks("lot"),
        ]
        indexes = [
            # A coin's lots on the coin page; the ?linked= filter.
            models.Index(fields=["coin", "closing_date"], name="lot_coin_idx"),
            # A sale's lots in lot order (sale pages, scrape_sale).
            models.Index(fields=["sale", "lot_number"], name="lot_sale_idx"),
            # The auction list's default order and date-range filter.
            models.Index(fields=["closing_date"], name="lot_closing_date_idx"),
            # The auction list's house and status filters.
            models.Index(fields=["house", "closing_date"], name="lot_house_date_idx"),
            # ?status= in date order (one page read from the index, no sort of every sold lot).
            models.Index(fields=["status", "closing_date"], name="lot_status_date_idx"),
            # ?currency= in date order: without it SQLite walked the date index reading every lot's
            # row (its description) for its currency, 66,000 rows for page 200 of the lots in pounds
            # at 200,000 lots (190 ms); PostgreSQL 80 ms.
            models.Index(fields=["currency", "closing_date"], name="lot_currency_date_idx"),
            # House and currency facet counts under a status filter, read from the index alone.
            models.Index(fields=["status", "house", "currency"], name="lot_status_house_currency_idx"),
            models.Index(fields=["hammer_price"], name="lot_hammer_idx"),
            # Values from comparables, the sold lots of a coin's issuer, denomination and metal latest
            # first: lot_sold_issuer_latest_idx, written per engine by migration 0013 (its NULLS LAST
            # is PostgreSQL's alone).
        ]

    def __str__(self) -> str:
        where = " ".join(
            p for p in (str(self.sale or self.house or ""), f"lot {self.lot_number}") if p.strip()
        )
        return f"{where}: {self.title[:60]}" if self.title else where or self.url

    def get_absolute_url(self) -> str:
        return reverse("auctions:lot_detail", args=[self.pk])

    @property
    def date_display(self) -> str:
        return format_year_range(self.year_start, self.year_end)

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if (
            self.estimate_low is not None
            and self.estimate_high is not None
            and self.estimate_low > self.estimate_high
        ):
            errors["estimate_high"] = "The high estimate is below the low estimate."
        if self.status == LotStatus.UNSOLD and self.hammer_price is not None:
            errors["hammer_price"] = "An unsold lot has no hammer price."
        for field in ("estimate_low", "estimate_high", "starting_price", "hammer_price"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "A price cannot be negative."
        if self.currency and (
            len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper()
        ):
            errors["currency"] = f'"{self.currency}" is not a three-letter currency code such as USD or EUR.'
        if errors:
            raise ValidationError(errors)


# What a lot's row shows (auctions/lot_rows.jinja) of the lot, its house, its sale and the sale's
# house, read as values for the lot list (ROW_FIELDS says the same for the ORM's rows): a page's 50
# lots share a few houses and sales, each built once (coinstack.rows).
_ROW_LOT = in_model_order(
    AuctionLot,
    "id",
    "url",
    "lot_number",
    "title",
    "estimate_low",
    "estimate_high",
    "hammer_price",
    "currency",
    "closing_date",
    "status",
    "coin_id",
    "coin_role",
)
_ROW_HOUSE = in_model_order(AuctionHouse, "id", "name")
_ROW_SALE = in_model_order(Sale, "id", "name", "number")
ROW_VALUES = (
    *_ROW_LOT,
    *(f"house__{name}" for name in _ROW_HOUSE),
    *(f"sale__{name}" for name in _ROW_SALE),
    *(f"sale__house__{name}" for name in _ROW_HOUSE),
)


def lots_of_rows(rows) -> list[AuctionLot]:
    """The lots of `rows` (values_list(*ROW_VALUES)), in their order, with house, sale and the
    sale's house as their rows read them."""
    houses: dict[int, AuctionHouse] = {}
    sales: dict[int, Sale] = {}
    lots = []
    for row in rows:
        values = iter(row)
        lot = AuctionLot.from_db(DEFAULT_DB_ALIAS, _ROW_LOT, take(values, _ROW_LOT))
        # Setting a foreign key's object sets its id too, and caches it as select_related would.
        lot.house = built(houses, AuctionHouse, _ROW_HOUSE, take(values, _ROW_HOUSE))
        sale = built(sales, Sale, _ROW_SALE, take(values, _ROW_SALE))
        sale_house = built(houses, AuctionHouse, _ROW_HOUSE, take(values, _ROW_HOUSE))
        if sale is not None:
            sale.house = sale_house
        lot.sale = sale
        lots.append(lot)
    return lots


class LotReference(Citation):
    """A citation read from a lot's description, structured so lots of the same type can be found."""

    lot = models.ForeignKey(AuctionLot, on_delete=models.CASCADE, related_name="references", db_index=False)
    # The OCRE/CRRO type the citation resolves to (vocab.types.resolve_reference), when it does.
    type = models.ForeignKey(
        "vocab.CoinType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lot_references",
        db_index=False,
    )

    class Meta:
        ordering = ["lot", "position", "id"]
        indexes = [
            models.Index(fields=["lot", "position"], name="lotref_lot_idx"),
            # Comparable lots: lots citing the same type as a coin's references.
            models.Index(fields=["system", "volume", "number"], name="lotref_citation_idx"),
            # Comparable lots through the type: lots whose citations resolve to a coin's type.
            models.Index(fields=["type", "is_cf"], name="lotref_type_idx"),
            # The lot list's reference filter: a citation as typed, whatever its case
            # (auctions.reference_lookup). The raw text has an index of its own (auctions 0010).
            models.Index(Upper("system"), Upper("volume"), Upper("number"), name="lotref_citation_upper_idx"),
        ]


def lot_image_path(instance: "LotImage", filename: str) -> str:
    """Stored by content hash so the same picture, met on several lots or rescrapes, is kept once."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    digest = instance.sha256 or "unknown"
    return f"lots/{digest[:2]}/{digest}.{suffix}"


class LotImage(models.Model):
    lot = models.ForeignKey(AuctionLot, on_delete=models.CASCADE, related_name="images", db_index=False)
    url = models.URLField(max_length=1000, help_text="Where the house published it.")
    # The same checks as every image that enters (size, real format matching the name, pixels).
    image = models.ImageField(
        upload_to=lot_image_path, blank=True, max_length=200, validators=[validate_image_upload]
    )
    sha256 = models.CharField(max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["lot", "position", "id"]
        constraints = [
            # A rescrape replaces a lot's images by URL instead of adding copies.
            models.UniqueConstraint(fields=["lot", "url"], name="lotimage_lot_url_unique"),
        ]
        indexes = [
            models.Index(fields=["lot", "position"], name="lotimage_lot_idx"),
            # Deduplicating downloads: is this picture already stored?
            models.Index(fields=["sha256"], name="lotimage_sha_idx"),
        ]

    def __str__(self) -> str:
        return self.url


# --- background scraping --------------------------------------------------------------------------


class ScrapeJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped by an error"


class ScrapeJobKind(models.TextChoices):
    URL = "url", "Scrape a lot by URL"
    RESCRAPE = "rescrape", "Scrape lots again"
    ACQUISITION = "acquisition", "Scrape coins' acquisition URLs"


class ScrapeJobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[ScrapeJobStatus.QUEUED, ScrapeJobStatus.RUNNING])


class ScrapeJob(models.Model):
    """A scrape asked for on a web page, run by the background worker (auctions/jobs.py).

    Operational, not market data: no data-version trigger (the lots it writes carry their own).
    `items` is what to scrape, one {"url", "coin", "role"} per URL; `lines` grows by one outcome per
    URL ({"url", "outcome", "message", "lot_id"}) while the job runs, so the page that polls it shows
    progress, and staff can read every job's outcome afterwards.
    """

    kind = models.CharField(max_length=20, choices=ScrapeJobKind.choices)
    status = models.CharField(max_length=10, choices=ScrapeJobStatus.choices, default=ScrapeJobStatus.QUEUED)
    items = models.JSONField(default=list)
    refresh = models.BooleanField(default=False, help_text="Re-read closed lots already stored.")
    relink = models.BooleanField(default=False, help_text="Move lots linked to another coin.")
    download_images = models.BooleanField(default=True)
    lines = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="Why the job itself stopped, when it did.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The task library's id for this run.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScrapeJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The status page stops polling on done/failed; any other value would poll for ever.
            models.CheckConstraint(
                condition=models.Q(status__in=ScrapeJobStatus.values), name="scrapejob_status_known"
            ),
            # A finished job has a finishing time (the admin list and the status page show it).
            models.CheckConstraint(
                condition=~models.Q(status__in=[ScrapeJobStatus.DONE, ScrapeJobStatus.FAILED])
                | models.Q(finished_at__isnull=False),
                name="scrapejob_finished_has_time",
            ),
        ]
        indexes = [
            # The admin's job list, newest first.
            models.Index(fields=["-created_at"], name="scrapejob_created_idx"),
        ]

    def __str__(self) -> str:
        count = len(self.items)
        return f"{self.get_kind_display()}: {count} URL{'s' * (count != 1)} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ScrapeJobStatus.DONE, ScrapeJobStatus.FAILED)

    def clean(self):
        super().clean()
        if self.finished and self.finished_at is None:
            raise ValidationError({"finished_at": "A finished job needs the time it finished."})
