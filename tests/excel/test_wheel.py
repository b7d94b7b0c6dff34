"""The released package: a wheel built from the sources carries the add-in, and ``ddci setup-excel``
works from the installed wheel alone (no source tree, no development tools)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xl_addin.excel.addin import packaged_addin_path, project_root, repo_addin_path

PACKAGED = "xl_addin/excel/data/ddci.xlam"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel`` on a copy of what a release is built from (the source tree is left untouched)."""
    src = tmp_path_factory.mktemp("wheel-src")
    root = project_root()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(root / name, src / name)
    shutil.copytree(root / "xl_addin", src / "xl_addin", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("xl_addin-*.whl")
    return found


def test_wheel_carries_the_addin(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert PACKAGED in names, sorted(n for n in names if not n.endswith(".py"))
        assert z.read(PACKAGED) == repo_addin_path().read_bytes() == packaged_addin_path().read_bytes()
        metadata = next(z.read(n).decode() for n in names if n.endswith("/METADATA"))
        entry_points = next(z.read(n).decode() for n in names if n.endswith("/entry_points.txt"))
    assert {"xl_addin/buttons.py", "xl_addin/excel/install.py", "xl_addin/excel/addin_conf.py"} <= names
    assert not any(n.startswith(("tests/", "macros/", "workbooks/")) for n in names)
    assert 'Requires-Dist: xlwings==0.37.8; extra == "excel"' in metadata
    assert "ddci = xl_addin.cli:main" in entry_points


SCRIPT = """
import json, sys
site, home = sys.argv[1], sys.argv[2]
sys.path.insert(0, site)
for tool in ("pyopenvba", "oletools", "ms_ovba_crypto"):  # development extras are not installed for a clerk
    sys.modules[tool] = None
import xl_addin
from xl_addin.cli import main
from xl_addin.excel.install import setup_excel
from xl_addin.excel.addin_conf import read_addin_conf
from pathlib import Path
code = main(["setup-excel", "--dry-run"])
lines = setup_excel(sys.executable, home=Path(home), xlstart=Path(home) / "XLSTART", platform="win32", env={})
sheet = read_addin_conf(Path(home) / "XLSTART" / "ddci.xlam")
print(json.dumps({"file": xl_addin.__file__, "code": code, "lines": lines, "sheet": sheet}))
"""


def test_setup_excel_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    result = subprocess.run(
        [sys.executable, "-I", "-c", SCRIPT, str(site), str(tmp_path / "home")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    *dry_run, last = result.stdout.strip().splitlines()
    report = json.loads(last)
    assert report["file"].startswith(str(site)), "the wheel's code ran, not the source tree's"
    assert report["code"] == 0
    assert any(str(site / PACKAGED) in line for line in dry_run), dry_run
    assert any("Đã chép add-in" in line for line in report["lines"])
    assert report["sheet"]["INTERPRETER_WIN"] == sys.executable
