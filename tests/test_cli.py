"""The CLI front end: Vietnamese output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_addin.cli import main


def test_init_creates_workspace_and_refuses_overwrite(tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    assert "Đã tạo thư mục làm việc" in capsys.readouterr().out
    for name in ("master.xlsx", "nop", "bieu_mau", "bao_cao"):
        assert (root / name).exists()
    before = (root / "master.xlsx").read_bytes()
    assert main(["init", str(root)]) == 1
    assert "không ghi đè" in capsys.readouterr().err
    assert (root / "master.xlsx").read_bytes() == before


def test_changes_human_output_and_workbook(workspace: Path, capsys) -> None:
    assert main(["changes", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "Năm 2023 (xếp thứ 24/25) giảm 01 bậc so với năm 2022 (xếp thứ 23/25)" in out
    assert "Xếp hạng chung: xếp hạng thứ 21/25 đơn vị, tăng 04 bậc" in out
    wb = load_workbook(workspace / "bao_cao" / "bien_dong_chi_so.xlsx")
    ws = wb.active
    assert "BienDong" in ws.tables and len(ws._charts) == 1
    values = [c.value for c in ws["C"] if isinstance(c.value, float)]
    assert 8.08 in values  # numbers stay numbers


def test_changes_json_fields(workspace: Path, capsys) -> None:
    assert main(["changes", str(workspace), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 8
    keys = {
        "code",
        "name",
        "base_year",
        "year",
        "score_base",
        "score",
        "score_delta",
        "rank_base",
        "rank",
        "rank_delta",
        "units_ranked_base",
        "units_ranked",
        "score_sentence",
        "rank_sentence",
        "group",
        "assessment",
        "warnings",
    }
    assert keys <= set(data[0])
    assert [d["code"] for d in data if d["group"] == "phat-huy"] == ["4", "5"]


def test_usage_errors_are_vietnamese(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert "thiếu tham số bắt buộc" in capsys.readouterr().err


def test_unexpected_error_is_logged_not_shown(workspace: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import xl_addin.actions

    def boom(*args, **kwargs):
        raise RuntimeError("hỏng bất ngờ")

    monkeypatch.setattr(xl_addin.actions, "indicator_changes", boom)
    assert main(["changes", str(workspace)]) == 5
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi" in err and "Traceback" not in err
    log = next((workspace / ".ddci" / "logs").glob("loi-*.log"))
    assert "RuntimeError" in log.read_text(encoding="utf-8")


def test_panic_from_a_reader_is_contained(workspace: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyo3's PanicException derives from BaseException: it must still end as exit 5 with a crash log."""
    import xl_addin.actions

    class PanicException(BaseException):  # what python-calamine raises when Rust panics
        pass

    def panic(*args, **kwargs):
        raise PanicException("no entry found for key")

    monkeypatch.setattr(xl_addin.actions, "indicator_changes", panic)
    assert main(["changes", str(workspace)]) == 5
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi" in err and "Traceback" not in err and "PanicException" not in err
    log = max((workspace / ".ddci" / "logs").glob("loi-*.log"))
    assert "PanicException: no entry found for key" in log.read_text(encoding="utf-8")


def test_argparse_is_vietnamese_only_while_ddci_parses(capsys) -> None:
    import argparse

    before = argparse._  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "hiện hướng dẫn này rồi thoát" in capsys.readouterr().out
    assert argparse._ is before  # type: ignore[attr-defined]
    assert argparse.ArgumentParser(prog="x").format_help().count("show this help message") == 1


def test_library_warnings_go_to_the_run_log(workspace: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging
    import warnings

    import xl_addin.actions

    real = xl_addin.actions.indicator_changes

    def noisy(*args, **kwargs):
        warnings.warn("Glyph 7897 missing from font(s) Liberation Serif.", UserWarning, stacklevel=1)
        logging.getLogger("matplotlib.font_manager").warning("findfont: Font family 'X' not found.")
        return real(*args, **kwargs)

    monkeypatch.setattr(xl_addin.actions, "indicator_changes", noisy)
    assert main(["changes", str(workspace)]) == 0
    captured = capsys.readouterr()
    assert "Glyph" not in captured.err + captured.out and "findfont" not in captured.err + captured.out
    log = (workspace / ".ddci" / "logs" / "ddci.log").read_text(encoding="utf-8")
    assert "Glyph 7897 missing" in log and "findfont" in log
    # Outside a command, warnings behave as Python's defaults again.
    with pytest.warns(UserWarning, match="after"):
        warnings.warn("after", UserWarning, stacklevel=1)


def test_module_entry_point(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "xl_addin", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("ddci ")
