"""Forms of the staff page "Add an auction lot": the page as given, then the lot as read (to correct).

The first form takes a URL and the page, pasted or uploaded (bounded in size and kind); the second
holds every field read from it, each editable, and repeats the database's rules in words so a
correction that breaks one is refused with a message, never with an error page.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.conf import settings

from catalog.models import Coin

from .models import AuctionLot, CoinRole, LotStatus

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".mhtml", ".mht")


def max_page_bytes() -> int:
    """Largest page accepted (settings.COINSTACK_LOT_PAGE_MAX_BYTES, default 5 MB)."""
    return int(getattr(settings, "COINSTACK_LOT_PAGE_MAX_BYTES", 5 * 1024 * 1024))


def max_text_chars() -> int:
    return int(getattr(settings, "COINSTACK_LOT_TEXT_MAX_CHARS", 300_000))


class CoinLinkMixin(forms.Form):
    """An optional coin (its inventory number, or #id) and how the lot relates to it."""

    coin = forms.CharField(
        required=False,
        max_length=60,
        label="Link to coin (inventory number, or # and its id)",
        help_text="Leave empty to store the lot without a coin.",
    )
    role = forms.ChoiceField(choices=[("", "—"), *CoinRole.choices], required=False, label="As the coin's")

    def clean_coin(self) -> Coin | None:
        written = self.cleaned_data.get("coin", "").strip()
        if not written:
            return None
        coin = None
        if re.fullmatch(r"#\s*\d{1,12}", written):
            coin = Coin.objects.filter(pk=int(written.lstrip("#").strip())).first()
        if coin is None:
            coin = Coin.objects.filter(inventory_number__iexact=written).first()
        if coin is None:
            raise forms.ValidationError(f"No coin has the inventory number or id “{written}”.")
        return coin

    def clean(self):
        data = super().clean()
        if data.get("coin") is not None and not data.get("role"):
            self.add_error(
                "role", "Say how the lot relates to the coin: acquisition, provenance or comparable."
            )
        if data.get("role") and data.get("coin") is None and not self.errors.get("coin"):
            self.add_error(
                "coin", "Choose the coin this lot is the acquisition, provenance or comparable of."
            )
        return data


class PageForm(CoinLinkMixin):
    """Step 1: where the lot is, and its page (pasted text, or a saved file)."""

    url = forms.URLField(
        max_length=1000,
        assume_scheme="https",
        label="Lot URL",
        help_text="The address of the lot's page: one URL is one lot.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        label="Page text (paste everything the page shows)",
        strip=False,
    )
    page = forms.FileField(
        required=False,
        label="…or the saved page (.html, .htm, .txt, .mhtml)",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PAGE_SUFFIXES)}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        if len(text) > max_text_chars():
            raise forms.ValidationError(
                f"The pasted text is longer than {max_text_chars():,} characters; paste only the lot's page."
            )
        return text

    def clean_page(self):
        upload = self.cleaned_data.get("page")
        if upload is None:
            return None
        name = (upload.name or "").lower()
        if not name.endswith(PAGE_SUFFIXES):
            raise forms.ValidationError(
                f"“{upload.name}” is not a saved page: use a .html, .htm, .txt or .mhtml file."
            )
        if upload.size > max_page_bytes():
            raise forms.ValidationError(
                f"“{upload.name}” is larger than {max_page_bytes() // (1024 * 1024)} MB; "
                "save the page as HTML only, without its images."
            )
        return upload

    def clean(self):
        data = super().clean()
        has_text = bool((data.get("text") or "").strip())
        has_file = data.get("page") is not None
        if not self.errors.get("text") and not self.errors.get("page"):
            if has_text and has_file:
                raise forms.ValidationError(
                    "Give the page once: paste its text or upload the file, not both."
                )
            if not has_text and not has_file:
                raise forms.ValidationError("Paste the page's text or upload the saved page.")
        return data

    def content(self) -> bytes | str:
        """The page as given: the pasted text, or the uploaded file's bytes (already size-checked)."""
        upload = self.cleaned_data.get("page")
        if upload is not None:
            return b"".join(upload.chunks())
        return self.cleaned_data["text"]


class LotForm(CoinLinkMixin):
    """Step 2: the lot as read, every field correctable, then stored."""

    url = forms.URLField(max_length=1000, assume_scheme="https", widget=forms.HiddenInput)
    platform = forms.CharField(max_length=20, widget=forms.HiddenInput)
    house_name = forms.CharField(max_length=200, label="House")
    sale_name = forms.CharField(max_length=300, required=False, label="Sale")
    sale_number = forms.CharField(max_length=50, required=False, label="Sale number")
    sale_date = forms.DateField(
        required=False, label="Sale date", widget=forms.DateInput(attrs={"type": "date"})
    )
    lot_number = forms.CharField(max_length=30, required=False, label="Lot number")
    title = forms.CharField(max_length=500, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), max_length=100_000, strip=False)
    estimate_low = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    estimate_high = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    starting_price = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    hammer_price = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label="Hammer / price realized"
    )
    currency = forms.CharField(
        max_length=3, required=False, help_text="Three capital letters: USD, EUR, CHF…"
    )
    buyers_premium_pct = forms.DecimalField(
        required=False, min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2,
        label="Buyer's premium (%)",
    )  # fmt: skip
    status = forms.ChoiceField(choices=[(s, s.capitalize()) for s in ("open", "sold", "unsold", "unknown")])
    image_urls = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20_000)
    description_html = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200_000)
    move_link = forms.BooleanField(
        required=False, label="This lot is linked to another coin: link it to this coin instead"
    )

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if code and not re.fullmatch(r"[A-Z]{3}", code):
            raise forms.ValidationError("A currency is three letters, such as USD, EUR or CHF.")
        return code

    def clean(self):
        data = super().clean()
        low, high = data.get("estimate_low"), data.get("estimate_high")
        # Mirrors AuctionLot's constraints (auctions/models.py), said in words.
        if low is not None and high is not None and low > high:
            self.add_error("estimate_high", "The estimate's upper end is below its lower end.")
        if data.get("status") == LotStatus.UNSOLD and data.get("hammer_price") is not None:
            self.add_error(
                "hammer_price", "An unsold lot has no hammer price: clear it or change the status."
            )
        priced = any(data.get(key) is not None for key in ("estimate_low", "starting_price", "hammer_price"))
        if priced and not data.get("currency"):
            self.add_error("currency", "Give the currency of the prices.")
        coin = data.get("coin")
        url = data.get("url")
        if coin is not None and url and not data.get("move_link"):
            existing = AuctionLot.objects.filter(url=url).select_related("coin").first()
            if existing is not None and existing.coin_id and existing.coin_id != coin.pk:
                self.add_error(
                    "move_link",
                    f"This lot is already linked to coin {existing.coin} (#{existing.coin_id}); tick the box "
                    "to move the link, or clear the coin to leave it where it is.",
                )
        return data

    def image_url_list(self) -> list[str]:
        urls = (self.cleaned_data.get("image_urls") or "").split()
        return [url for url in urls if re.match(r"https?://", url)][:50]
