"""A synthetic collection spreadsheet in the owner's own layout, for timing `import_collection`.

The header row is the one of the real collector's sheet the importer was built for
(shared/data/collection-v1.xlsx): an unlabelled inventory column, then "Temp loc", an unlabelled
rarity column, "Category" ... "Comment". Values imitate its messiness (trailing spaces, non-breaking
spaces, "AD 014-37", NGC strings, several reference styles), so the importer does its real work on
each row instead of skipping blanks.
"""

from __future__ import annotations

import random
from pathlib import Path

HEADERS: list[str | None] = [
    None, "Temp loc", None, "Category", "Coin type", "Ruler Issuer", "Laureate", "Ruled", "Minted",
    "Diameter ", "Weight", "Mint", "Script", "Obverse", "Reverse", "Reference", "Condition",
    "Composition", "NGC Grade", "NGC comment", "Fine style", "Pedigree", "Source", "Amount Paid",
    "Link", "Comment", None,
]  # fmt: skip

# (ruler, reign as written, category, denomination, metal, mint, reference)
_TYPES = [
    ("Augustus ", "27 BC-AD 14", "Roman Imperial", "Denarius ", "Silver", "Lugdunum", "RIC I 207"),
    ("Tiberius", "AD 014-37", "Roman Provincial", "Drachm", "Silver", "CAPPADOCIA, Caesarea-Eusebia",
     "RPC I 3622"),
    ("Trajan ", "AD 098-117", "Roman Imperial", "Tetradrachm", "Silver", "Seleucis and Pieria. Antioch",
     "RPC III 3530"),
    ("Antoninus Pius", "AD 138-161", "Roman Imperial", "Denarius ", "Silver", "Rome", "RIC 210, Sear 4123"),
    ("Commodus", "AD 180-192", "Roman Imperial", "Denarius ", "Silver", "Rome", "RIC III 82; RSC 914"),
    ("Gordian III", "AD 238-244", "Roman Imperial", "Antoninianus", "Billon", "Rome", "RIC 129, Sear 8677"),
    ("Gallienus ", "AD 253-268", "Roman Imperial", "Antoninianus\xa0", "Billon", "Rome", "RIC V.I 160"),
    ("Constantine I", "AD 307 - 337", "Roman Imperial", "Follis", "Bronze", "Trier", "RIC VII 368"),
    ("C. Malleolus", "96 BC", "Roman Republic", "Denarius ", "Silver", "Rome",
     "Crawford 335/1c. Sydenham 611."),
    ("Coson\xa0", "54 BC", "Roman Provincial\xa0", "Stater ", "Gold", "Sarmatia, Olbia", "\xa0RPC I 1701a"),
]  # fmt: skip
_CONDITIONS = ["VF", "VF+", "Choice F", "XF", "Choice XF", "AU", "Good VF", "Near EF", None]
_NGC = ["Choice AU  Strike: 5/5 Surface: 4/5", "XF  Strike: 4/5 Surface: 3/5", "Ch VF", None, None, None]
_SOURCES = ["Heritage", "CNG", "Savoca", "Nummitra", "eBay", "Rex"]
_OBVERSE = "CAESAR AVGVSTVS-DIVI F PATER PATRIAE, laureate head right "
_REVERSE = "AVGVSTI F COS DESIG PRINC IVVENT, Gaius and Lucius standing facing; C L CAESARES in exergue."


def _link(source: str, row: int) -> str:
    """A unique, well-formed lot URL of the row's source (one URL is one lot)."""
    if source == "Heritage":
        return f"https://coins.ha.com/itm/ancients/roman-imperial/bench-{row}/a/232539-{60000 + row}.s"
    if source == "CNG":
        return f"https://www.cngcoins.com/Coin.aspx?CoinID={500000 + row}"
    if source == "eBay":
        return f"https://www.ebay.com/itm/{390000000000 + row}"
    return f"https://www.biddr.com/auctions/{source.lower()}/browse?a=6341&l={7000000 + row}"


def synthetic_row(number: int, rng: random.Random) -> list[object]:
    ruler, reign, category, denomination, metal, mint, reference = rng.choice(_TYPES)
    source = rng.choice(_SOURCES)
    ngc = rng.choice(_NGC)
    return [
        number,
        f"Velv{rng.randint(1, 9)}-{rng.randint(1, 6)}-{rng.randint(1, 8)}",
        rng.choice([None, None, "Rare"]),
        category,
        denomination,
        ruler,
        ruler,
        reign,
        rng.choice([None, reign]),
        rng.randint(15, 30),
        rng.choice([None, round(rng.uniform(2.0, 14.0), 2)]),
        mint,
        "Latin",
        _OBVERSE,
        _REVERSE,
        reference,
        rng.choice(_CONDITIONS),
        metal,
        ngc,
        rng.choice([None, "scratches", "brushed"]) if ngc else None,
        None,
        rng.choice([None, "Ex Heritage Auctions, Auction 3011 (14 April 2011), lot 173."]),
        source,
        rng.randint(20, 2500),
        _link(source, number),
        rng.choice([None, "Fine patina, some roughness."]),
        None,
    ]


def write_spreadsheet(path: Path, rows: int, seed: int = 0) -> Path:
    """Write `rows` coins in the collector's layout to `path` (xlsx, write-only mode: low memory)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        sheet.append(synthetic_row(number, rng))
    workbook.save(path)
    return path
