"""Problems found while importing, each naming the row, the column and the value, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"  # the value could not be used: the field was left empty (or the row not imported)
WARNING = "warning"  # the value was used, but looks odd or was interpreted; worth a look


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the spreadsheet shows it; None for problems about the whole file
    column: str
    value: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.column:
            where += f', column "{self.column}"'
        value = f'"{_short(self.value)}" ' if self.value else ""
        return f"{where}: {value}{self.message}"


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
