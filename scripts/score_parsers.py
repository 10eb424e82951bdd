#!/usr/bin/env python3
"""Per-field accuracy of the lot readers over every real text and page in ../shared/fixtures.

    .venv/bin/python scripts/score_parsers.py [--shared ../shared] [--misses]

Scores, each on the tuning part and the held-out part apart (numismatics/tests/data/holdout.json):
- the description parser over the 63 real descriptions (fixtures/lot-descriptions);
- the page reader and the house parsers over the 20 real lot pages as text (fixtures/lot-page-text,
  lot-page-text-2), and the coin fields of the description each finds;
- the house parsers, and the page reader alone (as for a house no parser knows), over the real saved
  HTML lot pages (fixtures/auction-pages); the listings of fixtures/auction-pages and auction-pages-2
  by the lots read and the share with a lot number, a description and a price.
The HTML pages were all read by the first pass of issue 17 (tests pin them), so they are tuning data.
--misses prints what each tuning row got wrong; the held-out part is only ever counted, never shown,
so that looking at this output does not make it tuning data.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coinstack.settings")
os.environ.setdefault("DEBUG", "1")  # read-only scoring: no secret key needed

# Page fields of the saved HTML lot pages, as their tests in auctions/tests/test_scraping_real_pages.py
# pin them (checked by hand against each page). None: the page does not state it.
HTML_LOTS = [
    {
        "file": "auction-pages/biddr__thecoincabinet-a7356-l8994006.html",
        "source": "https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006",
        "house": "The Coin Cabinet", "sale_name": "Auction 132", "lot_number": "1",
        "sale_date": "2026-08-18", "estimate": 50, "estimate_high": None, "hammer": None,
        "starting_price": 20, "currency": "GBP", "description": "ENGLAND. Elizabeth I, 1558-1603.",
    },
    {
        "file": "auction-pages/numisbids__s10900-lot2-closed-trimmed.html",
        "source": "https://www.numisbids.com/n.php?p=lot&sid=10900&lot=2",
        # The trimmed page names no sale and shows no date (the date is in a price tooltip).
        "house": "Spink", "sale_name": None, "lot_number": "2", "sale_date": None,
        "estimate": 240, "estimate_high": 340, "hammer": 320, "starting_price": 160, "currency": "GBP",
        "description": "(x) Bank of Afghanistan, 20 Afghanis",
    },
    {
        "file": "auction-pages/numisbids__s10982-lot33272-trimmed.html",
        "source": "https://www.numisbids.com/n.php?p=lot&sid=10982&lot=33272",
        "house": "Heritage World Coin Auctions", "sale_name": "ANA Signature Sale 3135",
        "lot_number": "33272", "sale_date": "2026-09-01", "estimate": 500000, "estimate_high": 700000,
        "hammer": None, "starting_price": 250000, "currency": "USD",
        "description": "Mexico\nPhilip V gold Royal 8 Escudos 1702",
    },
    {
        "file": "auction-pages/sixbid__heritage-a13977-lot12399926.json",
        "source": "https://www.sixbid.com/en/heritage-auctions-inc/13977/argentina-la-rioja/"
        "12399926-la-rioja-republic-2-soles",
        "house": "Heritage Auctions", "sale_name": "Auction #61646", "lot_number": "23001",
        "sale_date": "2026-08-23", "estimate": None, "estimate_high": None, "hammer": None,
        "starting_price": 1, "currency": "USD", "description": "La Rioja. Republic 2 Soles 1826-RA",
    },
]  # fmt: skip
LISTINGS = [
    ("auction-pages/biddr__cgb-a7305-p1-closed-listing.html", "https://www.biddr.com/cgb/auction?a=7305"),
    ("auction-pages/biddr__thecoincabinet-a7356-p1-listing.html", "https://www.biddr.com/thecoincabinet/auction?a=7356"),
    ("auction-pages/numisbids__s10900-sale-closed-trimmed.html", "https://www.numisbids.com/n.php?p=sale&sid=10900"),
    ("auction-pages/numisbids__s11005-sale-open-trimmed.html", "https://www.numisbids.com/sale/11005"),
    ("auction-pages/sixbid__heritage-a13977-p1-listing.json", "https://www.sixbid.com/api/lots?auction=13977"),
    ("auction-pages-2/aureo__a466-p1-listing-fragment.html", "https://www.aureo.com/es/subasta/466"),
    ("auction-pages-2/aureo__a466-plast-listing-fragment.html", "https://www.aureo.com/es/subasta/466"),
    ("auction-pages-2/biddr__search-valentia-fragment.html", "https://www.biddr.com/search?q=valentia"),
]  # fmt: skip


def _table(title: str, count: int, figures: dict[str, float]) -> None:
    print(f"\n{title} ({count}):")
    for name, share in figures.items():
        print(f"  {name:15} {share:6.1%}")


def _html_label(row: dict) -> dict:
    """An HTML lot's fields in the shape of the page-text labels, so one checker scores both."""
    return {
        "house": row["house"], "sale_name": row["sale_name"], "lot_number": row["lot_number"],
        "sale_date": row["sale_date"], "estimate": row["estimate"], "estimate_high": row["estimate_high"],
        "hammer": row["hammer"], "starting_price": row["starting_price"],
        "estimate_currency": row["currency"], "hammer_currency": None, "starting_price_currency": None,
        "description": row["description"], "alternatives": {},
    }  # fmt: skip


