"""Media files (coin and lot images) in a backup: copied with their SHA-256, verified, swapped back.

Images are written once under generated names, so copying them after the database snapshot gives
every row of that snapshot its file.
"""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BackupError
from .manifest import MediaFile

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, target: Path) -> tuple[str, int]:
    """Copy one file and hash what was written in the same pass."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest(), size


def copy_media(media_root: Path, dest: Path, skip: tuple[Path, ...] = ()) -> list[MediaFile]:
    """Copy every regular file under media_root into dest; symlinks are skipped (they may point
    anywhere), and so are the folders in `skip` (a backup folder kept inside MEDIA_ROOT would
    otherwise be copied into every new backup)."""
    files: list[MediaFile] = []
    if not media_root.is_dir():
        return files
    skipped = {p.resolve() for p in skip}
    for dirpath, dirnames, filenames in os.walk(media_root):
        dirnames[:] = sorted(d for d in dirnames if (Path(dirpath) / d).resolve() not in skipped)
        for filename in sorted(filenames):
            source = Path(dirpath) / filename
            if source.is_symlink() or not source.is_file():
                continue
            relative = source.relative_to(media_root).as_posix()
            sha, size = _copy_hashing(source, dest / relative)
            files.append(MediaFile(path=relative, sha256=sha, size=size))
    return files


def _safe_relative(path: str) -> PurePosixPath:
    """A manifest path must stay inside the media folder: no absolute paths, no "..".

    A tampered manifest could otherwise make a restore write anywhere on disk.
    """
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The manifest lists an unsafe media path {path!r}; refusing this backup.")
    return relative


def media_problems(media_dir: Path, files: list[MediaFile]) -> list[str]:
    """Every listed file must be present in the backup with its recorded size and SHA-256."""
    problems = []
    for item in files:
        path = media_dir / _safe_relative(item.path)
        if not path.is_file():
            problems.append(f"media file {item.path} is missing")
        elif path.stat().st_size != item.size or sha256_file(path) != item.sha256:
            problems.append(f"media file {item.path} does not match its SHA-256")
    return problems


def stage_media(media_dir: Path, files: list[MediaFile], media_root: Path) -> Path:
    """Copy the backup's media into a new folder beside MEDIA_ROOT (same file system, so the swap is a
    rename), checking each file's SHA-256 as it is written. The live folder is not touched."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restore-", dir=media_root.parent))
    try:
        for item in files:
            relative = _safe_relative(item.path)
            sha, _size = _copy_hashing(media_dir / relative, staged / relative)
            if sha != item.sha256:
                raise BackupError(f"media file {item.path} changed while it was being restored")
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


@dataclass
class MediaSwitch:
    """Putting staged media in place of MEDIA_ROOT with two renames, keeping the old folder under
    another name until the restore is complete. `staged` is None when the backup holds no media:
    the media are then left as they are.

    Each state is told apart by which folders exist, so an interrupted switch can be finished or
    rolled back by the next run (see switch.py).
    """

    root: str
    staged: str | None
    old: str

    def switch(self) -> None:
        """Both renames, or (if the second fails) neither."""
        if self.staged is None:
            return
        root, old = Path(self.root), Path(self.old)
        if root.exists():
            os.replace(root, old)
        try:
            os.replace(self.staged, root)
        except OSError:
            if old.exists():
                os.replace(old, root)
            raise

    def forward(self) -> None:
        """Finish a switch that was interrupted (the database has switched already)."""
        if self.staged is None or not Path(self.staged).exists():
            return  # nothing staged is left: the second rename happened
        root, old = Path(self.root), Path(self.old)
        if root.exists():
            if old.exists():
                raise BackupError(
                    f"cannot finish the media switch: {root} and {old} both exist (something wrote "
                    f"{root} after the restore stopped); the restored media are in {self.staged}"
                )
            os.replace(root, old)
        os.replace(self.staged, root)

    def back(self) -> None:
        """Leave the media as they were before the restore and forget the staged copy."""
        root, old = Path(self.root), Path(self.old)
        if old.exists() and not root.exists():
            os.replace(old, root)
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)

    def discard_old(self) -> None:
        shutil.rmtree(self.old, ignore_errors=True)
