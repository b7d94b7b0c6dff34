"""The hostile and foreign corpora, generated once for every intake test that reads them (read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.foreign_corpus import make_foreign
from tests.support.hostile_corpus import make_corpus
from tests.support.shared import built_once


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return built_once(tmp_path_factory, "hostile", make_corpus)


@pytest.fixture(scope="session")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files shaped like other programs' (tests/support/foreign_corpus.py), generated once, read-only."""
    return built_once(tmp_path_factory, "foreign", make_foreign)
