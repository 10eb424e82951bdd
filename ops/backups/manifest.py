"""The manifest.json every backup carries: how we recognise our own backups and what they hold."""

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import BackupError
from .signing import sign

APP_NAME = "coinstack"
# Bump when the layout changes; a restore refuses formats it does not know. Format 1 had no signature
# (backups made before CoinStack signed them); it is still read, and restored only with --allow-foreign.
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
MANIFEST_NAME = "manifest.json"
NAME_PREFIX = "coinstack_"
# coinstack_20260125_002614_123456, optionally -2, -3 if two backups share a microsecond.
NAME_RE = re.compile(r"^coinstack_\d{8}_\d{6}(?:_\d{6})?(?:-\d+)?$")


@dataclass
class MediaFile:
    path: str  # relative to MEDIA_ROOT, always with forward slashes
    sha256: str
    size: int


@dataclass
class Manifest:
    name: str
    created_at: str  # ISO 8601, UTC
    engine: str  # "sqlite" or "postgresql"
    database_file: str
    database_sha256: str
    database_size: int
    migrations: dict[str, str]  # app -> latest applied migration
    applied_migrations: list[list[str]]
    counts: dict[str, int]  # table -> rows at the moment of the backup
    media_included: bool
    media: list[MediaFile] = field(default_factory=list)
    reason: str = "manual"
    app: str = APP_NAME
    format_version: int = FORMAT_VERSION
    # HMAC-SHA256 of every other field under this installation's SECRET_KEY (see signing.py), and
    # the short id of the key that made it, so a refusal can say "another installation" or "changed".
    signed_by: str = ""
    signature: str = ""

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    def signed_content(self) -> bytes:
        """What the signature covers: every field but the signature, in one canonical spelling."""
        data = asdict(self)
        del data["signature"]
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()

    def write(self, directory: Path) -> None:
        """Sign with this installation's key and write manifest.json."""
        sign(self)
        (directory / MANIFEST_NAME).write_text(self.to_json(), encoding="utf-8")


def backup_name(now: datetime) -> str:
    """A UTC timestamp with microseconds, so names sort by age and two in one second do not clash."""
    return NAME_PREFIX + now.astimezone(UTC).strftime("%Y%m%d_%H%M%S_%f")


def read_manifest(directory: Path) -> Manifest:
    """The manifest of a backup directory, or BackupError saying why this is not one of ours."""
    path = directory / MANIFEST_NAME
    if not directory.is_dir() or not path.is_file():
        raise BackupError(f"{directory} is not a CoinStack backup: it has no {MANIFEST_NAME}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is unreadable or not JSON ({exc}); the backup is damaged.") from exc
    if not isinstance(data, dict) or data.get("app") != APP_NAME:
        raise BackupError(f"{directory} was not made by CoinStack (its manifest does not say app=coinstack).")
    version = data.get("format_version")
    if version not in READABLE_FORMATS:
        raise BackupError(
            f"{directory} uses backup format {version!r}; this CoinStack reads formats "
            f"{', '.join(map(str, READABLE_FORMATS))} only."
        )
    try:
        media = [MediaFile(**item) for item in data.pop("media")]
        manifest = Manifest(media=media, **data)
        manifest.created  # noqa: B018 - validates the timestamp now rather than later
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"{path} is incomplete or malformed ({exc}); the backup is damaged.") from exc
    return manifest
