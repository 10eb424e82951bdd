"""Import a collection spreadsheet: create, update or leave alone one coin per row.

The inventory number (the sheet's first column) is the natural key: importing the same file twice
creates nothing, and a changed row updates its coin and lists each change as "field: old -> new".
A row without an inventory number is its earlier coin only when the match is unique and exact, and
never shares a coin with another row (see `identity`).

Curation survives a re-import: the sheet rewrites only the references and provenance events it wrote
itself (origin "import"), and only when its cell changed since the last import; what was entered or
edited in CoinStack, images, series memberships and lot links are left alone, and the report says so
(see `curation`).

Writes go in short transactions: a batch of rows per transaction, each row in its own savepoint, so
an exception half-way through a row leaves nothing of that row (not its coin, references,
provenance, lots, nor the vocabulary terms it created) while the rows before it stay. A dry run
does all of it inside one transaction that is rolled back.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count

from auctions.models import AuctionLot, CoinRole, LotStatus
from auctions.scraping.houses import recognise
from catalog.choices import Origin
from catalog.models import Coin, CoinImage, ProvenanceEvent, Reference, SeriesMembership, inventory_sort_key
from numismatics.text import fold
from numismatics.years import format_year_range
from vocab.matching import VocabMatcher
from vocab.models import Denomination, Issuer, Mint
from vocab.types import TypeLinker, context_for

from .columns import ColumnMap, map_columns
from .curation import Existing, merge
from .identity import Identities, plan_identities, row_keys
from .limits import Limits
from .photos import attach_photos
from .problems import ERROR, WARNING, Problem
from .reading import Sheet, UnusableFile
from .rows import RowData, RowReader, numista_link
from .sources import open_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
# Coin fields compared to decide "unchanged" and listed in "what changed".
VOCAB_FIELDS = ("issuer", "mint", "denomination")
# Sheet columns (field keys of catalog.importing.columns) that fill each coin field, for messages.
FIELD_COLUMNS = {
    "year_start": ("struck", "year_start"),
    "year_end": ("struck", "year_end"),
    "weight_g": ("weight",),
    "diameter_mm": ("diameter",),
    "ngc_strike": ("ngc_grade", "ngc_strike"),
    "ngc_surface": ("ngc_grade", "ngc_surface"),
    "grade_service": ("grade_service", "ngc_grade", "grading_state"),
    "grading_state": ("grading_state", "ngc_grade"),
    "acquisition_price": ("price",),
    "acquisition_currency": ("currency", "price"),
    "acquisition_url": ("url",),
    "storage_location": ("storage",),
    "notes": ("notes",),
    "disposal": ("status",),
    "disposal_currency": ("disposal_price",),
}
# What makes two references or two provenance events the same, for "unchanged".
REFERENCE_KEY = (
    "system", "volume", "number", "variant", "raw_text", "citation_text", "is_cf", "type_uri", "type_id",
)  # fmt: skip
PROVENANCE_KEY = ("kind", "name", "sale", "lot", "date", "date_text", "raw_text",
                  "hammer", "buyers_premium_pct", "total", "currency", "url")  # fmt: skip


@dataclass
class RowOutcome:
    row: int
    inventory: str
    action: str
    label: str = ""
    changes: list[str] = field(default_factory=list)
    matched_by_content: bool = False  # a row without inventory number recognised as its earlier coin
    kept: list[str] = field(default_factory=list)  # the coin's curation the sheet left alone
    coin_id: int | None = None


@dataclass
class ImportReport:
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_empty: int = 0
    failed: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_terms: list[str] = field(default_factory=list)  # "Denomination "Fllis" (did you mean Follis?)"
    unknown_columns: list[str] = field(default_factory=list)
    lots_created: int = 0
    kept: Counter = field(default_factory=Counter)  # what re-imported coins keep: "images": 12, ...
    source: str = "sheet"  # catalog.choices.ImportSource
    photos: int = 0  # photos stored with new coins (a collection program's file)
    batch_id: int | None = None  # the ImportBatch of a real import: /coins/?import_batch=N
    columns: list = field(default_factory=list)  # catalog.importing.mappings.ColumnChoice, per column
    mapping_remembered: bool = False  # the columns were mapped as chosen before for these headers
    notices: list[str] = field(default_factory=list)

    @property
    def matched_by_content(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.matched_by_content)

    @property
    def kept_summary(self) -> str:
        """ "2 references and 1 provenance event entered in the app, 5 images, 3 linked lots"."""
        curated = [
            _count(self.kept[key], word)
            for key, word in (("references", "reference"), ("provenance", "provenance event"))
            if self.kept[key]
        ]
        parts = [" and ".join(curated) + " entered in the app"] if curated else []
        words = (("images", "image"), ("memberships", "series membership"), ("lots", "linked lot"))
        parts += [_count(self.kept[key], word) for key, word in words if self.kept[key]]
        return ", ".join(parts)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        return (
            f"{verb} {self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped_empty} skipped (empty), {self.failed} failed; "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings."
            + (
                f" {self.matched_by_content} rows without inventory number matched by content."
                if self.matched_by_content
                else ""
            )
            + (f" Left alone: {self.kept_summary}." if self.kept_summary else "")
        )


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def import_file(
    path: str | Path,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
    currency: str = "USD",
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
    mapping: dict | None = None,
    remember_mapping: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Import one file: a spreadsheet (.xlsx/.csv, a Numista export among them) or an OpenNumismat
    collection (.db), told apart by content. `mapping` (column header -> field key, "keep" or "ignore")
    overrides the guessed columns; without one, the mapping last chosen for files with the same headers
    is used. `remember_mapping` stores `mapping` for those files (on a real import). A real import is
    recorded (ImportBatch) under `file_name`. UnusableFile (nothing written) when the file cannot be
    used at all (or is beyond `limits`; default: Limits.from_settings())."""
    from . import mappings  # (mappings and batches import this module)
    from .batches import record_batch

    limits = limits or Limits.from_settings()
    with open_table(path, sheet, limits) as table:
        chosen = mappings.check(mapping, table) if mapping is not None else mappings.remembered(table)
        columns = map_columns(table, chosen)
        importer = Importer(table, columns, currency=currency, dry_run=dry_run, progress=progress)
        importer.max_new_terms = limits.new_terms
        report = importer.run()
        report.columns = mappings.describe(table, columns)
        report.mapping_remembered = mapping is None and chosen is not None
        if remember_mapping and mapping is not None and not dry_run:
            mappings.remember(table, chosen)
    record_batch(report, file_name or Path(path).name)
    return report


