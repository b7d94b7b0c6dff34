"""Shared fixtures: a seed workspace built once per session, copied per test; a demo workspace with the units' files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xl_addin.actions import init_workspace


@pytest.fixture(scope="session")
def _seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "ws"
    init_workspace(root)
    return root


@pytest.fixture
def workspace(_seed_workspace: Path, tmp_path: Path) -> Path:
    """A fresh copy of a workspace initialised from the seed plan."""
    dest = tmp_path / "ws"
    shutil.copytree(_seed_workspace, dest)
    return dest


@pytest.fixture(scope="session")
def _demo_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xl_addin.excel.ports import FilePort
    from xl_addin.tools.demo import fill_demo_inbox

    root = tmp_path_factory.mktemp("excel-demo") / "DDCI"
    init_workspace(root)
    fill_demo_inbox(FilePort(root))
    return root


@pytest.fixture
def demo_workspace(_demo_seed: Path, tmp_path: Path) -> Path:
    """A fresh copy of a demo workspace with the units' files in nop/ (built once per session)."""
    return Path(shutil.copytree(_demo_seed, tmp_path / "DDCI"))
