"""Readers that fail the way python-calamine has failed on real files, for the sandbox's tests.

Each has ``read_workbook``'s signature and is named to ``intake.sandbox.Sandbox(reader=...)``
as ``"tests.support.stand_in_readers:<name>"``; the child process imports it.
"""

from __future__ import annotations

import os
import time

from xl_addin.core.submissions import InboxFile


class StandInPanic(BaseException):
    """Like ``pyo3_runtime.PanicException``: a ``BaseException`` that ``except Exception`` lets through."""


def panic(item: InboxFile, error_parts=None, data=None) -> None:
    raise StandInPanic("no entry found for key")


def hog(item: InboxFile, error_parts=None, data=None) -> None:
    """Allocate 8 MB at a time, every page touched, about 1 GB/s at most, until something stops it."""
    kept = []
    while True:
        kept.append(b"\x01" * (8 * 2**20))
        time.sleep(0.008)


def abort(item: InboxFile, error_parts=None, data=None) -> None:
    """End the process the way a Rust ``abort`` does: no exception, no reply."""
    os.abort()


def sleepy(item: InboxFile, error_parts=None, data=None) -> None:
    time.sleep(60)


def unpicklable(item: InboxFile, error_parts=None, data=None) -> None:
    """A result that cannot cross the process boundary."""
    item.checks.append(lambda: None)


def fine(item: InboxFile, error_parts=None, data=None) -> None:
    item.kind = "checked-in-child"


def by_label(item: InboxFile, error_parts=None, data=None) -> None:
    """The stand-in named by the file's label (``hog.xls`` → :func:`hog`), so one child meets several."""
    globals()[item.label.split(".")[0]](item, error_parts, data)
