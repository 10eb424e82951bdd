"""Every real lot page in ../shared, as text, through the parser its URL chooses: none is refused, and
the page fields come out as the hand-checked labels give them (tuning and held-out parts apart)."""

import pytest

from auctions.scraping.houses import recognise
from numismatics.tests.real_data import PARTS, page_rows
from numismatics.tests.test_real_data_scores import PAGE_FIELDS, PAGE_THRESHOLDS, page_checks


class _AsPage:
    """A ParsedLot seen with the page reader's field names, so one scorer checks both."""

    def __init__(self, lot):
        self.house = "" if lot.house_name.startswith("Unknown") else lot.house_name
        self.sale_name, self.sale_date, self.lot_number = lot.sale_name, lot.sale_date, lot.lot_number
        self.estimate_low, self.estimate_high = lot.estimate_low, lot.estimate_high
        self.hammer_price, self.starting_price, self.currency = (
            lot.hammer_price,
            lot.starting_price,
            lot.currency,
        )
        self.description = lot.description


@pytest.mark.parametrize("part", PARTS)
def test_house_parsers_read_every_real_page_text(shared, part):
    labels = page_rows(shared)[part]
    right = dict.fromkeys(PAGE_FIELDS, 0)
    for label in labels:
        lot = recognise(label["source"]).parse_lot(
            label["path"].read_bytes(), label["source"]
        )  # never refused
        for name, ok in page_checks(label, _AsPage(lot)).items():
            right[name] += ok
            if part == "tuning" and not ok:
                print(f"{label['id']} {name}")
    figures = {name: count / len(labels) for name, count in right.items()}
    print(f"\npage fields (house parsers), {part} part ({len(labels)}):")
    print("\n".join(f"  {name:15} {share:6.1%}" for name, share in figures.items()))
    for name, threshold in PAGE_THRESHOLDS[part].items():
        assert figures[name] >= threshold, (part, name, figures[name])


def test_an_unknown_house_s_html_page_is_read_as_a_person_reads_it():
    """No parser knows this house and the page has no schema.org data: the page reader finds
    everything, from a price table, an Italian breadcrumb and labels (fixtures/unknown-house-lot.html,
    hand-written in the style of a small Italian house)."""
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    url = "https://www.numismaticaesempio.it/asta/88/lotto/214"
    content = (Path(__file__).parent / "fixtures" / "unknown-house-lot.html").read_bytes()
    lot = recognise(url).parse_lot(content, url)
    assert (lot.platform, lot.house_name, lot.sale_name, lot.sale_date, lot.lot_number) == (
        "generic",
        "Numismatica Esempio",
        "Asta 88",
        date(2026, 9, 14),
        "214",
    )
    assert (lot.estimate_low, lot.starting_price, lot.hammer_price, lot.currency, lot.status) == (
        Decimal(600),
        Decimal(450),
        Decimal(820),
        "EUR",
        "sold",
    )
    assert lot.buyers_premium_pct == Decimal(20)
    assert lot.description.startswith("Impero Romano. Vespasiano (69-79). Denario, Roma")
    assert lot.description.endswith("Provenienza: Asta Varesi 50, 2008, lotto 301.")
    assert "99999" not in lot.description and "P.IVA" not in lot.description  # scripts and footer left out


def test_what_a_house_s_markup_leaves_out_is_read_from_the_page():
    """A NumisBids lot whose price block and sale banner changed shape: the description still comes
    from the markup, the house, sale, date and prices from the page as a person reads it."""
    from datetime import date
    from decimal import Decimal

    html = """<html><head><title>NumisBids</title></head><body>
    <div class="banner-v2"><p>Spink</p><p>Auction 26200 9 July 2026</p></div>
    <div class="viewlot">
      <div class="lot-head">Lot 2</div>
      <div class="description"><b>Hadrian, AR Denarius</b> Rome, 125-128, 3.35g/6h (RIC 174). VF</div>
      <div class="prices-v2"><p>Estimate: £240 - £340</p><p>Price realized: 320 GBP</p></div>
    </div></body></html>"""
    url = "https://www.numisbids.com/n.php?p=lot&sid=10900&lot=2"
    lot = recognise(url).parse_lot(html, url)
    assert lot.description.startswith("Hadrian, AR Denarius Rome, 125-128")
    assert (lot.house_name, lot.sale_name, lot.sale_date) == ("Spink", "Auction 26200", date(2026, 7, 9))
    assert (lot.estimate_low, lot.estimate_high, lot.hammer_price, lot.currency, lot.status) == (
        Decimal(240),
        Decimal(340),
        Decimal(320),
        "GBP",
        "sold",
    )


def test_a_biddr_slug_no_list_knows_gives_way_to_the_house_the_page_names():
    """Pasted text of a Biddr lot whose URL slug is not in the list of houses: the page's own heading
    names the house; the slug is used only when the page names none."""
    url = "https://www.biddr.com/auctions/beispiel/browse?a=41&l=512"
    text = (
        "Münzhandlung Beispielstadt\nAuktion 41 - Antike Münzen\n14. März 2026\nLos 512\n"
        "Hadrian, 117-138. Denar, Rom, 125-128 n. Chr. RIC 174. 3,31 g. Vorzüglich.\n"
        "Schätzung: 300 EUR\nZuschlag: 420 EUR\n"
    )
    assert recognise(url).parse_lot(text, url).house_name == "Münzhandlung Beispielstadt"
    bare = "Los 512\nHadrian, 117-138. Denar, Rom. RIC 174. 3,31 g. Vorzüglich.\nSchätzung: 300 EUR\n"
    assert recognise(url).parse_lot(bare, url).house_name == "beispiel"
