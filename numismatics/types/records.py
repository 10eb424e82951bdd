"""One type of the OCRE or CRRO table, and what its URI says about its place in the catalogue."""

from __future__ import annotations

import re
from dataclasses import dataclass

OCRE_PREFIX = "http://numismatics.org/ocre/id/"
CRRO_PREFIX = "http://numismatics.org/crro/id/"
# nomisma's "no value" markers: kept in the tables as written, read as "not known" when matching.
UNKNOWN = {"", "none", "uncertain_value"}

# OCRE's volume keys as collectors print them: "1(2)" is RIC I second edition, "2_1(2)" RIC II part 1
# second edition; the others are first editions (RIC II 1926 for Nerva, Trajan and Hadrian).
VOLUME_NAMES = {
    "1(2)": "I²",
    "2_1(2)": "II.1²",
    "2": "II",
    "3": "III",
    "4": "IV",
    "5": "V",
    "6": "VI",
    "7": "VII",
    "8": "VIII",
    "9": "IX",
    "10": "X",
}
_OCRE_ID_RE = re.compile(r"^ric\.(?P<volume>[^.]+)\.(?P<section>[^.]+)\.(?P<number>.+)$")


@dataclass(frozen=True, slots=True)
class TypeRecord:
    """A row of the shipped table, with the URI's parts: volume key, section and number."""

    uri: str
    label: str
    denomination: str
    material: str
    authority: str
    mint: str
    region: str
    obverse_legend: str
    reverse_legend: str
    year_start: int | None = None
    year_end: int | None = None
    # From the URI: OCRE's volume key ("1(2)", "2", "6"; "" for CRRO), its section (an emperor, "aug",
    # in RIC I-V and X; a mint, "lon", in RIC VI-IX; "" for CRRO) and the number as the URI writes it
    # ("207", "105A", "123_denarius", "2A.iii"; CRRO "335.1c").
    volume: str = ""
    section: str = ""
    number: str = ""

    @classmethod
    def from_row(cls, row: dict[str, str]) -> TypeRecord:
        """A record from a table row (the columns of the shipped TSV files)."""
        identifier = row["uri"].rsplit("/", 1)[-1]
        parts = split_ocre_identifier(identifier)
        volume, section, number = parts if parts else ("", "", identifier.removeprefix("rrc-"))
        return cls(
            uri=row["uri"],
            label=row["label"],
            denomination=row["denomination"],
            material=row["material"],
            authority=row["authority"],
            mint=row["mint"],
            region=row["region"],
            obverse_legend=row["obverse_legend"],
            reverse_legend=row["reverse_legend"],
            year_start=_year(row.get("year_start")),
            year_end=_year(row.get("year_end")),
            volume=volume,
            section=section,
            number=number,
        )

    @property
    def corpus(self) -> str:
        return "crro" if self.uri.startswith(CRRO_PREFIX) else "ocre"

    @property
    def identifier(self) -> str:
        """The last part of the URI: "ric.1(2).aug.207", "rrc-335.1c"."""
        return self.uri.rsplit("/", 1)[-1]

    @property
    def is_subtype(self) -> bool:
        """OCRE's finer subdivisions of a catalogue number ("RIC IX Antioch 2A: Subtype iii")."""
        return ": Subtype" in self.label

    @property
    def catalogue_number(self) -> str:
        """The number as collectors cite it: "207", "105A", "123", "2A"; CRRO "335/1c"."""
        if self.corpus == "crro":
            return self.number.replace(".", "/", 1)
        number = self.number.split("_", 1)[0]  # "123_denarius": OCRE splits one RIC number by denomination
        if self.is_subtype and "." in number:
            number = number.rsplit(".", 1)[0]
        return number

    @property
    def citation(self) -> str:
        """How a collector cites the type: "RIC I² 207", "RIC VI Londinium 100", "Crawford 335/1c"."""
        if self.corpus == "crro":
            return f"Crawford {self.catalogue_number}"
        volume = VOLUME_NAMES.get(self.volume, self.volume)
        words = ["RIC", volume]
        if self.volume in {"6", "7", "8", "9"}:
            words.append(self.section_name)
        words.append(self.catalogue_number)
        return " ".join(words)

    @property
    def section_name(self) -> str:
        """The section as OCRE's label names it: "Augustus", "Londinium", "Gallienus (joint reign)"."""
        if self.corpus == "crro":
            return ""
        label = re.sub(r"^RIC [IVX]+(?:, Part \d)?(?: \(second edition\))? ", "", self.label.split(":", 1)[0])
        words = []
        for word in label.split(" "):
            if word[:1].isdigit():
                break
            words.append(word)
        return " ".join(words)

    def known(self, field: str) -> str:
        """A nomisma column, or "" when the table says none or uncertain."""
        value = getattr(self, field)
        return "" if value in UNKNOWN else value


def _year(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def split_ocre_identifier(identifier: str) -> tuple[str, str, str] | None:
    """ "ric.1(2).aug.207" -> ("1(2)", "aug", "207"); None for anything else."""
    match = _OCRE_ID_RE.match(identifier)
    return (match.group("volume"), match.group("section"), match.group("number")) if match else None


def table_twins(a: TypeRecord, b: TypeRecord) -> bool:
    """Two types the table cannot tell apart: the same section, denomination, material, mint, years
    and legends letter for letter (OCRE's lettered splits of one RIC number often are)."""
    from .legends import letters

    return (
        (a.volume, a.section, a.denomination, a.material, a.mint, a.year_start, a.year_end)
        == (b.volume, b.section, b.denomination, b.material, b.mint, b.year_start, b.year_end)
        and letters(a.obverse_legend) == letters(b.obverse_legend)
        and letters(a.reverse_legend) == letters(b.reverse_legend)
    )
