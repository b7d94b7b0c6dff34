"""The hostile corpus, generated once for every intake test that reads it (read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.hostile_corpus import make_corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("hostile"))
