"""Bring a collection archive (catalog.exporting.archive) back: into an empty database, on either
backend, as the same collection.

The zip is untrusted until proven otherwise, and checked before any work: member count, unpacked
sizes (declared in the zip's directory, which zipfile enforces while reading), member names (only the
document and `media/<coins|thumbs|lots>/...`: no absolute path, no "..", never used as a path on
disk), the document's size, format, version and schema, every field name and every link between
rows. Each image passes `coinstack.security.validate_image_upload`, as any upload does.

All or nothing: the rows go in one transaction, and image files saved before a failure are removed
again. Rows keep their ids, dates and every field; vocabulary terms, auction houses and sales that the
database already has are matched by name and kept as they are (differences are reported).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from auctions.models import AuctionHouse, AuctionLot, Sale
from catalog.exporting.archive_format import (
    ARCHIVED,
    CHILDREN,
    COLLECTION_TABLES,
    DOCUMENT,
    FORMAT,
    MEDIA_FOLDERS,
    MEDIA_PREFIX,
    VERSION,
    VOCABULARIES,
    columns,
    decode,
    file_fields,
)
from catalog.models import Coin, Series
from coinstack.security import validate_image_upload
from vocab.models import CoinType
from vocab.normalize import match_key

from .limits import size_text
from .reading import UnusableFile

GB = 1024**3
# A stored file's name: one of our media folders, then plain path segments (never "..", never absolute).
SAFE_MEDIA_NAME = re.compile(rf"^(?:{'|'.join(MEDIA_FOLDERS)})/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")
BATCH = 1000


@dataclass(frozen=True)
class ArchiveLimits:
    members: int = 1_000_000
    unpacked_bytes: int = 64 * GB
    document_bytes: int = 2 * GB

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        default = cls()
        return cls(
            members=int(getattr(settings, "COINSTACK_ARCHIVE_MAX_MEMBERS", default.members)),
            unpacked_bytes=int(getattr(settings, "COINSTACK_ARCHIVE_MAX_BYTES", default.unpacked_bytes)),
            document_bytes=int(
                getattr(settings, "COINSTACK_ARCHIVE_MAX_DOCUMENT_BYTES", default.document_bytes)
            ),
        )


@dataclass
class ArchiveImportReport:
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "Would bring back" if self.dry_run else "Brought back"
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        text = f"{verb} from the archive: {parts}; {self.files} image files."
        if self.warnings:
            text += f" {len(self.warnings)} warnings."
        return text


def is_archive(path: str | Path) -> bool:
    """A zip holding our document (decided by content, never by the file's name)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return DOCUMENT in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def import_archive(
    path: str | Path, *, dry_run: bool = False, limits: ArchiveLimits | None = None
) -> ArchiveImportReport:
    """Read the archive at `path` into this (empty) database. UnusableFile, with nothing written, when
    it cannot be: the message says what and where."""
    limits = limits or ArchiveLimits.from_settings()
    report = ArchiveImportReport(dry_run=dry_run)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableFile(f"The archive cannot be read ({exc}).") from exc
    with archive:
        members = _check_members(archive, limits)
        document = _read_document(archive, members, limits)
        reader = _Reader(archive, members, document, report)
        reader.check()
        _check_empty()
        saved: list[str] = []
        try:
            with transaction.atomic():
                reader.write(saved, dry_run)
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            for name in saved:
                default_storage.delete(name)
            raise
    return report


