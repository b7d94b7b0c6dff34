"""``unique_path``: never overwrite, and find a file that is already there under one of its names."""

from __future__ import annotations

from pathlib import Path

from xl_addin.files.workspace import unique_path


def test_unique_path_numbers_the_names_it_would_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "bao_cao.xlsx"
    assert unique_path(target) == target
    target.write_bytes(b"1")
    (tmp_path / "bao_cao (2).xlsx").write_bytes(b"2")
    assert unique_path(target) == tmp_path / "bao_cao (3).xlsx"
    assert unique_path(target, force=True) == target


def test_unique_path_returns_the_name_already_holding_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "VP.xlsx"
    target.write_bytes(b"first")
    (tmp_path / "VP (2).xlsx").write_bytes(b"second")

    def holds(data: bytes):
        return lambda p: p.read_bytes() == data

    assert unique_path(target, same=holds(b"second")) == tmp_path / "VP (2).xlsx"
    assert unique_path(target, same=holds(b"first")) == target
    assert unique_path(target, same=holds(b"third")) == tmp_path / "VP (3).xlsx"
