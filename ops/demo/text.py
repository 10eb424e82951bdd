"""Lot titles and descriptions in the order auction houses write them.

"Septimius Severus. AD 193-211. AR Denarius (19mm, 3.21 g, 6h). Rome mint. Struck AD 200. SEVERVS PIVS
AVG, laureate head right / ... RIC IV.1 265; RSC 205. VF." Three physical-data styles seen in real
catalogues are used in turn, so parsers meet the variety they will meet in real lots.
"""

from __future__ import annotations

import random

from numismatics.years import format_year_range

from .specs import METAL_CODES, CoinSpec


def _physical(rng: random.Random, spec: CoinSpec) -> str:
    weight = f"{spec.weight}" if spec.weight is not None else None
    style = rng.randint(0, 2)
    if style == 0:
        parts = [f"{spec.diameter:.0f}mm"] + ([f"{weight} g"] if weight else []) + [f"{spec.axis}h"]
        return "(" + ", ".join(parts) + ")"
    if style == 1:
        metal = {"AV": "Gold", "AR": "Silver", "BI": "Billon"}.get(METAL_CODES.get(spec.metal, ""), "Bronze")
        parts = [metal, f"{spec.diameter} mm"] + ([f"{weight} g"] if weight else []) + [f"{spec.axis} h"]
        return "(" + ", ".join(parts) + ")"
    parts = ([f"{weight}g"] if weight else []) + [f"{spec.diameter:.0f}mm", f"{spec.axis}h"]
    return "(" + ", ".join(parts) + ")"


# Bust words are lower-cased after a legend ("..., laureate head right"); deities and proper names are not.
_BUST_WORDS = {
    "Laureate",
    "Radiate",
    "Draped",
    "Diademed",
    "Pearl-diademed",
    "Rosette-diademed",
    "Bare-headed",
    "Head",
    "Helmeted",
    "Bust",
}


def _side(legend: str, description: str) -> str:
    if not legend:
        return description[:1].upper() + description[1:]
    if description.split(" ", 1)[0].rstrip(",") in _BUST_WORDS:
        description = description[0].lower() + description[1:]
    return f"{legend}, {description}" if description else legend


def _denomination(spec: CoinSpec) -> str:
    """ "AR Denarius", but "Æ3" for the late Roman bronzes, which are named by size and metal at once."""
    name = spec.denomination.name
    if name.startswith("AE") and name[2:].isdigit():
        return f"Æ{name[2:]}"
    return f"{METAL_CODES.get(spec.metal, '')} {name}".strip()


def lot_title(spec: CoinSpec) -> str:
    return f"{spec.issuer.name}, {_denomination(spec)}"


def lot_description(rng: random.Random, spec: CoinSpec, provenance: str = "") -> str:
    """The catalogue text of a lot offering this coin."""
    reign = format_year_range(spec.issuer.reign_start, spec.issuer.reign_end)
    head = f"{spec.issuer.name}. {reign}." if reign else f"{spec.issuer.name}."
    parts = [head, f"{_denomination(spec)} {_physical(rng, spec)}."]
    if spec.mint is not None:
        parts.append(f"{spec.mint.name} mint.")
    struck = format_year_range(spec.year_start, spec.year_end, spec.is_circa)
    if struck and rng.random() < 0.7:
        parts.append(f"Struck {struck}.")
    reverse = _side(spec.reverse_legend, spec.reverse_description)
    if spec.exergue:
        reverse += f"; in exergue, {spec.exergue}"
    parts.append(f"{_side(spec.obverse_legend, spec.obverse_description)} / {reverse}.")
    parts.append("; ".join(ref.text for ref in spec.refs) + ".")
    grade = spec.grade + (f", {spec.comment}" if spec.comment else "")
    if spec.grade_service and spec.grade_service != "ngc":
        grade = f"{spec.grade_service.upper()} {grade}"
    elif spec.grade_service == "ngc":
        grade = f"NGC {grade}"
    parts.append(f"{grade}.")
    if provenance:
        parts.append(provenance)
    return " ".join(parts)
