"""Other projects' spreadsheets, all in one inbox: every file named, nothing else changed.

The files are not in this repository. Set ``DDCI_PUBLIC_CORPUS`` to a folder of them (public test
suites such as apache/poi ``test-data/spreadsheet``, SheetJS ``test_files``, tafia/calamine
``tests``, PhpSpreadsheet ``tests/data``); without it this test is skipped.
``benchmarks/public_corpus.py`` runs the same folder file by file and measures time and memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import submission_fixtures as F

CORPUS = os.environ.get("DDCI_PUBLIC_CORPUS", "")
SUFFIX = re.compile(r"\.(xlsx|xlsm|xls|xlsb|ods)$", re.IGNORECASE)
FILE_RULES = {
    "identity-missing",
    "unreadable",
    "too-large",
    "password-protected",
    "not-excel",
    "corrupt-zip",
    "zip-bomb",
    "xml-dtd",
    "empty-file",
    "legacy-xls",
    "macro-enabled",
}

pytestmark = pytest.mark.skipif(
    not CORPUS or not Path(CORPUS).is_dir(),
    reason="DDCI_PUBLIC_CORPUS is not set to a folder of public spreadsheets (see benchmarks/public_corpus.py)",
)


def _validate(workspace: Path, cap: int = 4 * 2**30) -> tuple[int, list[dict], str]:
    """``ddci validate --json`` as the clerk runs it, in a fresh process under an address-space cap."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    proc = subprocess.run(
        [sys.executable, "-m", "xl_addin", "validate", str(workspace), "--period", F.PERIOD, "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
        preexec_fn=limit if sys.platform != "win32" else None,
    )
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def test_every_public_file_named_in_one_inbox(workspace: Path) -> None:
    F.filled(workspace)
    _code, alone, _stderr = _validate(workspace)
    inbox = workspace / "nop"
    labels: set[str] = set()
    used = {p.name.lower() for p in inbox.iterdir()}
    for k, path in enumerate(sorted(p for p in Path(CORPUS).rglob("*") if p.is_file() and SUFFIX.search(p.name))):
        label = path.name if path.name.lower() not in used else f"{path.stem}__{k}{path.suffix}"
        shutil.copyfile(path, inbox / label)  # copied just now: the run waits for them once, then reads them
        labels.add(label)
        used.add(label.lower())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}
    code, findings, stderr = _validate(workspace)
    assert code == 1  # foreign files are errors to fix, never a crash (5) or a usage error (2)
    assert "Traceback" not in stderr and "panicked" not in stderr
    named = {f["file"] for f in findings}
    assert labels <= named, sorted(labels - named)[:20]
    assert {f["rule"] for f in findings if f["file"] in labels} <= FILE_RULES
    mine = sorted(tuple(f.values()) for f in findings if f["file"] not in labels)
    assert mine == sorted(tuple(f.values()) for f in alone)  # the unit's own result is untouched
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()} == before
