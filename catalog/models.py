"""The collection: coins, their images, catalogue references, provenance, and the series collectors
try to complete.

Every rule a coin must obey is a named database constraint, so no code path (a form, the admin, a
bulk import, a raw UPDATE) can store a weight of 0 or a backwards date range. `clean()` states the
same rules in words, so forms show a message before the database refuses.
"""

import re
import uuid
from pathlib import PurePath
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse

from coinstack.constraints import (
    between_when_set,
    currency_code_check,
    not_negative_when_set,
    positive_when_set,
    year_range_checks,
)
from coinstack.security import validate_image_upload
from numismatics.references import Citation as ParsedCitation
from numismatics.years import format_year_range

from .choices import (
    Category,
    Disposal,
    GradeService,
    GradingState,
    ImageKind,
    ImportSource,
    Metal,
    Origin,
    ProvenanceKind,
    SlotStatus,
)

_DIGITS = re.compile(r"\d+")


class Dating(NamedTuple):
    """How a coin is dated on its pages: `kind` "struck" (its own striking date) or "reign" (the
    issuer's reign, when the coin has no striking date), or "" when neither is known."""

    kind: str
    text: str

    @property
    def label(self) -> str:
        return {"struck": "Struck", "reign": "Reign"}.get(self.kind, "Date")


def inventory_sort_key(inventory_number: str) -> str:
    """A text key that sorts inventory numbers the way people count: 2 before 10, "A-9" before "A-10"."""
    return _DIGITS.sub(lambda m: m.group().zfill(10), inventory_number.strip().casefold())


def _currency_clean(value: str, field: str, errors: dict) -> None:
    if value and not re.fullmatch(r"[A-Z]{3}", value):
        errors[field] = f'"{value}" is not a three-letter currency code such as USD, EUR or CHF.'


def _year_clean(start, end, errors: dict, start_field="year_start", end_field="year_end") -> None:
    if start == 0 or end == 0:
        errors[start_field if start == 0 else end_field] = "There is no year 0: 1 BC is followed by AD 1."
    elif start is not None and end is not None and start > end:
        errors[end_field] = (
            f"The date range ends ({format_year_range(end, end)}) before it starts "
            f"({format_year_range(start, start)})."
        )


def disposal_problems(coin: "Coin", errors: dict) -> None:
    """The disposal rules of Coin.Meta.constraints, in words."""
    if not coin.disposal:
        stated = [
            label
            for label, value in (
                ("date", coin.disposal_date),
                ("price", coin.disposal_price),
                ("currency", coin.disposal_currency),
                ("recipient", coin.disposed_to),
            )
            if value not in (None, "")
        ]
        if stated:
            errors["disposal"] = (
                f"Say how the coin left the collection (sold, traded, given away) before giving its "
                f"disposal {', '.join(stated)}; a coin still held has none."
            )
        return
    if coin.disposal_price is not None and coin.disposal_price < 0:
        errors["disposal_price"] = "A price cannot be negative."
    elif coin.disposal_price is not None and not coin.disposal_currency:
        errors["disposal_currency"] = "Give the currency of the disposal price (USD, EUR, CHF, ...)."
    if coin.disposal == Disposal.GIFTED and coin.disposal_price is not None:
        errors["disposal_price"] = "A coin given away has no price; choose sold or traded instead."
    _currency_clean(coin.disposal_currency, "disposal_currency", errors)


class _IsHeld(models.Func):
    """`disposal = ''`, with the empty text written into the SQL rather than bound as a parameter.

    The held coins' partial indexes (coin_held_*_idx, WHERE disposal = '') answer a list without
    reading its rows only when the query states that very condition: given a parameter, SQLite still
    uses the index but tests each entry's row for the disposal (a deep page walked 48,000 rows of the
    table, 22 ms, instead of 48,000 index entries, 1.6 ms). On SQLite the test is also wrapped in
    likelihood(test, 0.99), the planner told it nearly always holds (the probability must be a
    literal too)."""

    template = "%(expressions)s = ''"
    output_field = models.BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="likelihood(%(expressions)s = '', 0.99)")


