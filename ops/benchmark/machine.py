"""What the numbers were measured on: timings mean nothing without the machine beside them."""

import os
import platform
import sqlite3
import sys
from pathlib import Path


def cpu_model() -> str:
    """The CPU model as the kernel names it (Linux); the platform's guess elsewhere."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set), not the host's total."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def machine_info() -> dict[str, str | int]:
    import django

    return {
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
        "platform": platform.platform(),
    }
