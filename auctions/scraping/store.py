"""store_lot(): one ParsedLot into the database, idempotently (one URL is one lot).

Network work (image downloads) happens before the transaction, so the database is never held
locked while a slow site answers; everything for one URL is then written in one short atomic block.
A rescrape updates the row: an open lot that has since closed gets its hammer price. A known value
is never replaced by an empty one: what a thinner page does not state (its house, its sale, a
shortened text, an estimate, a weight its description leaves out) keeps the stored value, and the
result names each changed value (old -> new) and each value kept that the page no longer gives.
A lot linked to one coin is never moved to another unless the caller says relink=True.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from auctions.models import AuctionHouse, AuctionLot, LotImage, LotReference, LotStatus, Sale
from catalog.models import Coin, Metal
from coinstack.security import IMAGE_SUFFIX, validate_image_upload
from numismatics.description import LotDescription, parse_description
from vocab.types import TypeLinker, context_for_lot

from .errors import LinkedToAnotherCoin
from .http import FetchError, fetch
from .types import ParsedLot

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
UNKNOWN_HOUSE = "Unknown"


@dataclass
class StoreResult:
    lot: AuctionLot
    outcome: str  # created / updated / unchanged
    # One line per changed value ("status: open → sold"), and the fields the page no longer states
    # whose stored values were kept.
    changes: list[str] = dataclass_field(default_factory=list)
    kept: list[str] = dataclass_field(default_factory=list)


@dataclass
class DownloadedImage:
    url: str
    sha256: str
    path: str  # storage name, shared by every lot that shows the same picture


# --- images (before the transaction) --------------------------------------------------------------


def _image_path(sha256: str, extension: str) -> str:
    return f"lots/{sha256[:2]}/{sha256}.{extension}"


def download_image(url: str) -> DownloadedImage:
    """Fetch one image through fetch(), pass it through the same checks as an upload
    (coinstack.security.validate_image_upload: size, real format, pixel limit, integrity), and
    store it once per SHA-256 under the extension of its real format."""
    limit = int(getattr(settings, "COINSTACK_MAX_IMAGE_BYTES", 15 * 1024 * 1024))
    result = fetch(url, accept="image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8", max_bytes=limit)
    if result.content_type and not result.content_type.startswith("image/"):
        raise FetchError(url, f"{url}: not an image (content type {result.content_type!r}).")
    try:
        # No name: the URL's extension says nothing reliable (CDNs serve WebP as ".jpg"); the stored
        # copy is named by the real format below.
        image_format = validate_image_upload(ContentFile(result.content))
    except ValidationError as exc:
        raise FetchError(url, f"{url}: image refused: {' '.join(exc.messages)}") from exc
    sha256 = hashlib.sha256(result.content).hexdigest()
    path = _image_path(sha256, IMAGE_SUFFIX[image_format].lstrip("."))
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(result.content))
    return DownloadedImage(url=url, sha256=sha256, path=path)


def _download_missing(parsed: ParsedLot) -> dict[str, DownloadedImage]:
    """Images of this lot not yet stored; one failed image is logged and skipped, not fatal."""
    stored = set(
        LotImage.objects.filter(lot__url=parsed.url, url__in=parsed.image_urls)
        .exclude(image="")
        .values_list("url", flat=True)
    )
    downloaded: dict[str, DownloadedImage] = {}
    for url in parsed.image_urls:
        if url in stored or url in downloaded:
            continue
        try:
            downloaded[url] = download_image(url)
        except FetchError as exc:
            logger.warning("image skipped: %s", exc)
    return downloaded


# --- houses and sales -----------------------------------------------------------------------------


# What parsers write when a page names no house ("Unknown", "Unknown (NumisBids)"): not a name.
_PLACEHOLDER_HOUSE = re.compile(r"unknown\b", re.IGNORECASE)


def names_a_house(name: str) -> bool:
    name = name.strip()
    return bool(name) and not _PLACEHOLDER_HOUSE.match(name)


def _house(name: str, existing: AuctionLot | None) -> AuctionHouse:
    """The house the page names; a page that names none (or only a placeholder) keeps the stored
    lot's house. A new lot from such a page gets the placeholder (or "Unknown")."""
    name = name.strip()[:200]
    if not names_a_house(name) and existing is not None and existing.house_id:
        return existing.house
    name = name or UNKNOWN_HOUSE
    house = AuctionHouse.objects.filter(name__iexact=name).first()
    if house:
        return house
    base = slugify(name)[:190] or "house"
    slug, n = base, 2
    while AuctionHouse.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return AuctionHouse.objects.create(name=name, slug=slug)


