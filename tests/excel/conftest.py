"""A fake Excel with the DDCI add-in installed by ``setup_excel``, for clicking the ribbon in tests."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import xlwings
import xlwings.utils

from tests.support.fake_excel import FakeExcel, FakeWindll
from xl_addin.excel.addin import macros_dir

MakeExcel = Callable[..., FakeExcel]


def ribbon_buttons() -> list[tuple[str, str, bool]]:
    """(label, function in xl_addin.buttons, works with any workbook) for every ribbon button.

    Read from the sources the way Excel follows them: ``onAction`` names a Sub, whose one line is
    ``DdciRun "<function>"[, True]``. A new button is picked up by every test that uses this.
    """
    root = ET.fromstring((macros_dir() / "customUI.xml").read_bytes())
    ns = root.tag.split("}")[0] + "}"
    subs: dict[str, tuple[str, bool]] = {}
    for bas in macros_dir().glob("*.bas"):
        text = bas.read_text("ascii")
        for sub, func, flag in re.findall(
            r'^Sub (\w+)\(control As IRibbonControl\)\r?\n\s+DdciRun "(\w+)"(, True)?\r?\nEnd Sub', text, re.MULTILINE
        ):
            subs[sub] = (func, bool(flag))
    out = []
    for button in root.iter(f"{ns}button"):
        func, any_book = subs[button.get("onAction", "").rpartition(".")[2]]
        out.append((button.get("label", ""), func, any_book))
    return out


@pytest.fixture
def make_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeExcel:
    """``make_excel(user="Nguyễn Văn A", setup=True)``: Windows account, ``setup-excel`` run, Excel started."""

    def make(user: str = "chuyenvien", *, setup: bool = True) -> FakeExcel:
        from xl_addin.excel.install import setup_excel

        home = tmp_path / "Users" / user
        temp = home / "AppData" / "Local" / "Temp"
        temp.mkdir(parents=True)
        xlstart = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
        env = {
            "USERPROFILE": str(home),
            "TEMP": str(temp),
            "LOCALAPPDATA": str(home / "AppData" / "Local"),
            "APPDATA": str(home / "AppData" / "Roaming"),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("HOME", str(home))
        for key in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(home / ".xlwings" / "xlwings.conf"))
        xlwings.utils.fullname_url_to_local_path.cache_clear()  # each click is a new Python process
        if setup:
            setup_excel(sys.executable, home=home, xlstart=xlstart, platform="win32", env=env)
        else:  # the add-in copied by hand: nothing but what the build put in it
            from xl_addin.excel.addin import default_addin_path

            xlstart.mkdir(parents=True)
            shutil.copyfile(default_addin_path(), xlstart / "ddci.xlam")
        excel = FakeExcel(addin=xlstart / "ddci.xlam", home=home, temp=temp, env=env)
        monkeypatch.setattr(ctypes, "windll", FakeWindll(excel), raising=False)
        monkeypatch.setattr(os, "startfile", excel.startfile, raising=False)
        return excel

    return make


@pytest.fixture
def workspace_copy(demo_workspace: Path) -> Path:
    """The demo workspace (already a fresh copy for each test)."""
    return demo_workspace
