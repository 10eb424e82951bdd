"""One-line descriptions of backups, shared by the commands and the admin."""

from datetime import UTC, datetime

from .manifest import Manifest
from .retention import BackupInfo
from .signing import signed_here


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


def describe_counts(manifest: Manifest) -> str:
    coins = manifest.counts.get("catalog_coin", 0)
    lots = manifest.counts.get("auctions_auctionlot", 0)
    media = f", {len(manifest.media)} media files" if manifest.media_included else ", no media"
    return f"{coins} coins, {lots} lots, {manifest.total_rows} rows in {len(manifest.counts)} tables{media}"


def age(manifest: Manifest, now: datetime | None = None) -> str:
    seconds = int(((now or datetime.now(UTC)) - manifest.created).total_seconds())
    for unit, span in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= span:
            count = seconds // span
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def describe(info: BackupInfo) -> str:
    if info.manifest is None:
        return f"{info.name}  DAMAGED: {info.problem}"
    m = info.manifest
    when = m.created.strftime("%Y-%m-%d %H:%M:%S UTC")
    size = human_size(info.size)
    # Listing does not read the data: a signature that fails here may also mean altered files.
    signed = "" if signed_here(m) else "  NOT SIGNED HERE (restore needs --allow-foreign)"
    return f"{info.name}  {when} ({age(m)})  {size}  {m.engine}  {m.reason}  {describe_counts(m)}{signed}"
