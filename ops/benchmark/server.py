"""The pages again, through a real gunicorn over loopback: what a browser on the same machine waits for.

The test client skips the WSGI server, HTTP parsing and the socket; this measures them too. One sync
worker, as the smallest deployment runs. Plain HTTP on 127.0.0.1, so the HTTPS redirect is turned
off for this server only (SECURE_SSL_REDIRECT=0); the session cookie of the worker's logged-in test
client is sent by hand. Query counts are not taken here (they live in another process): the test
client's counts stand for both.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from .stats import summarize_ms

STARTUP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_mb_of(pid: int) -> float | None:
    """VmHWM (peak resident set) of a process, from /proc; None where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen]]:
    """Start gunicorn with one sync worker on a free loopback port; stop it afterwards."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "coinstack.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning",
    ]  # fmt: skip
    server_env = {**env, "SECURE_SSL_REDIRECT": "0"}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        cmd, env=server_env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {proc.stderr.read().decode(errors='replace')[-500:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start listening in time") from None
                time.sleep(0.1)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def http_get(port: int, path: str, cookie: str) -> tuple[int, float]:
    """One GET on a fresh connection (gunicorn's sync worker closes it after each response)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started


def measure_over_http(
    env: dict[str, str], cookie: str, paths: dict[str, Callable[[], str]], repeat: int
) -> dict[str, dict]:
    """p50/p95 per page through gunicorn, plus the gunicorn worker's peak RSS."""
    results: dict[str, dict] = {}
    with gunicorn(env) as (port, proc):
        for name, next_path in paths.items():
            status, _ = http_get(port, next_path(), cookie)  # warm-up
            if status != 200:
                results[name] = {"status": "error", "reason": f"HTTP {status} through gunicorn"}
                continue
            timings, failed = [], []
            for _ in range(repeat):
                path = next_path()
                status, seconds = http_get(port, path, cookie)
                timings.append(seconds)
                if status != 200:
                    failed.append(f"{status} at {path}")
            results[name] = {"status": "ok", **summarize_ms(timings), "failed": failed}
        workers = _children(proc.pid)
        rss = peak_rss_mb_of(workers[0]) if workers else None
    return {"pages": results, "gunicorn_worker_peak_rss_mb": rss}