def _complete(lot) -> bool:
    price = lot.hammer_price or lot.starting_price or lot.estimate_low
    return bool(lot.lot_number and lot.description and (price or lot.status == "unsold"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--misses", action="store_true", help="print the tuning part's misses")
    args = parser.parse_args()
    if not (args.shared / "fixtures").is_dir():
        print(f"no fixtures under {args.shared}", file=sys.stderr)
        return 2

    import django

    django.setup()
    from auctions.scraping.houses import GENERIC, recognise
    from auctions.tests.test_real_page_text import _AsPage
    from numismatics.lotpage import read_lot_page
    from numismatics.tests.real_data import PARTS, description_rows, page_rows
    from numismatics.tests.test_description import score
    from numismatics.tests.test_real_data_scores import PAGE_FIELDS, page_checks

    def by_page_reader(label):
        return read_lot_page(label["path"].read_text("utf-8"), label["source"])

    def by_house_parser(label):
        return _AsPage(recognise(label["source"]).parse_lot(label["path"].read_bytes(), label["source"]))

    def report(title, part, rows_count, figures, misses):
        _table(f"{title}, {part} part", rows_count, figures)
        if args.misses and part == "tuning" and misses:
            print("  misses: " + "\n  misses: ".join(misses))

    descriptions = description_rows(args.shared)
    for part in PARTS:
        figures, misses = score(descriptions[part])
        report("descriptions", part, len(descriptions[part]), figures, misses)

    pages = page_rows(args.shared)
    for part in PARTS:
        for name, read in {"page reader": by_page_reader, "house parsers": by_house_parser}.items():
            right, misses = dict.fromkeys(PAGE_FIELDS, 0), []
            for label in pages[part]:
                for field, ok in page_checks(label, read(label)).items():
                    right[field] += ok
                    misses += [] if ok else [f"{label['id']} {field}"]
            figures = {field: count / len(pages[part]) for field, count in right.items()}
            report(f"page text, fields by the {name}", part, len(pages[part]), figures, misses)
        rows = [
            label
            | {
                "text": read_lot_page(label["path"].read_text("utf-8"), label["source"]).lot_text,
                "line": label["id"],
            }
            for label in pages[part]
        ]
        figures, misses = score(rows)
        report("page text, coin fields of the description found", part, len(rows), figures, misses)

    fixtures = args.shared / "fixtures"
    for name, parser_of in {
        "house parsers": lambda row: recognise(row["source"]),
        "page reader alone (generic parser)": lambda row: GENERIC,
    }.items():
        right, misses = dict.fromkeys(PAGE_FIELDS, 0), []
        for row in HTML_LOTS:
            if name != "house parsers" and row["file"].endswith(".json"):
                continue  # a platform's JSON is no page a person reads
            try:
                lot = parser_of(row).parse_lot((fixtures / row["file"]).read_bytes(), row["source"])
            except ValueError as exc:  # a refusal counts as every field missed
                misses.append(f"{row['file']} refused: {exc}")
                continue
            for field, ok in page_checks(_html_label(row), _AsPage(lot)).items():
                right[field] += ok
                misses += [] if ok else [f"{row['file']} {field}"]
        count = sum(name == "house parsers" or not row["file"].endswith(".json") for row in HTML_LOTS)
        figures = {field: right[field] / count for field in right}
        report(f"HTML lot pages, fields by the {name}", "tuning", count, figures, misses)

    read_lots = with_fields = 0
    for file, url in LISTINGS:
        try:
            listing = recognise(url).parse_listing((fixtures / file).read_bytes(), url)
        except ValueError as exc:
            print(f"\nlisting not read: {exc}")
            continue
        read_lots += len(listing.lots)
        with_fields += sum(map(_complete, listing.lots))
    share = with_fields / max(read_lots, 1)
    print(f"\nHTML listings ({len(LISTINGS)}): {read_lots} lots read, {share:.1%} of them with a lot number,")
    print("  a description and a price (or marked unsold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
