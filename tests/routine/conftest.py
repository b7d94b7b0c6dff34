"""One demo inbox for the routine tests (the templates filled as the divisions would), built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from xl_addin.excel.ports import FilePort
from xl_addin.tools.demo import fill_demo_inbox


@pytest.fixture(scope="session")
def demo_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose ``nop/`` holds the demo's files: one missing, one late, one with errors."""
    from xl_addin.actions import init_workspace

    root = tmp_path_factory.mktemp("routine") / "ddci_2024"
    init_workspace(root)
    fill_demo_inbox(FilePort(root))
    return root
