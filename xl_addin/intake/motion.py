"""Files in motion: wait for a file saved a moment ago instead of rejecting it.

An attachment saved a second ago, a folder copied with ``cp``, a file LibreOffice has just
converted: each has a modification time under a second old, and may or may not still be
growing. :func:`still_moving` waits once per run, until the youngest such file is a second
old but never more than ``MAX_WAIT`` seconds in all, then compares each one's size and time
with what they were: a file that did not change is read as usual, and only one that kept
changing is left for the next run (a ``still-copying`` warning). ``clock``, ``sleep`` and
``stat`` are parameters, so the decision is tested without waiting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["MAX_WAIT", "QUIET", "still_moving"]

QUIET = 1.0  # a file untouched this long is not being written
MAX_WAIT = 2.0  # seconds a run waits, at most, for files in motion


def still_moving(
    paths: Iterable[Path],
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    stat: Callable[[Path], os.stat_result] = os.stat,
) -> set[Path]:
    """The paths still changing after one wait (none, and no wait, when every file is older than ``QUIET``)."""
    now = clock()
    fresh: dict[Path, tuple[int, int]] = {}
    wait = 0.0
    for path in paths:
        try:
            st = stat(path)
        except OSError:
            continue  # gone or unreadable: the inspection says so
        age = now - st.st_mtime
        if -QUIET < age < QUIET:
            fresh[path] = (st.st_size, st.st_mtime_ns)
            wait = max(wait, QUIET - age)
    if not fresh:
        return set()
    sleep(min(wait, MAX_WAIT))
    moving = set()
    for path, before in fresh.items():
        try:
            st = stat(path)
        except FileNotFoundError:
            continue  # moved away meanwhile: nothing to read, nothing to report
        except OSError:
            moving.add(path)  # locked by the program still writing it
            continue
        if (st.st_size, st.st_mtime_ns) != before:
            moving.add(path)
    return moving