def _check_members(archive: zipfile.ZipFile, limits: ArchiveLimits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise UnusableFile(f"The archive holds {len(infos):,} files; the limit is {limits.members:,}.")
    total = sum(info.file_size for info in infos)
    if total > limits.unpacked_bytes:
        raise UnusableFile(
            f"The archive unpacks to {size_text(total)}; the limit is {size_text(limits.unpacked_bytes)}."
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        media = name[len(MEDIA_PREFIX) :] if name.startswith(MEDIA_PREFIX) else None
        if name != DOCUMENT and not (media and SAFE_MEDIA_NAME.match(media) and ".." not in media.split("/")):
            raise UnusableFile(
                f'The archive holds "{name[:200]}", which is neither its document nor an image under '
                f"{MEDIA_PREFIX}{'|'.join(MEDIA_FOLDERS)}/: it was not read."
            )
        if name in members:
            raise UnusableFile(f'The archive holds "{name}" twice.')
        members[name] = info
    if DOCUMENT not in members:
        raise UnusableFile(f"This zip file is not a CoinStack archive (it has no {DOCUMENT}).")
    return members


def _read_document(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], limits: ArchiveLimits
) -> dict:
    info = members[DOCUMENT]
    if info.file_size > limits.document_bytes:
        raise UnusableFile(
            f"The archive's document is {size_text(info.file_size)}; the limit is "
            f"{size_text(limits.document_bytes)}."
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(limits.document_bytes + 1)
        document = json.loads(data)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnusableFile(f"The archive's document cannot be read ({exc}).") from exc
    except (ValueError, RecursionError) as exc:
        raise UnusableFile(f"The archive's document is not valid JSON ({str(exc)[:200]}).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UnusableFile("This is not a CoinStack archive (its document does not say so).")
    if document.get("version") != VERSION:
        raise UnusableFile(
            f"This archive is of version {document.get('version')!r}; this CoinStack reads version {VERSION}."
        )
    return document


def _check_empty() -> None:
    held = [(model._meta.verbose_name_plural, model.objects.count()) for model in COLLECTION_TABLES]
    held = [(name, count) for name, count in held if count]
    if held:
        what = ", ".join(f"{count:,} {name}" for name, count in held)
        raise UnusableFile(
            f"An archive is brought back into an empty collection, and this database holds {what}. "
            "Use a new database (migrate it, then import the archive); nothing was changed."
        )


class _Reader:
    """Checks the document's rows, then writes them."""

    def __init__(self, archive, members, document, report: ArchiveImportReport) -> None:
        self.archive = archive
        self.members = members
        self.document = document
        self.report = report
        self.rows: dict[type[models.Model], list[dict]] = {model: [] for model in ARCHIVED}
        self.ids: dict[type[models.Model], dict[int, int]] = {}  # archive id -> database id

    # --- checking -----------------------------------------------------------------------------------
    def check(self) -> None:
        self._check_schema()
        vocabulary = self._section(self.document, "vocabulary", dict)
        for key, (model, alias_model) in VOCABULARIES.items():
            for term in self._list(vocabulary, key):
                self._collect(model, term, extra=("aliases",))
                for alias in self._list(term, "aliases"):
                    self._collect(alias_model, alias)
        for key, model in (("types", CoinType), ("houses", AuctionHouse), ("sales", Sale)):
            for item in self._list(self.document, key):
                self._collect(model, item)
        for key, parent_model in (("series", Series), ("lots", AuctionLot), ("coins", Coin)):
            for item in self._list(self.document, key):
                self._collect(parent_model, item, extra=tuple(CHILDREN[parent_model]))
                for child_key, (child_model, _fk) in CHILDREN[parent_model].items():
                    for child in self._list(item, child_key):
                        self._collect(child_model, child)
        self._check_links()

    def _check_schema(self) -> None:
        """Refuse an archive from a newer schema: its rows may hold what this code cannot store."""
        source = self._section(self.document, "source", dict).get("migrations", {})
        applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
        unknown = [f"{app} {name}" for app, name in sorted(source.items()) if (app, name) not in applied]
        if unknown:
            raise UnusableFile(
                f"This archive was made by a newer CoinStack (its schema has {', '.join(unknown)}, unknown "
                "here): update CoinStack and migrate, then import it."
            )

    @staticmethod
    def _section(container: dict, key: str, kind: type):
        value = container.get(key, kind())
        if not isinstance(value, kind):
            raise UnusableFile(f'The archive\'s "{key}" is not a {kind.__name__}.')
        return value

    def _list(self, container: dict, key: str) -> list:
        items = self._section(container, key, list)
        if not all(isinstance(item, dict) for item in items):
            raise UnusableFile(f'The archive\'s "{key}" holds something other than records.')
        return items

    def _collect(self, model, item: dict, extra: tuple[str, ...] = ()) -> None:
        known = columns(model)
        unknown = set(item) - set(known) - set(extra)
        if unknown:
            raise UnusableFile(
                f"The archive's {model._meta.verbose_name} records have fields this CoinStack does not know "
                f"({', '.join(sorted(unknown))}): it was made by a newer version."
            )
        if not isinstance(item.get("id"), int):
            raise UnusableFile(f"A {model._meta.verbose_name} record of the archive has no id.")
        values = {}
        for name, value in item.items():
            if name in extra:
                continue
            try:
                values[name] = decode(known[name], value)
            except (ValidationError, TypeError, ValueError) as exc:
                where = f"{model._meta.verbose_name} {item['id']}, {name}"
                raise UnusableFile(
                    f"The archive's {where} holds {str(value)[:80]!r}, not a valid value ({exc})."
                ) from exc
        self.rows[model].append(values)

    def _check_links(self) -> None:
        """Every link between rows points at a row of the archive (of a model the archive carries)."""
        present = {model: {row["id"] for row in rows} for model, rows in self.rows.items()}
        for model, rows in self.rows.items():
            if len(present[model]) != len(rows):
                raise UnusableFile(f"The archive lists a {model._meta.verbose_name} id twice.")
            for fk in (f for f in model._meta.concrete_fields if f.many_to_one):
                target = fk.related_model
                if target not in present:
                    raise UnusableFile(
                        f"The archive's {model._meta.verbose_name} rows link to {target._meta.verbose_name}, "
                        "which this CoinStack does not bring back."
                    )
                for row in rows:
                    value = row.get(fk.attname)
                    if value is not None and value not in present[target]:
                        raise UnusableFile(
                            f"The archive's {model._meta.verbose_name} {row['id']} links to "
                            f"{target._meta.verbose_name} {value}, which is not in the archive."
                        )

    # --- writing ------------------------------------------------------------------------------------
    def write(self, saved: list[str], dry_run: bool) -> None:
        names = self._files(saved, dry_run)
        for model in ARCHIVED:
            rows = self.rows[model]
            for row in rows:
                for name in file_fields(model):
                    if row.get(name):
                        row[name] = names.get(row[name], row[name])
            if model in COLLECTION_TABLES:
                self._insert(model, rows)
            else:
                self._match_or_create(model, rows)
            self.report.counts[str(model._meta.verbose_name_plural)] = len(rows)
        sql = connection.ops.sequence_reset_sql(no_style(), list(ARCHIVED))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

    def _files(self, saved: list[str], dry_run: bool) -> dict[str, str]:
        """Validate every image named by a row and store it; archive name -> stored name."""
        stored: dict[str, str] = {}
        problems: list[str] = []
        for model in ARCHIVED:
            for row in self.rows[model]:
                for attribute in file_fields(model):
                    name = row.get(attribute)
                    if not name or name in stored:
                        continue
                    if not SAFE_MEDIA_NAME.match(name) or ".." in name.split("/"):
                        raise UnusableFile(
                            f'The archive names an image "{name[:200]}" outside the media folders.'
                        )
                    info = self.members.get(MEDIA_PREFIX + name)
                    if info is None:
                        self.report.warnings.append(
                            f"{model._meta.verbose_name} {row['id']}: its file {name} is not in the archive "
                            "(it was missing when the archive was made); the row is kept as it was."
                        )
                        stored[name] = name
                        continue
                    error = self._store(info, name, stored, saved, dry_run)
                    if error:
                        problems.append(f"{model._meta.verbose_name} {row['id']} ({name}): {error}")
        if problems:
            listed = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
            raise UnusableFile(f"{len(problems)} images of the archive were refused: {listed}")
        return stored

    def _store(self, info, name: str, stored: dict, saved: list[str], dry_run: bool) -> str:
        limit = settings.COINSTACK_MAX_IMAGE_BYTES
        if info.file_size > limit:
            return f"{size_text(info.file_size)}, more than the {size_text(limit)} an image may have"
        with self.archive.open(info) as handle:
            data = handle.read(limit + 1)
        content = ContentFile(data, name=name.rsplit("/", 1)[-1])
        try:
            validate_image_upload(content)
        except ValidationError as exc:
            return " ".join(exc.messages)
        self.report.files += 1
        if dry_run:
            stored[name] = name
            return ""
        content.seek(0)
        actual = default_storage.save(name, content)
        saved.append(actual)
        stored[name] = actual
        return ""

    def _insert(self, model, rows: list[dict]) -> None:
        """Rows as they were, ids, dates and derived columns included (no save(): nothing recomputed)."""
        fields = list(model._meta.concrete_fields)
        for row in rows:
            for fk in (f for f in fields if f.many_to_one):
                value = row.get(fk.attname)
                if value is not None and fk.related_model in self.ids:
                    row[fk.attname] = self.ids[fk.related_model][value]
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        defaults = {f.attname: f.get_default() for f in fields}
        values = [
            [
                f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection=connection)
                for f in fields
            ]
            for row in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(values), BATCH):
                cursor.executemany(sql, values[start : start + BATCH])

    def _match_or_create(self, model, rows: list[dict]) -> None:
        """Vocabulary, houses and sales: the database's own row when it has one, else the archive's."""
        empty = not model.objects.exists()
        mapping = self.ids.setdefault(model, {})
        for row in rows:
            row = dict(row)
            source_id = row.pop("id")
            for fk in (f for f in model._meta.concrete_fields if f.many_to_one):
                if row.get(fk.attname) is not None:
                    row[fk.attname] = self.ids[fk.related_model][row[fk.attname]]
            existing = self._existing(model, row)
            if existing is not None:
                mapping[source_id] = existing.pk
                differences = [
                    name
                    for name, value in row.items()
                    if name != "match_key" and getattr(existing, name) != value
                ]
                if differences:
                    self.report.warnings.append(
                        f'{model._meta.verbose_name} "{existing}" is already in this database and differs '
                        f"from the archive's in {', '.join(differences)}: the database's was kept."
                    )
                continue
            obj = model(**row)
            if empty:
                obj.pk = source_id
            if model is AuctionHouse and model.objects.filter(slug=obj.slug).exists():
                obj.slug = f"{obj.slug}-{source_id}"[:200]  # another house has the slug: keep both
            obj.save(force_insert=True)
            mapping[source_id] = obj.pk

    @staticmethod
    def _existing(model, row: dict):
        if hasattr(model, "match_key") and "name" in row:
            return model.objects.filter(match_key=match_key(row["name"])).first()
        if model is CoinType:
            return model.objects.filter(uri=row["uri"]).first()
        if model is AuctionHouse:
            return model.objects.filter(name__iexact=row["name"]).first()
        if model is Sale and row.get("number"):
            return model.objects.filter(house_id=row["house_id"], number=row["number"]).first()
        return None


__all__ = ["ArchiveImportReport", "ArchiveLimits", "import_archive", "is_archive"]
