"""The column mapping a user sees and changes: each column, the field it fills and a few sample values;
mappings given on the command line (`import_collection --mapping FILE.json`) or on the preview are
checked here, and remembered for the next file with the same header row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from catalog.models import ColumnMapping

from .columns import FIELD_LABELS, IGNORE, KEEP, ColumnMap
from .reading import Sheet, UnusableFile
from .rows import cell_text

SAMPLES = 3
SAMPLE_ROWS = 1_000  # samples are looked for among the first rows only: a mostly empty column costs no more
MAX_MAPPING_BYTES = 100_000  # a mapping file names a field for each of at most 200 columns
CHOICES: list[tuple[str, str]] = [
    (KEEP, "Keep in the notes (under its header)"),
    (IGNORE, "Ignore this column"),
    *sorted(FIELD_LABELS.items(), key=lambda item: item[1].casefold()),
]


@dataclass(frozen=True)
class ColumnChoice:
    index: int
    label: str
    choice: str  # a field key, KEEP or IGNORE
    samples: tuple[str, ...]


def headers_key(headers: list[str]) -> str:
    """A digest of the header row as written (same headers, same order: the same kind of file)."""
    return hashlib.sha256(json.dumps(headers, ensure_ascii=False).encode("utf-8")).hexdigest()


def describe(sheet: Sheet, columns: ColumnMap) -> list[ColumnChoice]:
    """Each column with what it fills and its first few non-empty values (shortened)."""
    described = []
    for index in range(len(sheet.headers)):
        samples: list[str] = []
        for _, values in sheet.rows[:SAMPLE_ROWS]:
            text = cell_text(values[index]) if index < len(values) else ""
            if text and text not in samples:
                samples.append(text if len(text) <= 60 else text[:59] + "…")
            if len(samples) == SAMPLES:
                break
        described.append(
            ColumnChoice(index, sheet.column_label(index), columns.choice_of(index), tuple(samples))
        )
    return described


def check(mapping: object, sheet: Sheet) -> dict[str, str]:
    """A user's mapping, checked against the file: every key a column header of the file, every value a
    field key, "keep" or "ignore". UnusableFile says what is wrong, before anything is imported."""
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise UnusableFile('A mapping is a JSON object: {"column header": "field", ...}.')
    labels = {sheet.column_label(i) for i in range(len(sheet.headers))}
    missing = sorted(k for k in mapping if k not in labels)
    if missing:
        shown = ", ".join(f'"{m[:60]}"' for m in missing[:5])
        raise UnusableFile(f"The mapping names columns this file does not have: {shown}.")
    wrong = sorted({v for v in mapping.values() if v not in FIELD_LABELS and v not in (KEEP, IGNORE)})
    if wrong:
        shown = ", ".join(f'"{w[:40]}"' for w in wrong[:5])
        raise UnusableFile(
            f"The mapping names fields we do not know: {shown}. Use a field key "
            f'({", ".join(sorted(FIELD_LABELS)[:6])}, ...), "{KEEP}" or "{IGNORE}".'
        )
    return dict(mapping)


def read_mapping_file(path: str | Path) -> dict:
    """A --mapping FILE.json, bounded in size and parsed; UnusableFile when it is not one."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise UnusableFile(f"The mapping file is larger than {MAX_MAPPING_BYTES:,} bytes.")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnusableFile(f"Cannot open the mapping file {path.name}: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnusableFile(f"The mapping file {path.name} is not JSON ({exc}).") from exc


def remembered(sheet: Sheet) -> dict[str, str] | None:
    """The mapping chosen before for files with this header row, if any (and still valid for it)."""
    found = ColumnMapping.objects.filter(headers_key=headers_key(sheet.headers)).first()
    if found is None:
        return None
    try:
        return check(found.mapping, sheet)
    except UnusableFile:
        return None


def remember(sheet: Sheet, mapping: dict[str, str]) -> None:
    ColumnMapping.objects.update_or_create(
        headers_key=headers_key(sheet.headers), defaults={"headers": sheet.headers, "mapping": mapping}
    )