def _sale(house: AuctionHouse, parsed: ParsedLot) -> Sale | None:
    """The lot's sale, found by house + number, else by its platform URL, else by name."""
    number, name = parsed.sale_number.strip()[:50], parsed.sale_name.strip()[:300]
    sale = None
    if number:
        sale = Sale.objects.filter(house=house, number=number).first()
    if sale is None and parsed.sale_url:
        sale = Sale.objects.filter(house=house, url=parsed.sale_url).first()
    if sale is None and name:
        sale = Sale.objects.filter(house=house, name=name).first()
    if sale is None:
        if not (number or name or parsed.sale_url):
            return None
        return Sale.objects.create(
            house=house, number=number, name=name, date=parsed.sale_date, url=parsed.sale_url[:1000]
        )
    # Fill what an earlier, thinner page did not say; never blank what is known.
    changed = []
    for field, value in (
        ("number", number),
        ("name", name),
        ("date", parsed.sale_date),
        ("url", parsed.sale_url),
    ):
        if value and not getattr(sale, field):
            if field == "number" and Sale.objects.filter(house=house, number=number).exists():
                continue
            setattr(sale, field, value)
            changed.append(field)
    if changed:
        sale.save(update_fields=changed)
    return sale


# --- the lot --------------------------------------------------------------------------------------


def _coin_fields(described: LotDescription) -> dict:
    """The coin as the description states it, kept only when it fits the model's rules."""
    metal = described.metal if described.metal in Metal.values else ""
    start, end = described.year_start, described.year_end
    if start is None or end is None or start > end or 0 in (start, end):
        start = end = None
    weight = described.weight_g if described.weight_g and 0 < described.weight_g < 10000 else None
    diameter = described.diameter_mm if described.diameter_mm and 0 < described.diameter_mm < 1000 else None
    axis = described.die_axis if described.die_axis and 1 <= described.die_axis <= 12 else None
    references = [c.display() for c in described.references] + [
        f"cf. {c.display()}" for c in described.cf_references
    ]
    return {
        "issuer_text": described.issuer[:200],
        "mint_text": described.mint[:200],
        "denomination_text": described.denomination[:100],
        "metal": metal,
        "year_start": start,
        "year_end": end,
        "weight_g": weight.quantize(Decimal("0.001")) if weight is not None else None,
        "diameter_mm": diameter.quantize(Decimal("0.01")) if diameter is not None else None,
        "die_axis": axis,
        "grade": described.grade[:200],
        "grade_band": described.grade_band,
        "references_text": "; ".join(references),
    }


def _is_shortened(text: str) -> bool:
    return text.rstrip().endswith(("...", "…"))


