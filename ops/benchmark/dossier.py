"""The dossier job: `manage.py dossier --limit 500` on a benchmark database (its coins have lots,
so every coin is valued from real comparables), timed as a user waits for it (a child process)."""

from __future__ import annotations

from pathlib import Path

from .environment import ChildFailed, child_env, manage_cmd, run_child

COINS = 500


def time_dossier(db_path: Path, workdir: Path, coins: int = COINS) -> dict:
    out = workdir / "dossier.pdf"
    env = child_env(db_path, workdir)
    try:
        seconds, output = run_child(
            manage_cmd("dossier", "--limit", str(coins), "--output", str(out), "--owner", "Benchmark"), env
        )
    except ChildFailed as exc:
        return {"status": "error", "reason": str(exc)[-600:]}
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return {
        "status": "ok",
        "seconds": round(seconds, 2),
        "pdf_kb": round(out.stat().st_size / 1024),
        "summary": lines[-1][:300] if lines else "",
    }