class CoinQuerySet(models.QuerySet):
    def held(self):
        """The coins still in the collection: what the default lists, the home page and /stats/ show.
        Disposed coins keep their records and are found with the list's `disposed=` filter."""
        # Nearly every coin is held: said to SQLite's planner, it still reads ?sort=year from
        # coin_year_range_idx instead of sorting the whole table (it guesses an untested term keeps
        # few rows).
        return self.filter(_IsHeld(models.F("disposal")))

    def with_vocab(self):
        """Issuer, mint and denomination in the same query: every list shows them."""
        return self.select_related("issuer", "mint", "denomination")

    def with_primary_image(self):
        """Prefetch only the primary image of each coin (one extra query for the whole page)."""
        return self.prefetch_related(
            models.Prefetch(
                "images", queryset=CoinImage.objects.filter(is_primary=True), to_attr="primary_images"
            )
        )


class Coin(models.Model):
    # --- attribution
    inventory_number = models.CharField(
        max_length=50, blank=True, help_text="The collector's own number; unique when set."
    )
    inventory_sort = models.CharField(max_length=120, blank=True, editable=False)
    category = models.CharField(max_length=30, choices=Category.choices, default=Category.ROMAN_IMPERIAL)
    issuer = models.ForeignKey(
        "vocab.Issuer", on_delete=models.PROTECT, null=True, blank=True, related_name="coins", db_index=False
    )
    portrait = models.CharField("portrait subject", max_length=200, blank=True)
    mint = models.ForeignKey(
        "vocab.Mint", on_delete=models.PROTECT, null=True, blank=True, related_name="coins", db_index=False
    )
    denomination = models.ForeignKey(
        "vocab.Denomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coins",
        db_index=False,
    )
    year_start = models.IntegerField(null=True, blank=True, help_text="Striking date, signed: BC negative.")
    year_end = models.IntegerField(null=True, blank=True, help_text="Striking date, signed: BC negative.")
    is_circa = models.BooleanField("circa", default=False)
    date_text = models.CharField(max_length=100, blank=True, help_text="The date as written, if unusual.")
    # --- physical
    metal = models.CharField(max_length=20, choices=Metal.choices, blank=True)
    weight_g = models.DecimalField("weight (g)", max_digits=7, decimal_places=3, null=True, blank=True)
    diameter_mm = models.DecimalField("diameter (mm)", max_digits=5, decimal_places=2, null=True, blank=True)
    die_axis = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Clock hours, 1-12.")
    # --- design
    obverse_legend = models.CharField(max_length=300, blank=True)
    obverse_description = models.TextField(blank=True)
    reverse_legend = models.CharField(max_length=300, blank=True)
    reverse_description = models.TextField(blank=True)
    exergue = models.CharField(max_length=100, blank=True)
    # --- condition
    grade = models.CharField(max_length=100, blank=True, help_text='As written, e.g. "Choice VF".')
    grade_band = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="0-100, derived from the grade for sorting (F 60, VF 70, EF 80)."
    )
    grade_comment = models.CharField(max_length=300, blank=True, help_text='e.g. NGC\'s "brushed".')
    grading_state = models.CharField(max_length=10, choices=GradingState.choices, default=GradingState.RAW)
    grade_service = models.CharField(max_length=10, choices=GradeService.choices, blank=True)
    certificate_number = models.CharField(max_length=50, blank=True)
    ngc_strike = models.PositiveSmallIntegerField("NGC strike", null=True, blank=True)
    ngc_surface = models.PositiveSmallIntegerField("NGC surface", null=True, blank=True)
    fine_style = models.BooleanField(default=False)
    # --- acquisition and custody
    acquisition_date = models.DateField(null=True, blank=True)
    acquisition_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    acquisition_currency = models.CharField(max_length=3, blank=True)
    acquisition_source = models.CharField(max_length=200, blank=True)
    acquisition_url = models.URLField(max_length=1000, blank=True)
    storage_location = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    # --- disposal: a coin sold, traded or given away leaves the lists but keeps its history
    disposal = models.CharField(
        max_length=10, choices=Disposal.choices, blank=True, help_text="Empty while the coin is held."
    )
    disposal_date = models.DateField(null=True, blank=True)
    disposal_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    disposal_currency = models.CharField(max_length=3, blank=True)
    disposed_to = models.CharField("disposed to", max_length=200, blank=True)
    # --- bookkeeping
    is_demo = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made by the demo generator (ops.demo); manage.py remove_demo deletes exactly these.",
    )
    import_state = models.JSONField(
        null=True,  # None, not {}: bulk writers (ops.demo) pass the default as it is
        blank=True,
        editable=False,
        help_text="What the last spreadsheet import read for this coin (digests of its row, references and "
        "provenance cells), so a re-import tells the sheet's changes from the app's.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoinQuerySet.as_manager()

    class Meta:
        ordering = ["inventory_sort", "id"]
        constraints = [
            # The importer upserts on the collector's inventory number.
            models.UniqueConstraint(
                fields=["inventory_number"],
                condition=~models.Q(inventory_number=""),
                name="coin_inventory_unique",
            ),
            # Weights and diameters feed statistics and die studies; 0 or less is a typing error.
            positive_when_set("weight_g", "coin_weight_positive"),
            positive_when_set("diameter_mm", "coin_diameter_positive"),
            # Die axis is a clock position.
            between_when_set("die_axis", 1, 12, "coin_die_axis_1_12"),
            # NGC Ancients grades strike and surface out of five.
            between_when_set("ngc_strike", 1, 5, "coin_ngc_strike_1_5"),
            between_when_set("ngc_surface", 1, 5, "coin_ngc_surface_1_5"),
            between_when_set("grade_band", 0, 100, "coin_grade_band_0_100"),
            # Date filters test range overlap; they need forward ranges with no year 0.
            *year_range_checks("coin"),
            # A slab always comes from a grading service (an earlier system silently dropped it).
            models.CheckConstraint(
                condition=~models.Q(grading_state=GradingState.SLABBED) | ~models.Q(grade_service=""),
                name="coin_slabbed_has_service",
            ),
            # One certificate identifies one slab at its service.
            models.UniqueConstraint(
                fields=["grade_service", "certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="coin_certificate_unique",
            ),
            not_negative_when_set("acquisition_price", "coin_price_not_negative"),
            # Statistics group spending by currency and never sum across currencies.
            currency_code_check("acquisition_currency", "coin_currency_code"),
            # Disposal: a known way out, details only on a disposed coin, a price with its currency
            # (so takings are never summed across currencies) and none for a gift.
            models.CheckConstraint(
                condition=models.Q(disposal="") | models.Q(disposal__in=Disposal.values),
                name="coin_disposal_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(disposal="")
                | models.Q(disposal_date__isnull=True, disposal_price__isnull=True)
                & models.Q(disposal_currency="", disposed_to=""),
                name="coin_disposal_details_need_disposal",
            ),
            not_negative_when_set("disposal_price", "coin_disposal_price_not_negative"),
            currency_code_check("disposal_currency", "coin_disposal_currency_code"),
            models.CheckConstraint(
                condition=models.Q(disposal_price__isnull=True) | ~models.Q(disposal_currency=""),
                name="coin_disposal_price_has_currency",
            ),
            models.CheckConstraint(
                condition=~models.Q(disposal=Disposal.GIFTED) | models.Q(disposal_price__isnull=True),
                name="coin_gift_has_no_price",
            ),
        ]
        indexes = [
            # Coin list filters (?issuer=, ?mint=, ?denomination=) and issuer/mint pages.
            models.Index(fields=["issuer", "year_start"], name="coin_issuer_year_idx"),
            models.Index(fields=["mint"], name="coin_mint_idx"),
            models.Index(fields=["denomination"], name="coin_denomination_idx"),
            # Category and metal filters, alone and together (the commonest filter pair), and their
            # facet counts read from the index alone. The year columns let the filtered list's
            # ?sort=year / -year read one page in order instead of sorting every matching coin.
            models.Index(
                fields=["category", "metal", "year_start", "year_end"], name="coin_category_metal_year_idx"
            ),
            # ?metal= alone, and the category facet counted under it (covering).
            models.Index(fields=["metal", "category"], name="coin_metal_category_idx"),
            # Date overlap filter and ?sort=year.
            models.Index(fields=["year_start", "year_end"], name="coin_year_range_idx"),
            models.Index(fields=["year_end"], name="coin_year_end_idx"),
            # ?sort=acquired and the home page's recent acquisitions.
            # The spending table of /stats/ (per year and currency) is read from it alone.
            models.Index(
                fields=["acquisition_date", "acquisition_currency", "acquisition_price"],
                name="coin_acquired_spending_idx",
            ),
            models.Index(fields=["grading_state", "grade_service"], name="coin_grading_idx"),
            # ?sort=grade, ?sort=price, ?sort=weight, ?sort=inventory.
            models.Index(fields=["grade_band"], name="coin_grade_band_idx"),
            models.Index(fields=["acquisition_price"], name="coin_price_idx"),
            models.Index(fields=["weight_g"], name="coin_weight_idx"),
            # The lists in inventory order. On PostgreSQL the index carries `disposal` too, so a deep
            # page of the held coins is read from the index alone (page 1000 of 100,000 coins: 35 ms
            # of rows fetched for `disposal`, 10 ms without); SQLite makes no INCLUDE columns (its
            # partial index of the held coins does that there, catalog 0017).
            models.Index(
                fields=["inventory_sort", "id"], include=["disposal"], name="coin_inventory_sort_idx"
            ),
            # Held coins in the lists' and the home page's orders: SQLite only, catalog 0017.
            # ?storage= filter, used when a tray is reorganised.
            # (varchar_pattern_ops, PostgreSQL only: LIKE 'x%' reads it whatever the collation.)
            models.Index(
                fields=["storage_location"], name="coin_storage_idx", opclasses=["varchar_pattern_ops"]
            ),
            # ?disposed=only lists the coins that left, newest disposal first.
            models.Index(
                fields=["disposal_date"], condition=~models.Q(disposal=""), name="coin_disposed_idx"
            ),
            # The demo coins (remove_demo; the staff banner counts the held ones from the index alone).
            models.Index(fields=["disposal"], condition=models.Q(is_demo=True), name="coin_demo_idx"),
        ]

    def __str__(self) -> str:
        parts = [
            self.issuer.name if self.issuer_id else "",
            self.denomination.name if self.denomination_id else "",
            self.date_display,
        ]
        label = " ".join(p for p in parts if p) or "Coin"
        return f"#{self.inventory_number} {label}" if self.inventory_number else label

    def save(self, *args, **kwargs):
        self.inventory_sort = inventory_sort_key(self.inventory_number)
        self.acquisition_currency = self.acquisition_currency.upper()
        self.disposal_currency = self.disposal_currency.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:coin_detail", args=[self.pk])

    @property
    def date_display(self) -> str:
        return format_year_range(self.year_start, self.year_end, self.is_circa) or self.date_text

    @property
    def is_disposed(self) -> bool:
        return bool(self.disposal)

    @property
    def dating(self) -> Dating:
        """The striking date when the coin has one (years, or the date as written), else the
        issuer's reign: the two are kept apart (DOMAIN.md), and a coin imported with only its
        ruler's reign still shows when it was made. Reads the issuer: lists join it (with_vocab)."""
        struck = self.date_display
        if struck:
            return Dating("struck", struck)
        if self.issuer_id is not None:
            reign = format_year_range(self.issuer.reign_start, self.issuer.reign_end)
            if reign:
                return Dating("reign", reign)
        return Dating("", "")

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.weight_g is not None and self.weight_g <= 0:
            errors["weight_g"] = "Weight must be more than 0 g; leave it empty when unknown."
        if self.diameter_mm is not None and self.diameter_mm <= 0:
            errors["diameter_mm"] = "Diameter must be more than 0 mm; leave it empty when unknown."
        if self.die_axis is not None and not 1 <= self.die_axis <= 12:
            errors["die_axis"] = "Die axis is a clock hour from 1 to 12 (write 12 for 0h)."
        for field in ("ngc_strike", "ngc_surface"):
            value = getattr(self, field)
            if value is not None and not 1 <= value <= 5:
                errors[field] = "NGC grades strike and surface from 1 to 5."
        if self.grade_band is not None and self.grade_band > 100:
            errors["grade_band"] = "The grade band runs from 0 to 100."
        _year_clean(self.year_start, self.year_end, errors)
        if self.grading_state == GradingState.SLABBED and not self.grade_service:
            errors["grade_service"] = "A slabbed coin needs its grading service (NGC, PCGS, ...)."
        if self.acquisition_price is not None and self.acquisition_price < 0:
            errors["acquisition_price"] = "A price cannot be negative."
        _currency_clean(self.acquisition_currency, "acquisition_currency", errors)
        disposal_problems(self, errors)
        if self.certificate_number:
            clash = Coin.objects.filter(
                grade_service=self.grade_service, certificate_number=self.certificate_number
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["certificate_number"] = (
                    f"Certificate {self.certificate_number} is already recorded on coin {clash.first()}."
                )
        if errors:
            raise ValidationError(errors)


def coin_image_path(instance: "CoinImage", filename: str) -> str:
    """Uploaded files get generated names: a user's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"}:
        suffix = ".jpg"
    return f"coins/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class CoinImage(models.Model):
    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="images", db_index=False)
    image = models.ImageField(
        upload_to=coin_image_path, blank=True, max_length=200, validators=[validate_image_upload]
    )
    # Made from `image` on save; lists show it instead of the full file.
    thumbnail = models.ImageField(upload_to="thumbs/", blank=True, editable=False, max_length=200)
    source_url = models.URLField(max_length=1000, blank=True)
    kind = models.CharField(max_length=20, choices=ImageKind.choices, default=ImageKind.OTHER)
    is_primary = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["coin", "-is_primary", "position", "id"]
        constraints = [
            # Lists show one picture per coin; two primaries made the earlier system show either.
            models.UniqueConstraint(
                fields=["coin"], condition=models.Q(is_primary=True), name="coinimage_one_primary"
            ),
            # An image row with neither a file nor a URL shows nothing.
            models.CheckConstraint(
                condition=~models.Q(image="") | ~models.Q(source_url=""), name="coinimage_file_or_url"
            ),
        ]
        indexes = [
            # Coin detail and the list's primary-image prefetch read a coin's images in order.
            models.Index(fields=["coin", "is_primary", "position"], name="coinimage_coin_idx"),
        ]

    def __str__(self) -> str:
        # Captions name the coin as its owner does (its inventory number), not by a database id; the
        # admin's image inline reads the coin with its images, so this costs no query there.
        coin = self.coin if self.coin_id else None
        label = (coin.inventory_number or f"coin #{coin.pk}") if coin else "no coin"
        return f"{self.get_kind_display()} of {label}"

    def save(self, *args, **kwargs):
        if self.image and not self.thumbnail:
            from .images import make_thumbnail

            self.image.open()
            thumb = make_thumbnail(self.image)
            self.thumbnail.save(thumb.name, thumb, save=False)
        # Making this image primary clears the old primary in the same transaction, so the
        # one-primary constraint never fires on a legitimate change.
        with transaction.atomic():
            if self.is_primary:
                CoinImage.objects.filter(coin_id=self.coin_id, is_primary=True).exclude(pk=self.pk).update(
                    is_primary=False
                )
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # A coin with images always has exactly one primary: when the primary goes, the first of the
        # others (by position) takes its place, in the same transaction.
        # Asked of the database, not of this instance: it may have been made primary since it was read.
        coin_id = self.coin_id
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            ensure_primary_image(coin_id)
        return result

    def clean(self):
        super().clean()
        if not self.image and not self.source_url:
            raise ValidationError("Give an image file or the URL it comes from.")

    def make_primary(self) -> None:
        self.is_primary = True
        self.save(update_fields=["is_primary"])

    @property
    def display_url(self) -> str:
        return self.image.url if self.image else self.source_url

    @property
    def thumbnail_url(self) -> str:
        if self.thumbnail:
            return self.thumbnail.url
        return self.display_url


def ensure_primary_image(coin_id: int) -> "CoinImage | None":
    """Make the coin's first image (by position) its primary when it has images and none is primary
    (the last primary was deleted or unticked); return the image made primary, else None."""
    images = CoinImage.objects.filter(coin_id=coin_id)
    if images.filter(is_primary=True).exists():
        return None
    first = images.order_by("position", "id").first()
    if first is not None:
        first.make_primary()
    return first


class Citation(models.Model):
    """The fields of one catalogue citation, shared by a coin's references and a lot's.

    `volume` keeps the main volume only ("IV" of "RIC IV.2 254c"): comparable lots are found by
    (system, volume, number), and houses cite the same type with and without the part. The full,
    normalised citation is kept in `citation_text` for display and export, the text as written in
    `raw_text`.
    """

    system = models.CharField(max_length=40, blank=True, help_text="RIC, RPC, Crawford, RSC, Sear, ...")
    volume = models.CharField(max_length=40, blank=True)
    number = models.CharField(max_length=40, blank=True)
    variant = models.CharField(max_length=20, blank=True)
    raw_text = models.CharField("as written", max_length=300)
    citation_text = models.CharField(
        "citation",
        max_length=200,
        blank=True,
        help_text='Normalised, e.g. "RIC IV.2 254c". `volume` holds the main volume only ("IV"), so '
        "a lot citing RIC IV 254c matches a coin cited as RIC IV.2 254c.",
    )
    is_cf = models.BooleanField("cf.", default=False, help_text="A near, not exact, match.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        text = self.citation_text or " ".join(
            p for p in (self.system, self.volume, f"{self.number}{self.variant}") if p
        )
        text = text or self.raw_text
        return f"cf. {text}" if self.is_cf else text

    @staticmethod
    def values_from(citation: ParsedCitation, *, is_cf: bool | None = None) -> dict:
        """Field values for a parsed citation (without the coin or lot, nor the position); `is_cf`
        marks it a near match even when its own text does not say "cf."."""
        return {
            "system": citation.system[:40],
            "volume": citation.volume[:40],
            "number": citation.number[:40],
            "variant": citation.variant[:20],
            "raw_text": (citation.raw or citation.display())[:300],
            "citation_text": citation.display()[:200],
            "is_cf": citation.is_cf if is_cf is None else (is_cf or citation.is_cf),
        }


class Reference(Citation):
    """One catalogue citation of a coin: "RIC I 207", "Crawford 335/1c", "cf. RPC I 1701a"."""

    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="references", db_index=False)
    type_uri = models.URLField(
        max_length=300, blank=True, help_text="OCRE, CRRO or RPC type, when derivable."
    )
    # The OCRE/CRRO type the citation resolves to in the type table (vocab.types.resolve_reference);
    # empty when it names no type there or cannot say which. PROTECT: load_types never deletes types.
    type = models.ForeignKey(
        "vocab.CoinType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coin_references",
        db_index=False,
    )
    is_attribution = models.BooleanField(
        "curator's attribution",
        default=False,
        help_text="A type the curator accepted from the suggestions, not a citation the coin came with.",
    )
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.APP,
        help_text="A re-import rewrites only references its sheet wrote.",
    )

    class Meta:
        ordering = ["coin", "position", "id"]
        constraints = [
            # The coin page and series show an attribution by its type: one without a type says nothing.
            models.CheckConstraint(
                condition=models.Q(is_attribution=False) | models.Q(type__isnull=False),
                name="reference_attribution_has_type",
            ),
            # The importer tells its own rows from the curator's by this value.
            models.CheckConstraint(
                condition=models.Q(origin__in=Origin.values), name="reference_origin_known"
            ),
        ]
        indexes = [
            # Coin detail lists a coin's references in order.
            models.Index(fields=["coin", "position"], name="reference_coin_idx"),
            # Comparable lots and "other coins of this type" match on the citation.
            models.Index(fields=["system", "volume", "number"], name="reference_citation_idx"),
            # Series slots filled through their type, and "coins of this type".
            models.Index(fields=["type", "is_cf"], name="reference_type_idx"),
        ]

    def clean(self):
        super().clean()
        if self.is_attribution and self.type_id is None:
            raise ValidationError({"type": "An attribution names the type the curator accepted."})


class ProvenanceEvent(models.Model):
    """One step of a coin's history, oldest first by `order`."""

    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="provenance", db_index=False)
    kind = models.CharField(max_length=20, choices=ProvenanceKind.choices, default=ProvenanceKind.UNKNOWN)
    name = models.CharField(max_length=300, blank=True, help_text="House, dealer or collection.")
    sale = models.CharField(max_length=200, blank=True)
    lot = models.CharField(max_length=50, blank=True)
    date = models.DateField(null=True, blank=True)
    date_text = models.CharField(max_length=100, blank=True)
    hammer = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    buyers_premium_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    auction_lot = models.ForeignKey(
        "auctions.AuctionLot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provenance_events",
    )
    raw_text = models.TextField("as written", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.APP,
        help_text="A re-import rewrites only events its sheet wrote.",
    )

    class Meta:
        ordering = ["coin", "order", "id"]
        constraints = [
            # The importer tells its own rows from the curator's by this value.
            models.CheckConstraint(
                condition=models.Q(origin__in=Origin.values), name="provenance_origin_known"
            ),
            not_negative_when_set("hammer", "provenance_hammer_not_negative"),
            not_negative_when_set("total", "provenance_total_not_negative"),
            between_when_set("buyers_premium_pct", 0, 100, "provenance_premium_0_100"),
            currency_code_check("currency", "provenance_currency_code"),
        ]
        indexes = [
            # The coin page's provenance timeline.
            models.Index(fields=["coin", "order"], name="provenance_coin_idx"),
        ]

    def __str__(self) -> str:
        return self.raw_text or " ".join(
            p for p in (self.name, self.sale, f"lot {self.lot}" if self.lot else "") if p
        )

    @classmethod
    def from_item(cls, coin: Coin, item, *, order: int, origin: str) -> "ProvenanceEvent":
        """An unsaved event for one parsed pedigree step (numismatics.provenance.ProvenanceItem), its
        texts cut to the columns' sizes; the prices and URL a spreadsheet's item carries (`extras`)
        come along."""
        return cls(
            coin=coin,
            kind=item.kind,
            name=item.name[:300],
            sale=item.sale[:200],
            lot=item.lot[:50],
            date=item.date,
            date_text=item.date_text[:100],
            raw_text=item.raw,
            order=order,
            origin=origin,
            **getattr(item, "extras", {}),
        )

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        for field in ("hammer", "total"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "A price cannot be negative."
        if self.buyers_premium_pct is not None and not 0 <= self.buyers_premium_pct <= 100:
            errors["buyers_premium_pct"] = "A buyer's premium is a percentage from 0 to 100."
        _currency_clean(self.currency, "currency", errors)
        if errors:
            raise ValidationError(errors)


class SeriesQuerySet(models.QuerySet):
    def with_progress(self):
        """slot_count, filled_count (slots with a coin in them, or a coin of their type) and
        coin_count (coins in the series either way), in the same query as the series.

        coin_count adds the series' member coins to the coins citing one of its slots' types that
        are not members: each part read from its own indexes (memberships by series, references by
        type), never by testing every coin of the collection against the series (which took 1.7 s
        for four series at 100,000 coins)."""
        members = (
            SeriesMembership.objects.filter(series=models.OuterRef("pk"))
            .order_by()
            .values("series")
            .annotate(n=models.Count("coin", distinct=True))
            .values("n")
        )
        citing = (
            Reference.objects.filter(is_cf=False, type__series_slots__series=models.OuterRef("pk"))
            .exclude(
                models.Exists(
                    SeriesMembership.objects.filter(
                        series=models.OuterRef(models.OuterRef("pk")), coin=models.OuterRef("coin")
                    )
                )
            )
            .order_by()
            .values("type__series_slots__series")
            .annotate(n=models.Count("coin", distinct=True))
            .values("n")
        )
        filled = models.Q(slots__memberships__isnull=False) | models.Q(
            slots__type__coin_references__is_cf=False
        )
        return self.annotate(
            slot_count=models.Count("slots", distinct=True),
            filled_count=models.Count("slots", filter=filled, distinct=True),
            coin_count=Coalesce(models.Subquery(members, output_field=models.IntegerField()), 0)
            + Coalesce(models.Subquery(citing, output_field=models.IntegerField()), 0),
        )


class Series(models.Model):
    """A set a collector tries to complete, such as the Twelve Caesars. A slot may be one catalogued
    type (SeriesSlot.type): a series of types fills itself from the coins' references."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(
        default=False, editable=False, help_text="Made by the demo generator; remove_demo deletes it."
    )

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"
        constraints = [
            # /series/<slug>/ addresses one series.
            models.UniqueConstraint(fields=["slug"], name="series_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:series_detail", args=[self.slug])


class SeriesSlot(models.Model):
    """One place in a series ("3. Caligula"). Its status is derived from memberships, never typed in."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="slots", db_index=False)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    issuer = models.ForeignKey(
        "vocab.Issuer", on_delete=models.PROTECT, null=True, blank=True, related_name="series_slots"
    )
    # A slot for one catalogued type: coins whose references resolve to it fill the slot by themselves.
    type = models.ForeignKey(
        "vocab.CoinType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series_slots",
        help_text="Coins whose references resolve to this type fill the slot.",
    )
    wanted = models.BooleanField(default=False, help_text="Actively looking for a coin for this slot.")

    class Meta:
        ordering = ["series", "number"]
        constraints = [
            # Slots are shown and addressed in order; two slot 3s would make the grid ambiguous.
            models.UniqueConstraint(fields=["series", "number"], name="seriesslot_number_unique"),
            # A type fills one slot of a series; two would count one coin twice towards completion.
            models.UniqueConstraint(
                fields=["series", "type"],
                condition=models.Q(type__isnull=False),
                name="seriesslot_type_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self):
        super().clean()
        if self.type_id and self.series_id:
            clash = SeriesSlot.objects.filter(series_id=self.series_id, type_id=self.type_id).exclude(
                pk=self.pk
            )
            if clash.exists():
                raise ValidationError({"type": f"Slot {clash.first()} of this series already has this type."})

    def status_from(self, memberships) -> str:
        """The slot's status given its memberships (already fetched, so a grid costs no query per slot)."""
        if memberships:
            # Coins of the slot's type (references) fill it like memberships; only a membership says
            # "upgrade wanted".
            if any(getattr(m, "needs_upgrade", False) for m in memberships):
                return SlotStatus.UPGRADE
            return SlotStatus.FILLED
        return SlotStatus.WANTED if self.wanted else SlotStatus.EMPTY


class SeriesMembership(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    coin = models.ForeignKey(
        Coin, on_delete=models.CASCADE, related_name="series_memberships", db_index=False
    )
    slot = models.ForeignKey(
        SeriesSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    needs_upgrade = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["series", "slot__number", "id"]
        constraints = [
            # A coin counts once towards a series' completion.
            models.UniqueConstraint(fields=["series", "coin"], name="membership_series_coin_unique"),
        ]
        indexes = [
            # "Which series is this coin in" (coin page, ?in_series= filter).
            models.Index(fields=["coin", "series"], name="membership_coin_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.coin} in {self.series}"

    def clean(self):
        super().clean()
        if self.slot_id and self.series_id and self.slot.series_id != self.series_id:
            raise ValidationError({"slot": "This slot belongs to another series."})


class ImportBatch(models.Model):
    """One import of a file (spreadsheet, Numista export, OpenNumismat collection): what it was and what
    it did, so its result can link to the coins it created or changed (`/coins/?import_batch=N`)."""

    source = models.CharField(max_length=20, choices=ImportSource.choices, default=ImportSource.SHEET)
    file_name = models.CharField(max_length=255, blank=True, help_text="The name the file was given as.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=ImportSource.values), name="importbatch_source_known"
            ),
        ]
        indexes = [models.Index(fields=["-created_at"], name="importbatch_recent_idx")]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name or 'a file'}"

    def clean(self):
        super().clean()
        if self.source not in ImportSource.values:
            raise ValidationError(
                {"source": "An import reads a spreadsheet, a Numista export or OpenNumismat."}
            )


class ImportedCoin(models.Model):
    """A coin an import created or changed (coins it left unchanged are not listed)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="coins", db_index=False)
    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="import_records", db_index=False)
    action = models.CharField(max_length=10, choices=[("created", "Created"), ("updated", "Updated")])
    row = models.PositiveIntegerField(null=True, blank=True, help_text="The row of the file, as it shows it.")

    class Meta:
        ordering = ["batch", "row", "id"]
        constraints = [
            # A coin is listed once per import (the filter joins on it without repeating coins).
            models.UniqueConstraint(fields=["batch", "coin"], name="importedcoin_batch_coin_unique"),
            models.CheckConstraint(
                condition=models.Q(action__in=("created", "updated")), name="importedcoin_action_known"
            ),
        ]
        indexes = [
            # "Which imports touched this coin" (and deleting a coin).
            models.Index(fields=["coin"], name="importedcoin_coin_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.coin} {self.action} by import {self.batch_id}"

    def clean(self):
        super().clean()
        if self.action not in ("created", "updated"):
            raise ValidationError({"action": "An import record says the coin was created or updated."})


class ColumnMapping(models.Model):
    """The column mapping a user chose for files with a given header row, remembered for the next file
    with the same headers (the upload page's mapping screen)."""

    headers_key = models.CharField(max_length=64, help_text="A digest of the header row, as written.")
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Column header -> field key, 'keep' or 'ignore'.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One remembered mapping per header row (looked up by it on every preview).
            models.UniqueConstraint(fields=["headers_key"], name="columnmapping_headers_unique"),
        ]

    def __str__(self) -> str:
        return f"Mapping of {len(self.headers)} columns"

    def clean(self):
        super().clean()
        if not isinstance(self.mapping, dict):
            raise ValidationError({"mapping": "A mapping names a field for each column header."})


# Values (issue 16) live in their own module; imported here so they belong to this app.
from catalog.valuation.models import ManualValue, ValueMethod, ValueSnapshot  # noqa: E402, F401