def _lot_values(parsed: ParsedLot, existing: AuctionLot | None) -> tuple[dict, list[str]]:
    """The lot's fields as the page states them, and (for a rescrape) the fields it no longer
    states whose stored values are kept. A known value is never replaced by an empty one; the one
    deliberate clearing is the hammer price of a lot the page now calls unsold (the database
    refuses an unsold lot with a hammer price)."""
    currency = parsed.currency if re.fullmatch(r"[A-Z]{3}", parsed.currency or "") else ""
    premium = parsed.buyers_premium_pct if parsed.buyers_premium_pct is not None else None
    if premium is not None and not 0 <= premium <= 100:
        premium = None
    values = {
        "platform": parsed.platform,
        "lot_number": parsed.lot_number[:30],
        "title": parsed.title[:500],
        "description": parsed.description,
        "description_html": parsed.description_html,
        "estimate_low": parsed.estimate_low,
        "estimate_high": parsed.estimate_high,
        "starting_price": parsed.starting_price,
        "hammer_price": parsed.hammer_price,
        "currency": currency,
        "buyers_premium_pct": premium,
        "closing_date": parsed.closing_date,
        "status": parsed.status,
    }
    if existing is not None:
        # A listing's shortened text must not replace the full description a lot page gave.
        if _is_shortened(parsed.description) and len(existing.description) > len(parsed.description):
            for key in ("description", "description_html", "title"):
                values.pop(key)
        # "unknown" says nothing new; keep what we knew.
        if parsed.status == "unknown" and existing.status != LotStatus.PENDING:
            values.pop("status")
    if "description" in values:
        values.update(_coin_fields(parse_description(values["description"])))
    unsold = values.get("status") == LotStatus.UNSOLD
    kept: list[str] = []
    if existing is not None:
        for key in list(values):
            if values[key] not in (None, "") or (key == "hammer_price" and unsold):
                continue
            del values[key]  # unstated: the stored value stays
            if getattr(existing, key) not in (None, ""):
                kept.append(key)
    if unsold:
        values["hammer_price"] = None
    return values, kept


def _write_references(lot: AuctionLot) -> None:
    """The lot's citations, re-read from its description. A description that cites nothing keeps
    the citations an earlier, fuller text gave (as references_text does)."""
    described = parse_description(lot.description)
    citations = [(c, False) for c in described.references] + [(c, True) for c in described.cf_references]
    if not citations and lot.references.exists():
        return
    lot.references.all().delete()
    references = [
        LotReference(lot=lot, position=position, **LotReference.values_from(c, is_cf=is_cf))
        for position, (c, is_cf) in enumerate(citations)
    ]
    # RIC and Crawford citations linked to their OCRE/CRRO type, read with the whole description.
    linker, context = TypeLinker(), context_for_lot(described, lot.description)
    for reference in references:
        linker.resolve_reference(reference, context)
    LotReference.objects.bulk_create(references)


# --- reporting and the coin link --------------------------------------------------------------------

_LONG_TEXT = {"description", "description_html", "references_text"}


def _shown(key: str, value) -> str:
    """A value as a change line shows it: short, and long texts by their length only."""
    if value is None or value == "":
        return "none"
    if key in _LONG_TEXT:
        return f"{len(value):,} characters"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def coin_label(coin: Coin) -> str:
    """How a message names a coin: its id and inventory number (else what it is)."""
    return f"coin {coin.pk} ({coin.inventory_number or coin})"


def refuse_move(url: str, lot: AuctionLot, coin: Coin, relink: bool) -> None:
    """Raise LinkedToAnotherCoin when linking `lot` to `coin` would take it from another coin."""
    if relink or not lot.coin_id or lot.coin_id == coin.pk:
        return
    holder = Coin.objects.filter(pk=lot.coin_id).first()
    held_by = coin_label(holder) if holder else f"coin {lot.coin_id}"
    role = f" as {lot.get_coin_role_display().lower()}" if lot.coin_role else ""
    raise LinkedToAnotherCoin(
        url,
        f"{url}: not linked to {coin_label(coin)}: this lot is linked to {held_by}{role}. "
        "Nothing was changed. To move it, scrape again with --relink "
        '(in the admin: tick "Move the lot to this coin").',
    )


def link_changes(lot: AuctionLot, coin: Coin, role: str | None) -> list[str]:
    """Link `lot` to `coin` (in memory) and describe what that changed."""
    changes = []
    if lot.coin_id != coin.pk:
        before = f"coin {lot.coin_id}" if lot.coin_id else "none"
        changes.append(f"coin: {before} → {coin_label(coin)}")
        lot.coin = coin
    new_role = role or lot.coin_role or ""
    if new_role != lot.coin_role:
        changes.append(f"coin_role: {lot.coin_role or 'none'} → {new_role or 'none'}")
        lot.coin_role = new_role
    return changes


