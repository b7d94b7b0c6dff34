"""Where Excel and xlwings look for things on a user's Windows machine, and the xlwings.conf file.

The add-in's VBA (xlwings) reads ``%USERPROFILE%\\.xlwings\\xlwings.conf`` as
``"KEY","value"`` lines in the ANSI code page; Excel opens whatever sits in the
per-user XLSTART folder. Paths are parameters so tests run on any system.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "CONF_KEY_WIN",
    "conf_encoding",
    "conf_line_re",
    "default_xlstart",
    "expand_env",
    "is_windows",
    "read_xlwings_conf",
    "xlwings_conf_path",
]

CONF_KEY_WIN = "INTERPRETER_WIN"
conf_line_re = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"')
_ENV_RE = re.compile(r"%([^%]+)%")


def is_windows(platform: str) -> bool:
    return platform.startswith("win")


def expand_env(value: str, env: Mapping[str, str] | None = None) -> str:
    """Expand ``%VAR%`` as Windows (and the xlwings VBA) does, on any platform."""
    environ = os.environ if env is None else env
    lookup = {k.upper(): v for k, v in environ.items()}
    return _ENV_RE.sub(lambda m: lookup.get(m.group(1).upper(), m.group(0)), value)


def xlwings_conf_path(home: Path | None = None) -> Path:
    """The xlwings user config the add-in reads (``PROJECT_NAME = "xlwings"`` in its VBA)."""
    return (home or Path.home()) / ".xlwings" / "xlwings.conf"


def default_xlstart(home: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Excel's per-user startup folder: every workbook or add-in in it opens with Excel."""
    environ = os.environ if env is None else env
    appdata = environ.get("APPDATA")
    base = Path(appdata) if appdata and home is None else (home or Path.home()) / "AppData" / "Roaming"
    return base / "Microsoft" / "Excel" / "XLSTART"


def conf_encoding() -> str:
    """The VBA in the add-in reads the conf file in the ANSI code page, as xlwings writes it."""
    return locale.getpreferredencoding(False)


def read_xlwings_conf(path: Path) -> dict[str, str]:
    """``{KEY (upper case): value}`` from an xlwings.conf file (``"KEY","value"`` lines)."""
    text = path.read_bytes().decode(conf_encoding(), errors="replace")
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = conf_line_re.match(line)
        if match:
            values.setdefault(match.group(1).strip().upper(), match.group(2))
    return values
