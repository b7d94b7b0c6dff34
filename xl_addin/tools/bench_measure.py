"""What ``ddci bench`` measures with: the two yardsticks and the peak-memory counters.

The yardsticks run on the same files as the pipeline: the reader a user writes first
(``pandas.read_excel(..., engine="openpyxl")``) and the floor no reader can beat (open
each zip and inflate its sheet XML, parsing nothing).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

__all__ = ["children_peak_mb", "lower_bound_read", "naive_read", "peak_rss_mb", "reset_peak"]


# --- yardsticks ----------------------------------------------------------------------------------


def naive_read(paths: list[Path]) -> int:
    """What a user writes first: every sheet of every file through pandas + openpyxl; returns rows."""
    import pandas as pd

    rows = 0
    for path in paths:
        for df in pd.read_excel(path, sheet_name=None, engine="openpyxl").values():
            rows += len(df)
    return rows


def lower_bound_read(paths: list[Path]) -> int:
    """The floor: open each zip, inflate its sheet XML and sharedStrings, parse nothing; returns bytes."""
    total = 0
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                    total += len(zf.read(name))
    return total


# --- memory ---------------------------------------------------------------------------------------


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (Linux ≥ 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def children_peak_mb() -> float | None:
    """Peak RSS of the largest finished child process (the reading helper), Unix only."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if not peak:
        return None
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024