def _write_images(lot: AuctionLot, urls: list[str], downloaded: dict[str, DownloadedImage]) -> bool:
    existing = {image.url: image for image in lot.images.all()}
    changed = False
    for position, url in enumerate(urls):
        image = existing.get(url) or LotImage(lot=lot, url=url[:1000])
        fresh = downloaded.get(url)
        dirty = image.pk is None or image.position != position
        image.position = position
        if fresh and image.sha256 != fresh.sha256:
            image.sha256 = fresh.sha256
            image.image.name = fresh.path
            dirty = True
        if dirty:
            image.save()
            changed = True
    return changed


def store_lot(
    parsed: ParsedLot,
    *,
    coin: Coin | None = None,
    role: str | None = None,
    download_images: bool = True,
    relink: bool = False,
) -> StoreResult:
    """Create or update the lot for parsed.url, with its house, sale, references and images.

    Raises LinkedToAnotherCoin (writing nothing) when `coin` is given, the lot is already linked to
    another coin and `relink` is not set.
    """
    if coin is not None:
        known = AuctionLot.objects.filter(url=parsed.url).only("coin", "coin_role").first()
        if known is not None:
            refuse_move(parsed.url, known, coin, relink)  # before any image is downloaded
    downloaded = _download_missing(parsed) if download_images else {}
    with transaction.atomic():
        existing = AuctionLot.objects.select_for_update().filter(url=parsed.url).first()
        if existing is not None and coin is not None:
            refuse_move(parsed.url, existing, coin, relink)  # again, under the row lock
        house = _house(parsed.house_name, existing)
        sale = _sale(house, parsed)
        values, kept = _lot_values(parsed, existing)
        if existing is None:
            lot = AuctionLot(url=parsed.url, house=house, sale=sale, **values)
            if coin is not None:
                lot.coin, lot.coin_role = coin, role or ""
            lot.full_clean(validate_unique=False, validate_constraints=False)
            lot.scraped_at = timezone.now()
            lot.save()
            _write_references(lot)
            _write_images(lot, parsed.image_urls, downloaded)
            return StoreResult(lot, CREATED)

        changes = [
            f"{key}: {_shown(key, getattr(existing, key))} → {_shown(key, value)}"
            for key, value in values.items()
            if getattr(existing, key) != value
        ]
        changed_keys = [key for key, value in values.items() if getattr(existing, key) != value]
        for key in changed_keys:
            setattr(existing, key, values[key])
        if existing.house_id != house.pk:
            changes.append(f"house: {existing.house or 'none'} → {house}")
            existing.house = house
        if sale is None and existing.sale_id and existing.sale.house_id != house.pk:
            # The page names another house and no sale: the stored sale (of the old house) cannot be it.
            changes.append(f"sale: {existing.sale} → none (it was a sale of {existing.sale.house})")
            existing.sale = None
        elif sale is not None and existing.sale_id != sale.pk:
            changes.append(f"sale: {existing.sale or 'none'} → {sale}")
            existing.sale = sale
        elif sale is None and existing.sale_id:
            kept.append("sale")
        if not names_a_house(parsed.house_name) and names_a_house(house.name):
            kept.append("house")
        if coin is not None:
            changes += link_changes(existing, coin, role)
        elif role and existing.coin_id and role != existing.coin_role:
            changes.append(f"coin_role: {existing.coin_role or 'none'} → {role}")
            existing.coin_role = role
        existing.scraped_at = timezone.now()
        if changes:
            existing.full_clean(validate_unique=False, validate_constraints=False)
            existing.save()
            if "description" in changed_keys:
                _write_references(existing)
        else:
            AuctionLot.objects.filter(pk=existing.pk).update(scraped_at=existing.scraped_at)
        images_changed = _write_images(existing, parsed.image_urls, downloaded)
        if images_changed:
            changes.append("images")
        return StoreResult(existing, UPDATED if changes else UNCHANGED, changes, kept)
