"""One demo inbox for the routine tests (the templates filled as the divisions would), built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_inbox(_demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose ``nop/`` holds the demo's files: one missing, one late, one with errors.

    A copy of the run's demo workspace, in a folder named for its plan year (``ddci năm mới``
    names the next year's folder after it); read-only for the tests, which copy it again.
    """
    return Path(shutil.copytree(_demo_seed, tmp_path_factory.mktemp("routine") / "ddci_2024"))
