"""store_lot(): one ParsedLot into the database, idempotently (one URL is one lot).

Network work (image downloads) happens before the transaction, so the database is never held
locked while a slow site answers; everything for one URL is then written in one short atomic block.
A rescrape updates the row: an open lot that has since closed gets its hammer price, and values the
new page does not state (a listing's shortened text, a missing estimate) do not erase known ones.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from auctions.models import AuctionHouse, AuctionLot, LotImage, LotReference, LotStatus, Sale
from catalog.models import Metal
from numismatics.description import LotDescription, parse_description
from vocab.types import TypeLinker, context_for_lot

from .http import FetchError, fetch
from .types import ParsedLot

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


@dataclass
class StoreResult:
    lot: AuctionLot
    outcome: str  # created / updated / unchanged


@dataclass
class DownloadedImage:
    url: str
    sha256: str
    path: str  # storage name, shared by every lot that shows the same picture


# --- images (before the transaction) --------------------------------------------------------------


def _image_path(sha256: str, extension: str) -> str:
    return f"lots/{sha256[:2]}/{sha256}.{extension}"


def download_image(url: str) -> DownloadedImage:
    """Fetch one image through fetch(), check it is really an image, store it once per SHA-256."""
    limit = int(getattr(settings, "COINSTACK_MAX_IMAGE_BYTES", 15 * 1024 * 1024))
    result = fetch(url, accept="image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8", max_bytes=limit)
    if result.content_type and not result.content_type.startswith("image/"):
        raise FetchError(url, f"{url}: not an image (content type {result.content_type!r}).")
    try:
        with Image.open(io.BytesIO(result.content)) as picture:
            image_format = picture.format
            picture.verify()  # truncated or forged files fail here, before anything is stored
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise FetchError(url, f"{url}: the file is not a readable image ({exc}).") from exc
    if image_format not in _IMAGE_FORMATS:
        raise FetchError(url, f"{url}: unsupported image format {image_format}.")
    sha256 = hashlib.sha256(result.content).hexdigest()
    path = _image_path(sha256, _IMAGE_FORMATS[image_format])
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


def _house(name: str) -> AuctionHouse:
    name = name.strip()[:200] or "Unknown"
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


def _lot_values(parsed: ParsedLot, existing: AuctionLot | None) -> dict:
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
        # Unstated values keep the stored ones.
        values = {k: v for k, v in values.items() if v not in (None, "") or k == "hammer_price"}
        if values.get("hammer_price") is None and values.get("status", existing.status) != LotStatus.UNSOLD:
            values.pop("hammer_price", None)
    if values.get("status") == LotStatus.UNSOLD:
        values["hammer_price"] = None  # the database refuses an unsold lot with a hammer price
    if "description" in values:
        values.update(_coin_fields(parse_description(values["description"])))
    return values


def _write_references(lot: AuctionLot) -> None:
    described = parse_description(lot.description)
    lot.references.all().delete()
    citations = [(c, False) for c in described.references] + [(c, True) for c in described.cf_references]
    references = [
        LotReference(lot=lot, position=position, **LotReference.values_from(c, is_cf=is_cf))
        for position, (c, is_cf) in enumerate(citations)
    ]
    # RIC and Crawford citations linked to their OCRE/CRRO type, read with the whole description.
    linker, context = TypeLinker(), context_for_lot(described, lot.description)
    for reference in references:
        linker.resolve_reference(reference, context)
    LotReference.objects.bulk_create(references)


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
    parsed: ParsedLot, *, coin=None, role: str | None = None, download_images: bool = True
) -> StoreResult:
    """Create or update the lot for parsed.url, with its house, sale, references and images."""
    downloaded = _download_missing(parsed) if download_images else {}
    with transaction.atomic():
        existing = AuctionLot.objects.select_for_update().filter(url=parsed.url).first()
        house = _house(parsed.house_name)
        sale = _sale(house, parsed)
        values = _lot_values(parsed, existing)
        values["house"] = house
        if sale is not None or existing is None:
            values["sale"] = sale
        if coin is not None:
            values["coin"] = coin
            values["coin_role"] = role or (existing.coin_role if existing else "") or ""
        elif role and existing is not None and existing.coin_id:
            values["coin_role"] = role
        if existing is None:
            lot = AuctionLot(url=parsed.url, **values)
            lot.full_clean(validate_unique=False, validate_constraints=False)
            lot.scraped_at = timezone.now()
            lot.save()
            _write_references(lot)
            _write_images(lot, parsed.image_urls, downloaded)
            return StoreResult(lot, CREATED)
        changed = [key for key, value in values.items() if getattr(existing, key) != value]
        for key in changed:
            setattr(existing, key, values[key])
        existing.scraped_at = timezone.now()
        if changed:
            existing.full_clean(validate_unique=False, validate_constraints=False)
            existing.save()
            if "description" in changed:
                _write_references(existing)
        else:
            AuctionLot.objects.filter(pk=existing.pk).update(scraped_at=existing.scraped_at)
        images_changed = _write_images(existing, parsed.image_urls, downloaded)
        return StoreResult(existing, UPDATED if changed or images_changed else UNCHANGED)
