"""A coin's list of references (or provenance events) after a re-import, without losing curation.

The sheet owns only the rows it wrote (origin "import"); rows entered or edited in CoinStack ("app")
are the curator's, and rows from before origins were kept ("unknown") are nobody's yet. `merge` plans
the new list:

- a sheet item equal to one of the sheet's rows keeps that row (same id, so links to it survive);
- a sheet row the sheet no longer holds is deleted;
- a sheet item equal to an "unknown" row adopts it (it becomes the sheet's);
- a sheet item that the curator already holds in their own version (same citation, another type URI;
  same pedigree line, other details) is not added again: the curator's version stands for it;
- everything else of the curator's stays, in its place: after the item it followed before.

Pure: rows in, a plan out; the importer writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMPORT, APP, UNKNOWN = "import", "app", "unknown"


@dataclass(frozen=True)
class Existing:
    id: int
    origin: str
    position: int
    key: tuple  # everything compared for "the same row"
    identity: tuple  # what makes it "the same item" though details differ
    label: str = ""


@dataclass
class MergePlan:
    delete: list[Existing] = field(default_factory=list)  # the sheet's rows it no longer holds
    adopt: list[Existing] = field(default_factory=list)  # "unknown" rows the sheet holds exactly
    create: list[tuple[int, int]] = field(default_factory=list)  # (wanted index, position)
    positions: dict[int, int] = field(default_factory=dict)  # existing id -> new position, when it moves
    kept: list[Existing] = field(default_factory=list)  # the curator's rows, left alone
    stood_in: list[tuple[int, Existing]] = field(default_factory=list)  # wanted index, curator's version

    @property
    def changed(self) -> bool:
        """The list's content changes (adopting a row changes only whose it is)."""
        return bool(self.delete or self.create)


def merge(existing: list[Existing], keys: list[tuple], identities: list[tuple]) -> MergePlan:
    """`existing` in its current order; `keys`/`identities` of the sheet's items in the sheet's order."""
    plan = MergePlan()
    standing: dict[int, Existing] = {}  # wanted index -> the existing row standing for it
    used: set[int] = set()

    def claim(index: int, origins: tuple[str, ...], attribute: str) -> Existing | None:
        wanted = keys[index] if attribute == "key" else identities[index]
        for row in existing:
            if row.id not in used and row.origin in origins and getattr(row, attribute) == wanted:
                used.add(row.id)
                standing[index] = row
                return row
        return None

    for index in range(len(keys)):
        claim(index, (IMPORT,), "key")
    for index in range(len(keys)):
        if index not in standing and claim(index, (UNKNOWN,), "key") is not None:
            plan.adopt.append(standing[index])
    for index in range(len(keys)):
        if index not in standing:
            row = claim(index, (APP, UNKNOWN), "identity")
            if row is not None:
                plan.stood_in.append((index, row))

    # The curator's other rows keep their place: after the sheet item they followed, and those after
    # the last one stay at the end.
    after: dict[int | str | None, list[Existing]] = {}
    stands_for = {row.id: index for index, row in standing.items()}
    last_standing = max((i for i, row in enumerate(existing) if row.id in stands_for), default=-1)
    anchor: int | None = None
    for place, row in enumerate(existing):
        if row.id in stands_for:
            anchor = stands_for[row.id]
        elif row.origin == IMPORT:
            plan.delete.append(row)
        else:
            after.setdefault(anchor if place < last_standing else "end", []).append(row)
            plan.kept.append(row)

    sequence: list[Existing | int] = list(after.get(None, []))
    for index in range(len(keys)):
        sequence.append(standing.get(index, index))
        sequence.extend(after.get(index, []))
    sequence.extend(after.get("end", []))
    survivors = [item for item in sequence if isinstance(item, Existing)]
    in_order = survivors == sorted(survivors, key=lambda r: (r.position, r.id))
    if len(survivors) == len(sequence) == len(existing) and in_order:
        return plan  # same rows in the same order: positions as the curator left them
    for position, item in enumerate(sequence):
        if isinstance(item, Existing):
            if item.position != position:
                plan.positions[item.id] = position
        else:
            plan.create.append((item, position))
    return plan
