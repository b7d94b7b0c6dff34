"""Shared fixtures: a seed workspace built once per session, copied per test; a demo workspace with the units' files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.shared import built_once
from xl_addin.actions import init_workspace


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with long tests (LibreOffice, benchmarks) first, order kept otherwise.

    The suite runs on two workers, a module on one (``-n 2 --dist loadscope``): a long module
    handed out last would finish alone while the other worker idles.
    """

    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0]

    long = {module(i) for i in items if i.get_closest_marker("slow") or i.get_closest_marker("libreoffice")}
    items.sort(key=lambda item: module(item) not in long)


@pytest.fixture(scope="session")
def _seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> dict[str, Path]:
        init_workspace(folder / "ws")
        return {"root": folder / "ws"}

    return built_once(tmp_path_factory, "seed", build)["root"]


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

    def build(folder: Path) -> dict[str, Path]:
        init_workspace(folder / "DDCI")
        fill_demo_inbox(FilePort(folder / "DDCI"))
        return {"root": folder / "DDCI"}

    return built_once(tmp_path_factory, "excel-demo", build)["root"]


@pytest.fixture
def demo_workspace(_demo_seed: Path, tmp_path: Path) -> Path:
    """A fresh copy of a demo workspace with the units' files in nop/ (built once per session)."""
    return Path(shutil.copytree(_demo_seed, tmp_path / "DDCI"))
