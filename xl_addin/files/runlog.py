"""The run's log: tracebacks and library warnings go to a file, never to the clerk's screen.

A clerk reads the terminal or Excel's message box; a Python warning there ("Glyph 7897
missing from font…", a pandas FutureWarning) looks like a failure and hides the real
message. Both front ends therefore run every command inside ``routed_to_log``: warnings
(``logging.captureWarnings``) and library log records (matplotlib's "findfont" lines) are
appended to ``DIR/.ddci/logs/ddci.log``, and an unexpected error's traceback is written by
``write_traceback`` next to it, for the IT staff.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from xl_addin.files.workspace import Workspace

__all__ = ["RUN_LOG", "log_folder", "log_handler", "routed_to_log", "write_traceback"]

RUN_LOG = "ddci.log"


def log_folder(workspace_root: Path | None) -> Path:
    """``DIR/.ddci/logs`` when the workspace exists, else ``<temp>/ddci-logs``; created on demand."""
    if workspace_root is not None and Path(workspace_root).is_dir():
        candidate = Workspace(Path(workspace_root)).logs
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            return candidate
        except OSError:
            pass
    folder = Path(tempfile.gettempdir()) / "ddci-logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_traceback(workspace_root: Path | None) -> Path:
    """Save the exception being handled to the log folder and return the file."""
    path = log_folder(workspace_root) / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


class _LogFileHandler(logging.Handler):
    """Appends records to the run log, resolving its folder at the first record.

    The workspace folder may not exist yet when the command starts (``init``, ``demo``), and
    most runs log nothing, so nothing is created until there is something to write.
    """

    def __init__(self, workspace_root: Path | None) -> None:
        super().__init__(logging.WARNING)
        self.workspace_root = workspace_root
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            with open(log_folder(self.workspace_root) / RUN_LOG, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        except Exception:  # a log that cannot be written must not end the clerk's run
            pass


def log_handler(workspace_root: Path | None) -> logging.Handler:
    """A handler appending WARNING and above to the run log (for a helper process of the run)."""
    return _LogFileHandler(workspace_root)


@contextlib.contextmanager
def routed_to_log(workspace_root: Path | None) -> Iterator[None]:
    """Inside: warnings and library log records go to the run log, not to stderr."""
    root = logging.getLogger()
    handler = _LogFileHandler(workspace_root)
    root.addHandler(handler)  # with a handler in place, logging's last resort (stderr) stays unused
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
