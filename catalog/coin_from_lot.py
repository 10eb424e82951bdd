"""Make a coin of the collection from an auction lot it was bought at, in one step.

What the scraper read from the lot (its fields, its stored citations and images) and what its
description states beyond them (legends, circa, the slab, provenance lines) become the coin's record:
issuer, mint and denomination through the vocabulary (vocab.matching; a name it does not know is
left to the curator, named in the outcome's notes), references linked to their types (catalog.attribution),
provenance events (numismatics.provenance, through ProvenanceEvent.from_item), the lot's images
copied, the purchase as acquisition (house, date, hammer plus premium when the premium is known,
currency, URL) and as the last step of the provenance. The lot is linked as where the coin was
bought. All in one transaction; a lot already linked to a coin makes nothing (its coin is returned).
It lives in catalog (which may use auctions), as the lot admin's action does (catalog/admin.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from auctions.models import AuctionLot, CoinRole
from auctions.scraping.store import names_a_house
from numismatics.categories import parse_category
from numismatics.description import LotDescription, parse_description
from numismatics.grades import parse_grade
from numismatics.legends import split_legend
from numismatics.provenance import parse_provenance
from vocab.matching import VocabMatcher
from vocab.models import Denomination, Issuer, Mint

from .attribution import link_references
from .choices import Category, GradeService, GradingState, ImageKind, Origin, ProvenanceKind
from .models import Coin, CoinImage, ProvenanceEvent, Reference

# The series a citation system catalogues: the most reliable word on a coin's category. Systems that
# span series (BMC, Sear, Calicó) say nothing and are passed over.
CATEGORY_BY_SYSTEM = {
    **dict.fromkeys(("RIC", "RSC", "Cohen", "BMCRE", "MIR", "Göbl", "Hill"), Category.ROMAN_IMPERIAL),
    **dict.fromkeys(("Crawford", "RRC", "Sydenham", "BMCRR", "Babelon"), Category.ROMAN_REPUBLICAN),
    **dict.fromkeys(("RPC", "Emmett", "Dattari", "K&G", "Köln", "Milne"), Category.ROMAN_PROVINCIAL),
    **dict.fromkeys(("SNG", "HGC", "Traité", "Price", "Newell"), Category.GREEK),
    **dict.fromkeys(("DOC", "MIB", "MIBE"), Category.BYZANTINE),
    **dict.fromkeys(("Hendin", "Meshorer", "TJC", "AJC"), Category.JUDAEAN),
}


@dataclass
class CoinFromLot:
    """The outcome: the coin, whether it was made now, and what the curator should check."""

    coin: Coin
    created: bool
    notes: list[str] = field(default_factory=list)


def make_coin_from_lot(lot_id: int) -> CoinFromLot:
    """The coin bought at this lot: made from it, or the one it is already linked to."""
    with transaction.atomic():
        lot = (
            AuctionLot.objects.select_for_update(of=("self",))
            .select_related("house", "sale", "coin")
            .get(pk=lot_id)
        )
        if lot.coin_id:
            return CoinFromLot(lot.coin, created=False)
        described = parse_description(lot.description)
        notes: list[str] = []
        coin = Coin(**_coin_values(lot, described, notes))
        coin.full_clean(validate_unique=False, validate_constraints=False)
        coin.save()
        _copy_references(lot, coin)
        _write_provenance(lot, coin, described)
        _copy_images(lot, coin)
        lot.coin, lot.coin_role = coin, CoinRole.ACQUISITION
        lot.save(update_fields=["coin", "coin_role", "updated_at"])
        return CoinFromLot(coin, created=True, notes=notes)


def _term(model, name: str, notes: list[str]):
    """The vocabulary's term for the name the lot states (name or alias). A name it does not know is
    left for the curator, never added: a description's heading is not always a name ("Type : Denier")."""
    if not name:
        return None
    matcher = VocabMatcher(model, create=False)
    term = matcher.lookup(name)
    if term is None:
        suggestions = matcher.suggestions_for(name)
        hint = f" (close: {', '.join(suggestions)})" if suggestions else ""
        notes.append(
            f'The lot names the {model._meta.verbose_name} "{name}", unknown to the vocabulary{hint}.'
        )
    return term


def _category(lot: AuctionLot, notes: list[str]) -> str:
    for reference in lot.references.all():
        if reference.system in CATEGORY_BY_SYSTEM:
            return CATEGORY_BY_SYSTEM[reference.system]
    found = parse_category(lot.title)
    if found is None:
        notes.append('Neither the citations nor the title say the series: the category is "Other".')
    return found or Category.OTHER


def purchase_total(lot: AuctionLot) -> Decimal | None:
    """What the buyer paid: the hammer plus the house's premium when the lot states it."""
    if lot.hammer_price is None:
        return None
    if lot.buyers_premium_pct is None:
        return lot.hammer_price
    return (lot.hammer_price * (1 + lot.buyers_premium_pct / 100)).quantize(Decimal("0.01"))


