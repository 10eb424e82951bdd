"""Finding our backups in a folder, newest first, and deleting the oldest beyond --keep N."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import BackupError
from .manifest import NAME_RE, Manifest, read_manifest


@dataclass
class BackupInfo:
    path: Path
    manifest: Manifest | None  # None when the folder looks like ours but its manifest is unreadable
    size: int
    problem: str = ""

    @property
    def name(self) -> str:
        return self.path.name


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def list_backups(dest: Path) -> list[BackupInfo]:
    """Backups in `dest`, newest first. Unfinished (hidden .partial) folders are never listed."""
    if not dest.is_dir():
        return []
    found = []
    for path in dest.iterdir():
        if not path.is_dir() or not NAME_RE.match(path.name):
            continue
        try:
            manifest, problem = read_manifest(path), ""
        except BackupError as exc:
            manifest, problem = None, str(exc)
        found.append(BackupInfo(path=path, manifest=manifest, size=dir_size(path), problem=problem))
    # Names carry the UTC time, so the name breaks ties and orders damaged ones too.
    found.sort(key=lambda b: (b.manifest.created_at if b.manifest else "", b.name), reverse=True)
    return found


def latest_backup(dest: Path) -> BackupInfo | None:
    """The newest readable backup, cheaply: names carry the UTC time, so only the newest manifests are
    read and no folder is walked for its size (the admin index page calls this on every visit)."""
    if not dest.is_dir():
        return None
    names = sorted((p for p in dest.iterdir() if p.is_dir() and NAME_RE.match(p.name)), reverse=True)
    for path in names:
        try:
            return BackupInfo(path=path, manifest=read_manifest(path), size=0)
        except BackupError:
            continue
    return None


def apply_retention(dest: Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Delete the oldest readable backups beyond the newest `keep`; `protect` (the one just made) is never
    deleted. Damaged folders are left for a person to look at."""
    if keep < 1:
        raise BackupError("--keep must be at least 1: keeping no backup is not a retention policy.")
    readable = [b for b in list_backups(dest) if b.manifest is not None]
    protected = protect.resolve() if protect else None
    deleted = []
    for backup in readable[keep:]:
        if backup.path.resolve() == protected:
            continue
        shutil.rmtree(backup.path)
        deleted.append(backup.path)
    return deleted
