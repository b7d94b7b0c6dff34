"""Shared fixtures: a demo workspace built once per session, copied per test."""

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
