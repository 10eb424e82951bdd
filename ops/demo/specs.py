"""What one synthetic coin is: attribution, physical data, design, references and grade.

A `CoinSpec` is plain data, built from a seeded `random.Random`; the generator turns it into a Coin
row, an auction lot's parsed fields and its description, so a coin and the lot it was bought in agree.
Every draw goes through the one generator passed in, in a fixed order, which makes a seed reproducible.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.choices import Category
from numismatics.grades import grade_band
from numismatics.names import read_vocabulary
from vocab.models import Denomination, Issuer, Mint

from . import tables

ROMAN_NUMERALS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
POPULAR = {
    "Augustus",
    "Vespasian",
    "Domitian",
    "Trajan",
    "Hadrian",
    "Antoninus Pius",
    "Marcus Aurelius",
    "Septimius Severus",
    "Julia Domna",
    "Caracalla",
    "Severus Alexander",
    "Gordian III",
    "Philip I",
    "Gallienus",
    "Claudius II",
    "Aurelian",
    "Probus",
    "Diocletian",
    "Maximian",
    "Licinius I",
    "Constantine I",
    "Constantius II",
    "Constans",
    "Valens",
    "Theodosius I",
    "Postumus",
    "Tetricus I",
    "Victorinus",
}
KIND_WEIGHT = {"emperor": 10, "empress": 3, "caesar": 3, "usurper": 1.5, "other": 1.5, "king": 1, "queen": 1}
CATEGORY_WEIGHTS = [
    (Category.ROMAN_IMPERIAL, 70),
    (Category.ROMAN_PROVINCIAL, 10),
    (Category.GREEK, 11),
    (Category.ROMAN_REPUBLICAN, 5),
    (Category.BYZANTINE, 2),
    (Category.JUDAEAN, 2),
]
IMPERIAL_MINTS = [  # (mint, first year, last year, weight) as an imperial mint
    ("Rome", -27, 476, 10),
    ("Lugdunum", -15, 78, 3),
    ("Lugdunum", 274, 413, 1),
    ("Emerita", -25, -16, 0.3),
    ("Caesaraugusta", -19, -16, 0.3),
    ("Colonia Patricia", -19, -16, 0.3),
    ("Nemausus", -28, 14, 0.3),
    ("Pergamum", -27, -19, 0.3),
    ("Ephesus", -28, -20, 0.3),
    ("Tarraco", 68, 70, 0.5),
    ("Caesarea (Cappadocia)", 14, 145, 0.3),
    ("Antioch", 193, 610, 1.5),
    ("Emesa", 193, 218, 1),
    ("Laodicea ad Mare", 194, 218, 1),
    ("Viminacium", 239, 257, 1),
    ("Milan", 259, 498, 1.5),
    ("Siscia", 262, 387, 2),
    ("Cyzicus", 268, 610, 1.5),
    ("Serdica", 271, 313, 1),
    ("Ticinum", 274, 326, 2),
    ("Tripolis", 273, 295, 0.5),
    ("Trier", 293, 430, 2),
    ("Aquileia", 294, 425, 1.5),
    ("Thessalonica", 298, 500, 1.5),
    ("Heraclea", 291, 450, 1.5),
    ("Nicomedia", 294, 610, 1.5),
    ("London", 286, 325, 1),
    ("Carthage", 296, 311, 0.8),
    ("Alexandria", 294, 450, 1),
    ("Ostia", 308, 313, 0.8),
    ("Arles", 313, 475, 1.5),
    ("Sirmium", 320, 395, 0.8),
    ("Constantinople", 326, 610, 2.5),
    ("Ravenna", 402, 751, 1.5),
    ("Amiens", 350, 353, 0.5),
]
MINTS_BY_ISSUER = {
    "Gallic Empire": ["Cologne", "Trier", "Lugdunum", "Mogontiacum"],
    "Britannic Empire": ["London", "Camulodunum", "Rotomagus"],
    "Pescennius Niger": ["Antioch"],
    "Uranius Antoninus": ["Emesa"],
    "Pacatian": ["Viminacium"],
    "Domitius Alexander": ["Carthage"],
    "Maximus of Hispania": ["Barcino"],
    "Priscus Attalus": ["Rome"],
    "Constantine III": ["Arles", "Lugdunum", "Trier"],
    "Clodius Macer": ["Carthage"],
    "Anastasius I": ["Constantinople", "Nicomedia", "Antioch", "Thessalonica"],
}
PROVINCIAL_MINTS = list(tables.PROVINCIAL_ETHNICS)
METAL_CODES = {
    "gold": "AV",
    "silver": "AR",
    "billon": "BI",
    "bronze": "Æ",
    "copper": "Æ",
    "orichalcum": "Æ",
    "electrum": "EL",
    "lead": "PB",
    "potin": "Potin",
}
BASE_USD = {
    "gold": 2600,
    "electrum": 1800,
    "silver": 160,
    "billon": 55,
    "orichalcum": 140,
    "copper": 60,
    "bronze": 40,
    "potin": 50,
    "lead": 40,
}
DENOMINATION_FACTOR = {
    "Decadrachm": 40,
    "Tetradrachm": 5,
    "Stater": 2.5,
    "Sestertius": 2.5,
    "Solidus": 0.6,
    "Tremissis": 0.3,
    "Semissis": 0.45,
    "AE4": 0.3,
    "Nummus": 0.3,
    "Prutah": 0.7,
    "Obol": 0.6,
    "Hemiobol": 0.4,
    "Shekel": 6,
    "Cistophorus": 3,
    "Miliarense": 8,
    "Double Sestertius": 5,
}


@dataclass
class Ref:
    """One citation, split the way numismatics.references splits it (system, volume, part, mint)."""

    system: str
    volume: str
    number: str
    variant: str = ""
    is_cf: bool = False
    part: str = ""
    mint: str = ""

    @property
    def body(self) -> str:
        """The citation as printed, without "cf.": "RIC IV.1 265", "RIC VI Cyzicus 36"."""
        volume = f"{self.volume}.{self.part}" if self.part else self.volume
        return " ".join(p for p in (self.system, volume, self.mint, f"{self.number}{self.variant}") if p)

    @property
    def text(self) -> str:
        return f"cf. {self.body}" if self.is_cf else self.body


@dataclass
class CoinSpec:
    category: str
    issuer: Issuer
    mint: Mint | None
    denomination: Denomination
    metal: str
    year_start: int
    year_end: int
    is_circa: bool
    weight: Decimal | None
    diameter: Decimal
    axis: int
    obverse_legend: str
    obverse_description: str
    reverse_legend: str
    reverse_description: str
    exergue: str
    grade: str
    grade_band: int | None
    grading_state: str
    grade_service: str
    strike: int | None
    surface: int | None
    fine_style: bool
    comment: str
    value_usd: float
    refs: list[Ref] = field(default_factory=list)


def weighted(rng: random.Random, pairs):
    """One item of a list of (item, weight) pairs."""
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights)[0]


class Choice:
    """A weighted choice over a long list, with the cumulative weights summed once, not per draw."""

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum_weights = list(itertools.accumulate(p[1] for p in pairs))

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


STATES = Choice([("raw", 70), ("slabbed", 14), ("capsule", 9), ("flip", 7)])
SERVICES = Choice([("ngc", 85), ("pcgs", 8), ("icg", 4), ("anacs", 3)])
SLAB_GRADES = Choice(tables.SLAB_GRADES)
RAW_GRADES = Choice(tables.RAW_GRADES)


def latin_name(name: str) -> str:
    """The name as a Latin legend spells it: "Constantius II" -> "CONSTANTIVS"."""
    if name in tables.LATIN_NAMES:
        text = tables.LATIN_NAMES[name]
    else:
        words = [w for w in name.split() if w not in ROMAN_NUMERALS and w not in {"of", "the"}]
        words = [tables.LATIN_NAMES.get(w, w + "us" if w.endswith("ian") else w) for w in words]
        text = " ".join(words)
    return text.upper().replace("U", "V").replace("J", "I")


def _skip_zero(year: int) -> int:
    """Signed years have no 0; arithmetic that lands there means AD 1."""
    return year or 1


def years_in(rng: random.Random, start: int, end: int, spread: int = 3) -> tuple[int, int]:
    """A striking date inside [start, end], never touching year 0."""
    year = rng.randint(start, end)
    if year == 0:
        year = 1 if end >= 1 else -1
    if rng.random() < 0.65:
        return year, year
    last = min(end, year + rng.randint(1, spread))
    if last == 0:
        last = 1 if end >= 1 else year
    return year, max(year, last)


class SpecFactory:
    """Draws coin specs from the vocabulary; build once, call `draw()` many times."""

    def __init__(self, rng: random.Random, boost: set[str] | None = None):
        self.rng = rng
        issuers = list(Issuer.objects.order_by("name"))
        self.mints = {m.name: m for m in Mint.objects.order_by("name")}
        self.denominations = {d.name: d for d in Denomination.objects.order_by("name")}
        self.physical = {row["name"]: row for row in read_vocabulary("denominations")}
        self.pools: dict[str, list[tuple[Issuer, float]]] = {c: [] for c, _ in CATEGORY_WEIGHTS}
        for issuer in issuers:
            if issuer.reign_start is None or issuer.reign_end is None:
                continue  # a curator's term without dates cannot date a coin
            weight = KIND_WEIGHT.get(issuer.kind, 1) * min(
                4.0, math.sqrt(issuer.reign_end - issuer.reign_start + 1)
            )
            weight *= 3 if issuer.name in POPULAR else 1
            weight *= 8 if boost and issuer.name in boost else 1
            for category in self._categories(issuer):
                self.pools[category].append((issuer, weight))
        self.category_choice = Choice([(c, w) for c, w in CATEGORY_WEIGHTS if self.pools[c]])
        self.issuer_choice = {c: Choice(pool) for c, pool in self.pools.items()}
        self._mints_by_year: dict[int, Choice] = {}
        self._bands: dict[str, int | None] = {}
        self._era_choices: dict[tuple, Choice] = {}

    @staticmethod
    def _categories(issuer: Issuer) -> list[str]:
        if issuer.dynasty in ("Herodian", "Hasmonean"):
            return [Category.JUDAEAN]
        if issuer.name == "Anastasius I":
            return [Category.BYZANTINE]
        if issuer.dynasty == "Imperatorial":
            return [Category.ROMAN_REPUBLICAN]
        if issuer.kind in ("king", "queen", "city") and issuer.reign_start < 0:
            return [Category.GREEK]
        if issuer.reign_start >= -27:
            if issuer.reign_end <= 296 and issuer.kind in ("emperor", "empress", "caesar"):
                return [Category.ROMAN_IMPERIAL, Category.ROMAN_PROVINCIAL]
            return [Category.ROMAN_IMPERIAL]
        return []

    # --- attribution -----------------------------------------------------------------------------

    def draw(self, category: str | None = None, issuer: Issuer | None = None) -> CoinSpec:
        rng = self.rng
        category = category or self.category_choice.pick(rng)
        issuer = issuer or self.issuer_choice[category].pick(rng)
        greekish = category in (Category.GREEK, Category.JUDAEAN)
        start, end = issuer.reign_start, issuer.reign_end
        if greekish and end - start > 40:
            first = rng.randint(start, end - 30)
            year_start, year_end = _skip_zero(first), _skip_zero(first + rng.choice([10, 20, 25, 30]))
            circa = True
        else:
            year_start, year_end = years_in(rng, start, end)
            circa = False
        mint = self._mint(category, issuer, year_start)
        denomination_name = self._denomination(category, issuer, mint, year_start)
        denomination = self.denominations[denomination_name]
        physical = self.physical[denomination_name]
        metal = physical["metal"]
        if (
            denomination_name == "Tetradrachm"
            and mint is not None
            and mint.name == "Alexandria"
            and year_start > 0
        ):
            metal = "billon"  # Roman Alexandria struck its tetradrachms in billon
        weight = Decimal(f"{rng.uniform(physical['weight_min'], physical['weight_max']):.2f}")
        diameter = Decimal(f"{rng.uniform(physical['diameter_min'], physical['diameter_max']):.1f}")
        if category in (Category.ROMAN_IMPERIAL, Category.BYZANTINE):
            axis = rng.choice([6, 6, 6, 6, 12, 12, 12, 1, 5, 7, 11])
        else:
            axis = rng.randint(1, 12)
        obv_legend, obv_desc, rev_legend, rev_desc, exergue = self._design(
            category, issuer, mint, denomination_name, year_start
        )
        spec = CoinSpec(
            category=category,
            issuer=issuer,
            mint=mint,
            denomination=denomination,
            metal=metal,
            year_start=year_start,
            year_end=year_end,
            is_circa=circa,
            weight=weight,
            diameter=diameter,
            axis=axis,
            obverse_legend=obv_legend,
            obverse_description=obv_desc,
            reverse_legend=rev_legend,
            reverse_description=rev_desc,
            exergue=exergue,
            grade="",
            grade_band=None,
            grading_state="raw",
            grade_service="",
            strike=None,
            surface=None,
            fine_style=False,
            comment="",
            value_usd=0.0,
        )
        self._condition(spec)
        spec.refs = self._references(spec)
        spec.value_usd = self._value(spec)
        return spec

    def _mint(self, category: str, issuer: Issuer, year: int) -> Mint | None:
        rng = self.rng
        if category == Category.ROMAN_PROVINCIAL:
            return self.mints.get(rng.choice(PROVINCIAL_MINTS))
        if category in (Category.GREEK, Category.JUDAEAN):
            if issuer.name in tables.GREEK_MINTS:
                return self.mints.get(rng.choice(tables.GREEK_MINTS[issuer.name]))
            return self.mints.get(issuer.name)  # a city strikes at home; None when it is no mint of ours
        if category == Category.ROMAN_REPUBLICAN:
            return self.mints["Rome"] if rng.random() < 0.6 else None  # the rest: military mints
        names = MINTS_BY_ISSUER.get(issuer.name) or MINTS_BY_ISSUER.get(issuer.dynasty)
        if names:
            return self.mints.get(rng.choice(names))
        if rng.random() < 0.03:
            return None  # "uncertain mint"
        active = self._mints_by_year.get(year)
        if active is None:
            active = Choice([(name, w) for name, first, last, w in IMPERIAL_MINTS if first <= year <= last])
            self._mints_by_year[year] = active
        return self.mints.get(active.pick(rng)) if active else self.mints["Rome"]

    def _denomination(self, category: str, issuer: Issuer, mint: Mint | None, y: int) -> str:
        rng = self.rng
        if issuer.name in tables.GREEK_DENOMINATIONS:
            return rng.choice(tables.GREEK_DENOMINATIONS[issuer.name])
        if category == Category.GREEK:
            if issuer.kind == "city":
                return weighted(
                    rng, [("Drachm", 4), ("Didrachm", 3), ("Stater", 3), ("Obol", 2), ("Hemidrachm", 2)]
                )
            gold = [("Gold Stater", 6)] if issuer.name in ("Philip II of Macedon", "Alexander III") else []
            return weighted(rng, [("Tetradrachm", 60), ("Drachm", 25), ("Hemidrachm", 4), ("Obol", 3), *gold])
        if category == Category.ROMAN_REPUBLICAN:
            return weighted(rng, [("Denarius", 85), ("Aureus", 5), ("Quinarius", 5), ("As", 5)])
        if category == Category.BYZANTINE:
            return weighted(rng, [("Follis", 50), ("Solidus", 20), ("Tremissis", 10), ("Nummus", 10)])
        if category == Category.ROMAN_PROVINCIAL:
            if mint is not None and mint.name == "Alexandria":
                return weighted(rng, [("Tetradrachm", 7), ("AE1", 3)])
            if mint is not None and mint.name in ("Antioch", "Tyre", "Emesa", "Laodicea ad Mare", "Samosata"):
                return weighted(rng, [("Tetradrachm", 4), ("AE1", 2), ("AE2", 3), ("AE3", 1)])
            if mint is not None and mint.name == "Caesarea (Cappadocia)":
                return weighted(rng, [("Didrachm", 4), ("Drachm", 4), ("AE2", 2)])
            return weighted(rng, [("AE1", 2), ("AE2", 4), ("AE3", 4), ("AE4", 1)])
        if y < 215:
            options = [
                ("Denarius", 45),
                ("Sestertius", 15),
                ("As", 13),
                ("Dupondius", 7),
                ("Aureus", 2),
                ("Quinarius", 1.5),
                ("Quadrans", 1),
                ("Semis", 0.5),
            ]
        elif y < 238:
            options = [
                ("Denarius", 50),
                ("Antoninianus", 12),
                ("Sestertius", 15),
                ("As", 5),
                ("Dupondius", 3),
                ("Aureus", 3),
            ]
        elif y < 260:
            options = [
                ("Antoninianus", 60),
                ("Denarius", 5),
                ("Sestertius", 15),
                ("As", 3),
                ("Aureus", 3),
                ("Double Sestertius", 1 if y >= 249 else 0),
            ]
        elif y < 274:
            options = [("Antoninianus", 85), ("Aureus", 3), ("Denarius", 1)]
        elif y < 294:
            options = [("Aurelianianus", 40), ("Antoninianus", 45), ("Aureus", 3), ("Denarius", 1)]
        elif y < 310:
            options = [("Follis", 75), ("Argenteus", 6), ("Aureus", 4)]
        elif y < 330:
            options = [("Follis", 50), ("AE3", 30), ("Solidus", 4)]
        elif y < 348:
            options = [("AE3", 50), ("AE4", 25), ("Solidus", 4), ("Siliqua", 6)]
        elif y < 364:
            options = [
                ("AE3", 40),
                ("AE2", 18),
                ("Maiorina", 4),
                ("AE4", 10),
                ("Solidus", 5),
                ("Siliqua", 10),
                ("Miliarense", 1),
            ]
        elif y < 395:
            options = [
                ("AE3", 45),
                ("AE4", 15),
                ("AE2", 8),
                ("Solidus", 6),
                ("Siliqua", 10),
                ("Tremissis", 2),
                ("Miliarense", 1),
            ]
        else:
            options = [
                ("AE4", 45),
                ("Nummus", 10),
                ("Solidus", 15),
                ("Tremissis", 10),
                ("Semissis", 3),
                ("Siliqua", 4),
            ]
        key = tuple(options)
        choice = self._era_choices.get(key)
        if choice is None:
            choice = self._era_choices[key] = Choice([o for o in options if o[1] > 0])
        return choice.pick(rng)

    # --- design ----------------------------------------------------------------------------------

    def _design(self, category, issuer, mint, denomination, y):
        rng = self.rng
        if category in (Category.GREEK, Category.JUDAEAN):
            obverse, rev_legend, reverse = tables.GREEK_TYPES.get(
                issuer.name, ("Head of nymph right", "", "forepart of horse right")
            )
            return "", obverse, rev_legend, reverse, ""
        if category == Category.ROMAN_PROVINCIAL:
            ethnic = tables.PROVINCIAL_ETHNICS.get(mint.name if mint else "", "")
            latin_colony = ethnic.isascii() and ethnic[:1].isalpha() and not ethnic.startswith("L ")
            if latin_colony:
                obverse = f"IMP CAES {latin_name(issuer.name)} AVG"
            else:
                obverse = "ΣΕΒΑΣΤΗ" if issuer.kind == "empress" else "ΑΥΤ Κ ΣΕΒ"
            bust = "Draped bust right" if issuer.kind == "empress" else "Laureate head right"
            return obverse, bust, ethnic, rng.choice(tables.PROVINCIAL_REVERSES), ""
        if (
            category == Category.ROMAN_REPUBLICAN
            and issuer.name == "Mark Antony"
            and denomination == "Denarius"
        ):
            legion = rng.choice(
                ["II", "III", "IV", "V", "VI", "VIII", "XI", "XII", "XV", "XVII", "XIX", "XXIII"]
            )
            return (
                "ANT AVG III VIR R P C",
                "praetorian galley right",
                f"LEG {legion}",
                "legionary aquila between two standards",
                "",
            )
        legend = tables.LATIN_LEGENDS.get(issuer.name) or self._legend_template(issuer, y)
        if rng.random() < 0.2:
            legend = "•".join(legend.split())
        bust = self._bust(issuer, denomination, y)
        if category == Category.BYZANTINE:
            rev_legend, reverse, exergue = tables.REVERSES_BYZANTINE[denomination]
            if exergue is None:
                exergue = tables.BYZANTINE_MINT_MARKS.get(mint.name if mint else "", "")
            return legend, bust, rev_legend, reverse, exergue
        if category == Category.ROMAN_REPUBLICAN:
            rev_legend, reverse = rng.choice(tables.REVERSES_REPUBLICAN)
        elif y < 235:
            rev_legend, reverse = rng.choice(tables.REVERSES_EARLY)
        elif y < 294:
            rev_legend, reverse = rng.choice(tables.REVERSES_CRISIS)
        else:
            rev_legend, reverse = rng.choice(tables.REVERSES_LATE)
        exergue = ""
        if y >= 364 and denomination in ("Solidus", "Semissis", "Tremissis"):
            exergue = "CONOB" if mint is not None and mint.name == "Constantinople" else "COMOB"
        elif y >= 294 and mint is not None and mint.name in tables.MINT_MARKS:
            mark = tables.MINT_MARKS[mint.name]
            exergue = rng.choice(
                [
                    f"{mark}{rng.choice(tables.OFFICINAE)}",
                    f"{rng.choice('PS')}{mark}",
                    f"•{mark}{rng.choice(tables.OFFICINAE)}•",
                ]
            )
        return legend, bust, rev_legend, reverse, exergue

    def _legend_template(self, issuer: Issuer, y: int) -> str:
        name = latin_name(issuer.name)
        if issuer.kind == "empress":
            return f"{name} AVGVSTA" if y < 284 else f"FL {name} AVG"
        if issuer.kind == "caesar":
            return self.rng.choice([f"{name} NOB CAES", f"{name} CAES"])
        if issuer.kind in ("other", "king"):
            return name
        if y < 96:
            return f"IMP CAESAR {name} AVG"
        if y < 238:
            return self.rng.choice([f"IMP CAES {name} AVG", f"{name} AVG"])
        if y < 284:
            return self.rng.choice([f"IMP C {name} AVG", f"IMP {name} P F AVG"])
        if y < 337:
            return self.rng.choice([f"IMP C {name} P F AVG", f"{name} P F AVG"])
        return f"D N {name} P F AVG"

    def _bust(self, issuer: Issuer, denomination: str, y: int) -> str:
        radiate = denomination in ("Antoninianus", "Aurelianianus", "Dupondius", "Double Sestertius")
        if issuer.kind == "empress":
            return "Diademed and draped bust right, on crescent" if radiate else "Draped bust right"
        if issuer.kind == "caesar":
            return (
                "Radiate, draped and cuirassed bust right"
                if radiate
                else "Bare-headed, draped and cuirassed bust right"
            )
        if radiate:
            return self.rng.choice(
                ["Radiate, draped and cuirassed bust right", "Radiate and cuirassed bust right"]
            )
        if y >= 395:
            return self.rng.choice(
                [
                    "Pearl-diademed, draped and cuirassed bust right",
                    "Pearl-diademed, helmeted and cuirassed bust facing, holding spear and shield",
                ]
            )
        if y >= 324:
            return self.rng.choice(
                [
                    "Pearl-diademed, draped and cuirassed bust right",
                    "Rosette-diademed, draped and cuirassed bust right",
                ]
            )
        return self.rng.choice(
            [
                "Laureate head right",
                "Laureate, draped and cuirassed bust right",
                "Laureate head right, with slight drapery on far shoulder",
            ]
        )

    # --- condition, references, value ------------------------------------------------------------

    def _condition(self, spec: CoinSpec) -> None:
        rng = self.rng
        state = STATES.pick(rng)
        spec.grading_state = state
        if state == "slabbed":
            service = SERVICES.pick(rng)
            spec.grade_service = service
            grade = SLAB_GRADES.pick(rng)
            if service == "ngc":
                spec.strike, spec.surface = rng.randint(2, 5), rng.randint(2, 5)
                spec.fine_style = rng.random() < 0.08
                star = " ★" if rng.random() < 0.1 else ""
                grade = f"{grade}{star} Strike: {spec.strike}/5 Surface: {spec.surface}/5"
                grade += " Fine Style" if spec.fine_style else ""
            if rng.random() < 0.3:
                spec.weight = None  # the slab hides it
        else:
            grade = RAW_GRADES.pick(rng)
            if rng.random() < 0.35:
                spec.comment = rng.choice(tables.COMMENTS)
        spec.grade = grade
        if grade not in self._bands:
            self._bands[grade] = grade_band(grade)
        spec.grade_band = self._bands[grade]

    def _references(self, spec: CoinSpec) -> list[Ref]:
        rng = self.rng
        y = spec.year_start
        number = str(rng.randint(1, 900))
        variant = rng.choice("abc") if rng.random() < 0.15 else ""
        cf = rng.random() < 0.05
        if spec.category == Category.ROMAN_IMPERIAL:
            volume, _dot, part = ric_volume(y).partition(".")
            # RIC VI-IX are arranged by mint; the mint is part of the citation ("RIC VI Cyzicus 36").
            mint = spec.mint.name if volume in ("VI", "VII", "VIII", "IX") and spec.mint is not None else ""
            refs = [Ref("RIC", volume, number, variant, cf, part=part, mint=mint)]
            if spec.metal in ("silver", "billon") and y < 300:
                refs.append(Ref("RSC", "", str(rng.randint(1, 800))))
            elif rng.random() < 0.5:
                refs.append(Ref("Sear", "", str(rng.randint(600, 20999))))
            if rng.random() < 0.2:
                refs.append(Ref("BMCRE", "", str(rng.randint(1, 1200))))
            return refs
        if spec.category == Category.ROMAN_PROVINCIAL:
            refs = [Ref("RPC", rpc_volume(y), str(rng.randint(1, 9999)), variant, cf)]
            if rng.random() < 0.5:
                refs.append(Ref("SNG", "Cop", str(rng.randint(1, 700))))
            return refs
        if spec.category == Category.ROMAN_REPUBLICAN:
            refs = [Ref("Crawford", "", f"{rng.randint(440, 545)}/{rng.randint(1, 8)}", variant, cf)]
            refs.append(Ref("Sydenham", "", str(rng.randint(1000, 1370))))
            if spec.metal == "silver":
                refs.append(Ref("RSC", "", str(rng.randint(1, 80))))
            return refs
        if spec.category == Category.BYZANTINE:
            return [
                Ref("DOC", "", str(rng.randint(1, 60)), variant),
                Ref("Sear", "", str(rng.randint(1, 60))),
            ]
        if spec.category == Category.JUDAEAN:
            return [Ref("Hendin", "", str(rng.randint(1140, 1200))), Ref("TJC", "", str(rng.randint(1, 80)))]
        if spec.issuer.name in ("Alexander III", "Philip III Arrhidaeus"):
            first = Ref("Price", "", str(rng.randint(1, 4000)), variant, cf)
        else:
            first = Ref("SNG", "Cop", str(rng.randint(1, 900)), variant, cf)
        return [first, Ref("HGC", str(rng.randint(1, 10)), str(rng.randint(1, 1800)))]

    def _value(self, spec: CoinSpec) -> float:
        base = BASE_USD.get(spec.metal, 50) * DENOMINATION_FACTOR.get(spec.denomination.name, 1)
        rarity = {"usurper": 3, "empress": 1.3, "caesar": 1.3}.get(spec.issuer.kind, 1)
        band = spec.grade_band if spec.grade_band is not None else 65
        return base * rarity * 2 ** ((band - 70) / 10) * math.exp(self.rng.gauss(0, 0.45))


def ric_volume(year: int) -> str:
    """The RIC volume that covers a striking year (the period, not the issuer, decides)."""
    for last, volume in (
        (68, "I"),
        (69, "I"),
        (96, "II.1"),
        (117, "II"),
        (138, "II.3"),
        (192, "III"),
        (217, "IV.1"),
        (238, "IV.2"),
        (253, "IV.3"),
        (275, "V.1"),
        (293, "V.2"),
        (313, "VI"),
        (337, "VII"),
        (364, "VIII"),
        (395, "IX"),
    ):
        if year <= last:
            return volume
    return "X"


def rpc_volume(year: int) -> str:
    for last, volume in (
        (69, "I"),
        (96, "II"),
        (138, "III"),
        (192, "IV"),
        (217, "V"),
        (238, "VI"),
        (244, "VII"),
        (249, "VIII"),
        (253, "IX"),
    ):
        if year <= last:
            return volume
    return "X"
