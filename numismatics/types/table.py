"""The OCRE and CRRO type tables shipped with the project, in memory, with the lookups resolution needs.

`type_table()` reads numismatics/data/types/*.tsv.xz once per process (about a second) and keeps
them: 52,904 records and a few dictionaries, some 40 MB. Nothing is read at import time.
"""

from __future__ import annotations

import functools
import lzma
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from .records import TypeRecord
from .sections import DIVI, FAMILY

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "types"
TABLE_FILES = ("ocre.tsv.xz", "crro.tsv.xz")
_LEADING_DIGITS = re.compile(r"^(\d+)")


def read_records(data_dir: Path = DATA_DIR) -> list[TypeRecord]:
    """Every record of the shipped tables (OCRE first, then CRRO), in file order."""
    records: list[TypeRecord] = []
    for name in TABLE_FILES:
        text = lzma.decompress((data_dir / name).read_bytes()).decode("utf-8")
        lines = text.split("\n")
        header = lines[0].split("\t")
        for line in lines[1:]:
            if line:
                records.append(TypeRecord.from_row(dict(zip(header, line.split("\t"), strict=True))))
    return records


class TypeTable:
    """The records and their lookups: by URI, by catalogue number within an OCRE section or CRRO,
    sections by volume, by mint and by authority."""

    def __init__(self, records: Iterable[TypeRecord]) -> None:
        self.records: tuple[TypeRecord, ...] = tuple(records)
        self.by_uri: dict[str, TypeRecord] = {}
        # (volume, section) -> casefolded catalogue number -> records; CRRO under ("", "").
        self._numbers: dict[tuple[str, str], dict[str, list[TypeRecord]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # (volume, section) -> leading digits -> records ("105" -> 105A, 105B; "123" -> 123_denarius).
        self._digits: dict[tuple[str, str], dict[str, list[TypeRecord]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._sections: dict[str, list[str]] = defaultdict(list)
        self.section_names: dict[tuple[str, str], str] = {}
        self.section_mints: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.section_authorities: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self._issuer_sections: dict[str, frozenset[tuple[str, str]]] = {}
        self._owners: dict[tuple[str, str], str] = {}
        for record in self.records:
            self.by_uri[record.uri] = record
            key = (record.volume, record.section)
            number = record.catalogue_number
            self._numbers[key][number.casefold()].append(record)
            digits = _LEADING_DIGITS.match(number)
            if digits:
                self._digits[key][digits.group(1)].append(record)
            if record.corpus == "ocre":
                if record.section not in self._sections[record.volume]:
                    self._sections[record.volume].append(record.section)
                self.section_names.setdefault(key, record.section_name)
                if record.known("mint"):
                    self.section_mints[key][record.mint] += 1
                if record.known("authority"):
                    self.section_authorities[key][record.authority] += 1

    def __len__(self) -> int:
        return len(self.records)

    def get(self, uri: str) -> TypeRecord | None:
        return self.by_uri.get(uri)

    def volumes(self) -> list[str]:
        return list(self._sections)

    def sections(self, volume: str) -> list[str]:
        return list(self._sections.get(volume, ()))

    def numbered(self, volume: str, section: str, number: str) -> list[TypeRecord]:
        """Records whose catalogue number is `number` (any letter case), subtypes and OCRE's splits by
        denomination included; CRRO with volume = section = ""."""
        return list(self._numbers.get((volume, section), {}).get(number.casefold(), ()))

    def with_digits(self, volume: str, section: str, digits: str) -> list[TypeRecord]:
        """Records whose catalogue number starts with these digits and goes on with letters only."""
        return [
            record
            for record in self._digits.get((volume, section), {}).get(digits, ())
            if not record.catalogue_number[len(digits) :][:1].isdigit()
        ]

    def records_by_prefix(self, volume: str, section: str, digits: str) -> list[TypeRecord]:
        """Records whose catalogue number starts with these digits and no further digit ("335" ->
        335/1a, 335/10b ...)."""
        return list(self._digits.get((volume, section), {}).get(digits, ()))

    def sections_of_mint(self, volume: str, mint: str) -> list[str]:
        """The sections of a volume arranged by this mint (RIC VI-IX): "londinium" -> ["lon"]."""
        return [section for section in self.sections(volume) if mint in self.section_mints[(volume, section)]]

    def sections_of_authority(self, authority: str) -> list[tuple[str, str]]:
        """(volume, section) pairs where the table names this nomisma id as the authority."""
        return [key for key, counts in self.section_authorities.items() if authority in counts]

    def section_owner(self, volume: str, section: str) -> str:
        """The issuer a section of RIC I-V or X is named for ("ric.4.crl" -> "caracalla"), "" for
        the mint sections of RIC VI-IX and sections named for no one ("Civil Wars")."""
        key = (volume, section)
        owner = self._owners.get(key)
        if owner is None:
            from .spellings import find_issuer

            name = self.section_names.get(key, "")
            owner = self._owners[key] = find_issuer(name.split(" (")[0]) if name else ""
        return owner

    def issuer_sections(self, issuer: str) -> frozenset[tuple[str, str]]:
        """The (volume, section) pairs where an issuer's coins are numbered: where the table names
        them as the authority, and where FAMILY lists them under someone else's reign."""
        if not issuer:
            return frozenset()
        cached = self._issuer_sections.get(issuer)
        if cached is None:
            sections = set(self.sections_of_authority(issuer))
            for listing in (FAMILY, DIVI):
                sections.update(
                    key for key, people in listing.items() if issuer in people and key in self.section_names
                )
            cached = self._issuer_sections[issuer] = frozenset(sections)
        return cached


@functools.cache
def type_table() -> TypeTable:
    """The shipped tables, read once per process."""
    return TypeTable(read_records())