def _platform(url: str) -> str:
    """The auction platform of a lot URL ("" for a site no house parser knows)."""
    try:
        parser = recognise(url)
    except Exception:  # UnknownHouse or anything else: the lot just stays unrecognised
        return ""
    platform = getattr(parser, "platform", "") or ""
    return "" if platform == "generic" else platform[:20]


def _show(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


class Importer:
    def __init__(
        self,
        sheet: Sheet,
        columns: ColumnMap,
        *,
        currency: str = "USD",
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.reader = RowReader(sheet, columns, currency)
        self.dry_run = dry_run
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.matchers = {"issuer": VocabMatcher(Issuer), "mint": VocabMatcher(Mint),
                         "denomination": VocabMatcher(Denomination)}  # fmt: skip
        self.coins: dict[str, Coin] = {}  # inventory number -> coin, for every number in the file
        self.preloaded: set[str] = set()  # numbers whose absence from self.coins means "no such coin"
        self.identities = Identities()  # rows without inventory number -> their existing coins
        self.row_keys: dict[int, str] = {}
        self.lots: dict[str, AuctionLot] = {}
        self.new_issuers: set[int] = set()
        self.old_references: dict[int, list[Existing]] = {}  # coin id -> its references, in order
        self.old_provenance: dict[int, list[Existing]] = {}
        self.types = TypeLinker()  # resolves citations against the type table, one URI lookup each
        self.curation: dict[int, Counter] = {}  # coin id -> images, memberships, lots it holds
        self.previous_state: dict[int, dict] = {}  # id(coin) -> its import_state before this row
        self.max_new_terms = Limits().new_terms

    # --- the run -----------------------------------------------------------------------------------
    def run(self) -> ImportReport:
        report = self.report
        report.source = self.sheet.source
        for notice in self.sheet.notices:
            report.problems.append(Problem(None, "", "", notice, WARNING))
        for label in self.columns.unknown.values():
            report.unknown_columns.append(label)
            message = "is not a column we know; its values are kept in each coin's notes."
            report.problems.append(Problem(None, label, "", message, WARNING))
        report.rows = len(self.sheet.rows)
        self._run_rows(self.sheet.rows)
        return report

    def _run_rows(self, rows: list[tuple[int, list]]) -> None:
        parsed = []
        unknown: dict[str, set[str]] = {key: set() for key in VOCAB_FIELDS}
        for number, values in rows:
            parsed.append(self.reader.read(number, values))
            self._count_new_terms(parsed[-1], unknown)
        parsed = self._drop_duplicates(parsed)
        self._preload(parsed)
        done = 0
        for start in range(0, len(parsed), BATCH_SIZE):
            batch = parsed[start : start + BATCH_SIZE]
            if self.dry_run:
                # Each batch is written and rolled back: the preview is computed by the same code as
                # the import, yet never holds SQLite's write lock for longer than one batch. What a
                # rolled-back batch created stays in this run's caches, so later batches see the terms
                # and coins the real import would have (their rows are gone, and never referenced
                # outside a transaction that is rolled back too).
                with transaction.atomic():
                    self._run_batch(batch)
                    transaction.set_rollback(True)
            else:
                self._run_batch(batch)
            done += len(batch)
            if self.progress:
                self.progress(done, len(parsed))

    def _count_new_terms(self, data: RowData, unknown: dict[str, set[str]]) -> None:
        """Refuse, as soon as it shows and before writing anything, a file naming more than
        `max_new_terms` names the vocabulary does not know (each distinct name looked up, never created)."""
        for key in VOCAB_FIELDS:
            name = "" if data.empty else data.names.get(key, "")
            if name and name not in unknown[key] and self.matchers[key].lookup(name) is None:
                unknown[key].add(name)
        if sum(len(names) for names in unknown.values()) > self.max_new_terms:
            counts = ", ".join(f"{len(v)} {k}s" for k, v in unknown.items() if v)
            raise UnusableFile(
                f"By row {data.number:,} this file already names more than {self.max_new_terms:,} "
                f"issuers, mints or denominations the vocabulary does not know ({counts}), the limit: "
                "check that each column holds what its header says. Nothing was imported."
            )

    def _drop_duplicates(self, parsed: list[RowData]) -> list[RowData]:
        """A number used twice in one file is a typing error: the later row is reported, not imported."""
        seen: dict[str, int] = {}
        kept = []
        for data in parsed:
            if data.inventory and not data.empty:
                if data.inventory in seen:
                    message = (
                        f"this inventory number is already used on row {seen[data.inventory]}; "
                        "this row was not imported."
                    )
                    column = self.reader._label("inventory")
                    self.report.problems.append(Problem(data.number, column, data.inventory, message))
                    self.report.outcomes.append(RowOutcome(data.number, data.inventory, FAILED))
                    self.report.failed += 1
                    continue
                seen[data.inventory] = data.number
            kept.append(data)
        return kept

    def _preload(self, parsed: list[RowData]) -> None:
        """Existing coins and lots for the whole file in a few queries, not one per row."""
        numbers = [d.inventory for d in parsed if d.inventory and not d.empty]
        nameless = [d for d in parsed if not d.inventory and not d.empty]
        self.identities = plan_identities(nameless, self.matchers)
        self.row_keys = row_keys(nameless)
        ids = [coin.pk for coin in self.identities.coins.values()]
        for chunk in _chunks(numbers, 500):
            coins = list(Coin.objects.filter(inventory_number__in=chunk).select_related(*VOCAB_FIELDS))
            for coin in coins:
                self.coins[coin.inventory_number] = coin
            ids += [coin.pk for coin in coins]
        self.preloaded.update(numbers)
        for chunk in _chunks(ids, 500):
            self._load_curation(chunk)
        urls = {url for d in parsed for url in d.lot_targets()}
        for chunk in _chunks(sorted(urls), 500):
            for lot in AuctionLot.objects.filter(url__in=chunk).select_related("coin"):
                self.lots[lot.url] = lot

    def _load_curation(self, ids: list[int]) -> None:
        """The coins' references and provenance as plain rows (comparing needs no model instances, and
        building 50,000 of them was most of a re-import's time), and how many images, memberships and
        linked lots each holds, for the report of what the import left alone."""
        for model, cache in ((Reference, self.old_references), (ProvenanceEvent, self.old_provenance)):
            cache.update({pk: [] for pk in ids})
            key, position = _KEYS[model]
            rows = (
                model.objects.filter(coin_id__in=ids)
                .order_by("coin_id", position, "id")
                .values_list("coin_id", "id", "origin", position, *key)
            )
            for coin_id, pk, origin, place, *values in rows:
                cache[coin_id].append(
                    _existing(model, pk, origin, place, dict(zip(key, values, strict=True)))
                )
        for pk in ids:
            self.curation[pk] = Counter()
        for model, name in ((CoinImage, "images"), (SeriesMembership, "memberships"), (AuctionLot, "lots")):
            counts = model.objects.filter(coin_id__in=ids).values("coin_id").annotate(n=Count("id"))
            for row in counts.order_by():
                self.curation[row["coin_id"]][name] = row["n"]

    def _run_batch(self, batch: list[RowData]) -> None:
        """Fast path: the whole batch in one transaction with bulk inserts. If anything in it fails,
        that transaction is rolled back and the batch is redone row by row, each row in its own
        savepoint, so only the faulty row is lost (and reported)."""
        rows = [d for d in batch if not d.empty]
        marks = self._marks(rows)
        try:
            with transaction.atomic():
                outcomes = self._write_rows(rows)
        except Exception:
            logger.info("A batch failed; retrying it row by row to isolate the faulty row.", exc_info=True)
            self._rewind(marks, rows)
            with transaction.atomic():
                for data in batch:
                    if data.empty:
                        self.report.skipped_empty += 1
                    else:
                        self._one_row(data)
            return
        self.report.skipped_empty += len(batch) - len(rows)
        for data, outcome in zip(rows, outcomes, strict=True):
            self._record(data, outcome)

    def _one_row(self, data: RowData) -> None:
        marks = self._marks([data])
        try:
            with transaction.atomic():
                (outcome,) = self._write_rows([data])
        except Exception as exc:  # one bad row must not stop the file; it is reported with its number
            logger.exception("Import of row %s failed", data.number)
            self._rewind(marks, [data])
            message = f"this row could not be imported ({exc}); nothing of it was saved."
            data.problems.append(Problem(data.number, "", data.inventory, message))
            outcome = RowOutcome(data.number, data.inventory, FAILED)
        self._record(data, outcome)

    def _record(self, data: RowData, outcome: RowOutcome) -> None:
        report = self.report
        photos = self.sheet.photos.get(data.number)
        if photos and outcome.action == CREATED and outcome.coin_id:
            stored, problems = attach_photos(
                outcome.coin_id, data.number, photos, self.sheet.photo_reader, self.dry_run
            )
            report.photos += stored
            data.problems.extend(problems)
        report.problems.extend(data.problems)
        report.outcomes.append(outcome)
        setattr(report, outcome.action, getattr(report, outcome.action) + 1)

    def _marks(self, rows: list[RowData]) -> dict:
        return {
            "terms": {key: len(m.created_terms) for key, m in self.matchers.items()},
            "problems": {id(d): len(d.problems) for d in rows},
            "new_terms": len(self.report.new_terms),
            "lots_created": self.report.lots_created,
        }

    def _rewind(self, marks: dict, rows: list[RowData]) -> None:
        """A transaction rolled back: drop what this run cached from it, so memory matches the database."""
        for key, matcher in self.matchers.items():
            for term in matcher.created_terms[marks["terms"][key] :]:
                matcher.forget(term)
                self.new_issuers.discard(term.pk)
        for data in rows:
            del data.problems[marks["problems"][id(data)] :]
            if data.inventory:
                self.coins.pop(data.inventory, None)
                self.preloaded.discard(data.inventory)  # ask the database again
            for url in data.lot_targets():
                self.lots.pop(url, None)
        urls = sorted({u for d in rows for u in d.lot_targets()})
        for lot in AuctionLot.objects.filter(url__in=urls).select_related("coin"):
            self.lots[lot.url] = lot  # lots that existed before the rolled-back transaction
        del self.report.new_terms[marks["new_terms"] :]
        self.report.lots_created = marks["lots_created"]
        for issuer_id in list(self.new_issuers):
            issuer = self.matchers["issuer"].term_by_pk(issuer_id)
            if issuer is not None and not self.dry_run:
                issuer.refresh_from_db(fields=["reign_start", "reign_end"])

    # --- writing -----------------------------------------------------------------------------------
    def _write_rows(self, rows: list[RowData]) -> list[RowOutcome]:
        planned = [self._apply(data) for data in rows]
        new_coins = [coin for coin, created, _ in planned if created]
        for coin in new_coins:
            # bulk_create skips Coin.save(): do here what save() does before writing.
            coin.inventory_sort = inventory_sort_key(coin.inventory_number)
            coin.acquisition_currency = coin.acquisition_currency.upper()
            coin.disposal_currency = coin.disposal_currency.upper()
        Coin.objects.bulk_create(new_coins)
        references: list[Reference] = []
        events: list[ProvenanceEvent] = []
        lots: list[AuctionLot] = []
        outcomes = []
        for data, (coin, created, changes) in zip(rows, planned, strict=True):
            outcome = RowOutcome(data.number, data.inventory, "", "", changes, coin_id=coin.pk)
            outcome.matched_by_content = data.number in self.identities.by_content
            changes += self._plan_list(Reference, coin, data, created, references, outcome)
            changes += self._plan_list(ProvenanceEvent, coin, data, created, events, outcome)
            self._plan_lots(coin, data, lots)
            if not created:
                self._note_curation(coin, outcome)
                if coin.import_state != self.previous_state.get(id(coin)):
                    # What the sheet said is remembered even when nothing else changed.
                    Coin.objects.filter(pk=coin.pk).update(import_state=coin.import_state)
            outcome.action = CREATED if created else UPDATED if changes else UNCHANGED
            outcome.label = str(coin)
            outcomes.append(outcome)
        Reference.objects.bulk_create(references)
        AuctionLot.objects.bulk_create(lots)
        for event in events:
            # An event that names its lot (a line with its fields) points at it, now that it exists.
            if getattr(event, "lot_url", ""):
                event.auction_lot = self.lots.get(event.lot_url)
        ProvenanceEvent.objects.bulk_create(events)
        self.report.lots_created += len(lots)
        return outcomes

    def _note_curation(self, coin: Coin, outcome: RowOutcome) -> None:
        held = self.curation.get(coin.pk, Counter())
        for key, word in (("images", "image"), ("memberships", "series membership"), ("lots", "linked lot")):
            if held[key]:
                outcome.kept.append(_count(held[key], word))
                self.report.kept[key] += held[key]

    def _apply(self, data: RowData) -> tuple[Coin, bool, list[str]]:
        """The row's values on its coin (found or new). Existing coins that changed are saved here;
        new ones are returned unsaved for one bulk insert."""
        values = dict(data.fields)
        for key in VOCAB_FIELDS:
            if key in data.names:
                part = self._mint_part(data, values) if key == "mint" else None
                values[key] = part or self._term(data, key)
        issuer = values.get("issuer")
        if issuer is not None and data.reign is not None:
            self._check_reign(data, issuer)
        coin = self._find_coin(data)
        created = coin is None
        if created:
            coin = Coin(inventory_number=data.inventory)
        self.previous_state[id(coin)] = dict(coin.import_state or {})
        state = dict(coin.import_state or {})
        if not data.inventory:
            state["row"] = self.row_keys.get(data.number, "")
            data.problems.extend(self.identities.problems.get(data.number, []))
        if data.source_id:
            state["source_id"] = data.source_id
        state.update(data.cell_digests)
        coin.import_state = state
        changes = []
        for name, new in values.items():
            if name in VOCAB_FIELDS:
                # Compare ids: reading coin.issuer would cost a query per row.
                if getattr(coin, f"{name}_id") != (new.pk if new is not None else None):
                    if not created:
                        changes.append(f"{name}: {_show(getattr(coin, name))} -> {_show(new)}")
                    setattr(coin, name, new)
                continue
            old = getattr(coin, name)
            if old != new:
                if not created:
                    changes.append(f"{name}: {_show(old)} -> {_show(new)}")
                setattr(coin, name, new)
        if created or changes:
            olds = {} if created else {c.split(":", 1)[0]: c for c in changes}
            for field in self._validate(coin, data):
                # The value was refused and left empty: the change list says what really happens.
                changes = [c for c in changes if not c.startswith(f"{field}:")]
                if field in olds and getattr(coin, field) != olds[field]:
                    changes.append(olds[field].rsplit(" -> ", 1)[0] + " -> (empty)")
        if changes and not created:
            coin.save()
        if data.inventory:
            self.coins[data.inventory] = coin
        return coin, created, changes

    def _validate(self, coin: Coin, data: RowData) -> list[str]:
        """Coin.full_clean(); a value it refuses (a range ending before it starts, a slab without a
        service...) is reported and left empty, so the rest of the row still imports. Returns the
        fields emptied. Foreign keys are not checked here: the terms come from this run's matcher, and
        checking each would cost three queries per row."""
        options = {"exclude": list(VOCAB_FIELDS), "validate_unique": False, "validate_constraints": False}
        emptied: list[str] = []
        for _attempt in range(3):
            try:
                coin.full_clean(**options)
                return emptied
            except ValidationError as exc:
                errors = exc.message_dict
                if NON_FIELD_ERRORS in errors or not errors:
                    raise
                for field, messages in errors.items():
                    model_field = coin._meta.get_field(field)
                    value = getattr(coin, field)
                    column = self._column_of(field)
                    message = " ".join(messages) + " Left empty."
                    data.problems.append(
                        Problem(data.number, column, "" if value is None else str(value), message)
                    )
                    empty = None if model_field.null else model_field.get_default()
                    setattr(coin, field, empty)
                    emptied.append(field)
                    if field in ("year_start", "year_end"):
                        coin.year_start = coin.year_end = None  # half a range would be a wrong date

        coin.full_clean(**options)
        return emptied

    def _column_of(self, field: str) -> str:
        """The sheet column a coin field came from, for messages."""
        for key in (*FIELD_COLUMNS.get(field, ()), field):
            if key in self.columns.fields:
                return self.reader._label(key)
        return field

    def _mint_part(self, data: RowData, values: dict):
        """ "Sarmatia, Olbia", "Rome, 3rd officinal": when the whole text names no known mint but one
        of its comma- or period-separated parts does, file the coin under that mint and keep the text.
        Only terms that existed before the run are tried, so a region ("Syria") is never created as a
        mint and the outcome does not depend on which row came first."""
        name = data.names.get("mint", "")
        matcher = self.matchers["mint"]
        if not re.search(r"[,.]", name) or matcher.lookup(name) is not None:
            return None
        found = {}
        created = {t.pk for t in matcher.created_terms}
        for part in re.split(r"[,.]", name):
            term = matcher.lookup(part.strip())
            # Terms this run created do not count: the result must not depend on the order of rows.
            if term is not None and term.pk not in created:
                found[term.pk] = term
        if len(found) != 1:
            return None
        (term,) = found.values()
        note = f"Mint as written: {name}"
        values["notes"] = "\n".join(n for n in (values.get("notes", ""), note) if n)
        message = (
            f'names a region or detail besides the mint; filed under "{term.name}", the text kept in notes.'
        )
        data.problems.append(Problem(data.number, self.reader._label("mint"), name, message, WARNING))
        return term

    def _term(self, data: RowData, key: str):
        name = data.names[key]
        match = self.matchers[key].match(name)
        if match.created:
            label = key.capitalize()
            hint = (
                f" Did you mean {' or '.join(repr(s) for s in match.suggestions)}?"
                if match.suggestions
                else ""
            )
            self.report.new_terms.append(f'{label} "{match.term.name}"{hint}')
            message = f"is not in the vocabulary yet: created, marked for review.{hint}"
            data.problems.append(Problem(data.number, self.reader._label(key), name, message, WARNING))
            if key == "issuer":
                self.new_issuers.add(match.term.pk)
        return match.term

    def _check_reign(self, data: RowData, issuer: Issuer) -> None:
        reign = data.reign
        if issuer.reign_start is None and issuer.reign_end is None:
            if issuer.pk in self.new_issuers:
                issuer.reign_start, issuer.reign_end = reign.start, reign.end
                if not self.dry_run:  # in a dry run the term may be from a batch already rolled back
                    issuer.save(update_fields=["reign_start", "reign_end"])
            return
        if (issuer.reign_start, issuer.reign_end) != (reign.start, reign.end):
            known = format_year_range(issuer.reign_start, issuer.reign_end)
            message = (
                f"differs from the reign recorded for {issuer.name} ({known}); the issuer was left as it is."
            )
            data.problems.append(
                Problem(data.number, self.reader._label("reign"), data.reign_text, message, WARNING)
            )

    def _find_coin(self, data: RowData) -> Coin | None:
        if data.inventory:
            coin = self.coins.get(data.inventory)
            if coin is None and data.inventory not in self.preloaded:
                # Not known from the preload (its batch was rolled back): ask the database.
                coin = Coin.objects.filter(inventory_number=data.inventory).first()
                self.preloaded.add(data.inventory)
            return coin
        return self.identities.coins.get(data.number)

    def _link_types(self, coin: Coin, data: RowData, references: list[Reference]) -> None:
        """RIC and Crawford citations resolved against the type table (vocab.types): linked to their
        type, or reported when they name none."""
        context = context_for(
            issuer=coin.issuer if coin.issuer_id else None,
            mint=coin.mint if coin.mint_id else None,
            denomination=coin.denomination if coin.denomination_id else None,
            metal=coin.metal,
            year_start=coin.year_start,
            year_end=coin.year_end,
            obverse_legend=coin.obverse_legend,
            reverse_legend=coin.reverse_legend,
        )
        for reference in references:
            linked = self.types.resolve_reference(reference, context)
            if linked.problem:
                data.problems.append(
                    Problem(
                        data.number,
                        self.reader._label("references"),
                        reference.raw_text,
                        linked.problem,
                        WARNING,
                    )
                )

    def _wanted(self, model, coin: Coin, data: RowData) -> list | None:
        """The sheet's references or provenance events for this coin, unsaved; None: no such column."""
        if model is Reference:
            if data.references is None:
                return None
            # One storage shape for citations, shared with the scrapers: catalog.models.Citation.
            references = [
                Reference(
                    coin=coin, position=position, origin=Origin.IMPORT, **Reference.values_from(citation)
                )
                for position, citation in enumerate(data.references)
            ]
            self._link_types(coin, data, references)
            for reference in references:
                reference.type_uri = reference.type_uri or numista_link(reference.system, reference.number)
            return references
        if data.provenance is None:
            return None
        events = [
            ProvenanceEvent.from_item(coin, item, order=order, origin=Origin.IMPORT)
            for order, item in enumerate(data.provenance)
        ]
        for event, item in zip(events, data.provenance, strict=True):
            event.lot_url = getattr(item, "lot_url", "")
        return events

    def _plan_list(self, model, coin: Coin, data: RowData, created: bool, out: list, outcome) -> list[str]:
        """Plan the coin's references (or provenance) from the sheet; returns the changes made. Rows the
        curator entered are kept and listed in `outcome.kept`."""
        wanted = self._wanted(model, coin, data)
        if wanted is None:
            return []
        name = "references" if model is Reference else "provenance"
        key, position_field = _KEYS[model]
        digest = data.cell_digests.get(name, "")
        previous = self.previous_state.get(id(coin), {})
        if created:
            out.extend(wanted)
            return []
        existing = self._old_rows(model, coin)
        if digest and previous.get(name) == digest:
            # The cell says what it said at the last import: whatever changed since is the curator's.
            self._note_kept(name, [r for r in existing if r.origin != Origin.IMPORT], outcome)
            return []
        keys = [tuple(getattr(obj, k) for k in key) for obj in wanted]
        identities = [_identity(model, {k: getattr(obj, k) for k in key}) for obj in wanted]
        plan = merge(existing, keys, identities)
        self._note_kept(name, plan.kept + [row for _, row in plan.stood_in], outcome)
        if plan.delete:
            model.objects.filter(pk__in=[row.id for row in plan.delete]).delete()
        if plan.adopt:
            model.objects.filter(pk__in=[row.id for row in plan.adopt]).update(origin=Origin.IMPORT)
        moved = [model(pk=pk, **{position_field: place}) for pk, place in plan.positions.items()]
        if moved:
            model.objects.bulk_update(moved, [position_field])
        for index, place in plan.create:
            setattr(wanted[index], position_field, place)
            out.append(wanted[index])
        if not plan.changed:
            return [f"{name}: order as in the sheet"] if plan.positions else []
        # What the sheet had written before (its own rows, and "unknown" ones it now holds) -> now.
        before = [row.label for row in existing if row in plan.delete or row.origin == Origin.IMPORT]
        before += [row.label for row in plan.adopt]
        if model is Reference:
            after = "; ".join(_label(model, obj) for obj in wanted)
            return [f"references: {_show('; '.join(before))} -> {_show(after)}"]
        return [f"provenance: {len(before)} -> {len(wanted)} entries from the sheet"]

    def _note_kept(self, name: str, rows: list[Existing], outcome: RowOutcome) -> None:
        curated = [row for row in rows if row.origin != Origin.IMPORT]
        if not curated:
            return
        self.report.kept[name] += len(curated)
        word = "reference" if name == "references" else "provenance event"
        labels = "; ".join(row.label for row in curated[:3]) + ("; …" if len(curated) > 3 else "")
        outcome.kept.append(f"{_count(len(curated), word)} entered in the app ({_show(labels)})")

    def _old_rows(self, model, coin: Coin) -> list[Existing]:
        """A coin's stored references or provenance: preloaded, else asked for once."""
        cache = self.old_references if model is Reference else self.old_provenance
        if coin.pk in cache:
            return cache.pop(coin.pk)  # used once: a changed coin's rows are rewritten right after
        key, position = _KEYS[model]
        rows = (
            model.objects.filter(coin=coin)
            .order_by(position, "id")
            .values_list("id", "origin", position, *key)
        )
        return [
            _existing(model, pk, origin, place, dict(zip(key, values, strict=True)))
            for pk, origin, place, *values in rows
        ]

    def _plan_lots(self, coin: Coin, data: RowData, out: list[AuctionLot]) -> None:
        """Every lot address of the row becomes a lot waiting to be scraped, linked to the coin (a lot
        already linked to another coin stays with it, and the row is told)."""
        linked = dict(data.lot_links)
        for url, role in data.lot_targets().items():
            lot = self.lots.get(url)
            if lot is None:
                lot = AuctionLot(
                    url=url, platform=_platform(url), status=LotStatus.PENDING, coin=coin, coin_role=role
                )
                self.lots[url] = lot
                out.append(lot)
            elif lot.coin_id is None:
                lot.coin, lot.coin_role = coin, role
                lot.save(update_fields=["coin", "coin_role", "updated_at"])
            elif lot.coin_id != coin.pk or lot.coin.inventory_number != coin.inventory_number:
                # (The numbers are compared too: in a dry run, ids of rolled-back rows are reused.)
                key = "auction_lots" if url in linked else "url" if role == CoinRole.ACQUISITION else "notes"
                column = self.reader._label(key) if key in self.columns.fields else key
                message = (
                    f"this lot is already linked to coin {lot.coin}; one lot holding several coins? "
                    "The URL is kept on this coin, the lot stays with the first."
                )
                data.problems.append(Problem(data.number, column, url, message, WARNING))


_KEYS = {Reference: (REFERENCE_KEY, "position"), ProvenanceEvent: (PROVENANCE_KEY, "order")}


def _identity(model, values: dict) -> tuple:
    """What makes two rows the same item though their details differ: a reference's citation (a type
    URI added in the admin does not make another reference), an event's line as written."""
    if model is Reference:
        return (values["is_cf"], fold(values["citation_text"] or values["raw_text"]))
    if values["raw_text"]:
        return (fold(values["raw_text"]),)
    return (values["kind"], fold(values["name"]), values["sale"], values["lot"])


def _label(model, obj) -> str:
    if model is Reference:
        return obj.citation
    return obj.raw_text or str(obj)


def _existing(model, pk: int, origin: str, place: int, values: dict) -> Existing:
    key = _KEYS[model][0]
    label = _label(model, model(**values))
    return Existing(pk, origin, place, tuple(values[k] for k in key), _identity(model, values), label)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["ImportReport", "Importer", "RowOutcome", "UnusableFile", "import_file"]