def _house_name(lot: AuctionLot) -> str:
    """The house, unless the scraper could only file the lot under a placeholder ("Unknown ...")."""
    return lot.house.name if lot.house_id and names_a_house(lot.house.name) else ""


def _purchase_date(lot: AuctionLot):
    if lot.closing_date is not None:
        return lot.closing_date.date()
    return lot.sale.date if lot.sale_id else None


def _coin_values(lot: AuctionLot, described: LotDescription, notes: list[str]) -> dict:
    obverse_legend, obverse_description = split_legend(described.obverse)
    reverse_legend, reverse_description = split_legend(described.reverse)
    grade = parse_grade(lot.grade) if lot.grade else None
    service = grade.service if grade and grade.service in GradeService.values else ""
    return {
        "category": _category(lot, notes),
        "issuer": _term(Issuer, lot.issuer_text, notes),
        "mint": _term(Mint, lot.mint_text, notes),
        "denomination": _term(Denomination, lot.denomination_text, notes),
        "year_start": lot.year_start,
        "year_end": lot.year_end,
        "is_circa": described.circa and lot.year_start is not None,
        "metal": lot.metal,
        "weight_g": lot.weight_g,
        "diameter_mm": lot.diameter_mm,
        "die_axis": lot.die_axis,
        "obverse_legend": obverse_legend[:300],
        "obverse_description": obverse_description,
        "reverse_legend": reverse_legend[:300],
        "reverse_description": reverse_description,
        "grade": lot.grade[:100],
        "grade_band": lot.grade_band,
        "grading_state": GradingState.SLABBED if service else GradingState.RAW,
        "grade_service": service,
        "ngc_strike": grade.strike if grade and service == GradeService.NGC else None,
        "ngc_surface": grade.surface if grade and service == GradeService.NGC else None,
        "fine_style": bool(grade and grade.fine_style),
        "acquisition_date": _purchase_date(lot),
        "acquisition_price": purchase_total(lot),
        "acquisition_currency": lot.currency if lot.hammer_price is not None else "",
        "acquisition_source": _house_name(lot)[:200],
        "acquisition_url": lot.url,
    }


def _copy_references(lot: AuctionLot, coin: Coin) -> None:
    """The lot's stored citations, as the coin's, then linked to their OCRE/CRRO types."""
    fields = ("system", "volume", "number", "variant", "raw_text", "citation_text", "is_cf")
    references = [
        Reference(
            coin=coin,
            position=position,
            origin=Origin.APP,
            **{name: getattr(cited, name) for name in fields},
        )
        for position, cited in enumerate(lot.references.order_by("position", "id"))
    ]
    Reference.objects.bulk_create(references)
    link_references(coin, list(coin.references.all()))


def _write_provenance(lot: AuctionLot, coin: Coin, described: LotDescription) -> None:
    """The pedigree the description gives (oldest first), then this purchase as the last step."""
    items = [
        item
        for item in parse_provenance(" ".join(described.provenance))
        # "Cf. ..." names a comparable coin, not an owner of this one.
        if not (item.kind == "unknown" and item.raw.lower().startswith("cf"))
    ]
    events = [
        ProvenanceEvent.from_item(coin, item, order=order, origin=Origin.APP)
        for order, item in enumerate(items)
    ]
    hammer = lot.hammer_price
    events.append(
        ProvenanceEvent(
            coin=coin,
            kind=ProvenanceKind.AUCTION,
            name=_house_name(lot)[:300],
            sale=(lot.sale.name or lot.sale.number if lot.sale_id else "")[:200],
            lot=lot.lot_number[:50],
            date=_purchase_date(lot),
            hammer=hammer,
            buyers_premium_pct=lot.buyers_premium_pct if hammer is not None else None,
            total=purchase_total(lot) if lot.buyers_premium_pct is not None else None,
            currency=lot.currency if hammer is not None else "",
            url=lot.url,
            auction_lot=lot,
            order=len(events),
            origin=Origin.APP,
        )
    )
    ProvenanceEvent.objects.bulk_create(events)


def _copy_images(lot: AuctionLot, coin: Coin) -> None:
    """Each lot image as a coin image, in the lot's order, the first one primary. A stored picture
    is copied (the coin's file is its own: deleting the lot's leaves the coin's); one the scrape did
    not download is kept by its URL."""
    images = list(lot.images.order_by("position", "id"))
    kinds = {1: [ImageKind.COMBINED], 2: [ImageKind.OBVERSE, ImageKind.REVERSE]}.get(len(images), [])
    for position, picture in enumerate(images):
        image = CoinImage(
            coin=coin,
            source_url=picture.url,
            kind=kinds[position] if kinds else ImageKind.OTHER,
            is_primary=position == 0,
            position=position,
        )
        if picture.image:
            with picture.image.open("rb") as stored:
                content = stored.read()
            image.image.save(picture.image.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
        image.save()
