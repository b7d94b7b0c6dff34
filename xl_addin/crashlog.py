"""Unexpected errors go to a log file, never to the clerk's screen as a traceback."""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from pathlib import Path


def write_traceback(workspace_root: Path | None) -> Path:
    """Save the exception being handled to ``DIR/.ddci/logs/`` (or the temp folder) and return the file."""
    folder = Path(tempfile.gettempdir()) / "ddci-logs"
    if workspace_root is not None and Path(workspace_root).is_dir():
        candidate = Path(workspace_root) / ".ddci" / "logs"
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            folder = candidate
        except OSError:
            pass
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path
