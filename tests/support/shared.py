"""Session fixtures built once for the whole run, also when two workers (pytest-xdist) run it.

Each worker is its own process with its own session: without this, the corpora and the seed
workspaces were generated twice. The first worker to ask builds under a lock in the run's
shared temporary folder and writes an index; the other reads the index. Everything built
here is read-only for the tests (they copy what they change).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: each worker builds its own (correct, only slower)
    fcntl = None  # type: ignore[assignment]


def _shared_root(factory: pytest.TempPathFactory) -> Path:
    """The run's folder every worker sees: under xdist the parent of the worker's own ``popen-gwN``."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        return base.parent  # pytest-of-USER/pytest-N: this run's, not an earlier run's
    return base


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # the lock goes with the handle


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict[str, Path]]) -> dict[str, Path]:
    """``build(folder)`` once per run; its ``{name: path}`` for every worker."""
    root = _shared_root(factory)
    index = root / f"{name}.json"
    with _locked(root / f"{name}.lock"):
        if index.is_file():
            return {key: Path(value) for key, value in json.loads(index.read_text(encoding="utf-8")).items()}
        built = build(root / name)
        index.write_text(json.dumps({key: str(value) for key, value in built.items()}), encoding="utf-8")
        return built
