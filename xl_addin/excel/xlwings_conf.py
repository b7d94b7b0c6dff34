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
    "RUNPYTHON_DEFAULTS",
    "VbaInputError",
    "conf_encoding",
    "conf_line_re",
    "conf_lines",
    "default_xlstart",
    "expand_env",
    "format_conf",
    "is_windows",
    "misread_lines",
    "read_xlwings_conf",
    "vba_lookup",
    "vba_read_pairs",
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
    """The ANSI code page, in which the add-in's VBA reads the conf file (not UTF-8, even in UTF-8 mode)."""
    return locale.getencoding()


def read_xlwings_conf(path: Path) -> dict[str, str]:
    """``{KEY (upper case): value}`` from an xlwings.conf file (``"KEY","value"`` lines)."""
    text = path.read_bytes().decode(conf_encoding(), errors="replace")
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = conf_line_re.match(line)
        if match:
            values.setdefault(match.group(1).strip().upper(), match.group(2))
    return values


# ---------------------------------------------------------------------------------------------
# The file as xlwings' VBA reads it
# ---------------------------------------------------------------------------------------------

#: Every key RunPython asks ``GetConfig`` for on a click (``xlwings_custom_addin.bas`` l.77-320),
#: with the default it passes. ``INTERPRETER`` is asked only when ``INTERPRETER_WIN`` is empty;
#: the real default of ``TEMP DIR`` is ``Environ("Temp")``.
RUNPYTHON_DEFAULTS: dict[str, str] = {
    CONF_KEY_WIN: "",
    "ADD_WORKBOOK_TO_PYTHONPATH": "true",
    "ONEDRIVE_CONSUMER_WIN": "",
    "ONEDRIVE_COMMERCIAL_WIN": "",
    "SHAREPOINT_WIN": "",
    "PYTHONPATH": "",
    "USE UDF SERVER": "False",
    "SHOW CONSOLE": "False",
    "TEMP DIR": "%TEMP%",
    "CONDA PATH": "",
    "CONDA ENV": "",
}


class VbaInputError(Exception):
    """VBA's run-time error 62, "Input past end of file"."""


def _fields(text: str) -> list[str]:
    """The fields ``Input #`` reads, in order, until the end of the text.

    As documented for the statement: a field is a quoted string (quotes dropped, anything
    after the closing quote up to the delimiter ignored) or unquoted text up to a comma or
    the end of the line (leading and trailing blanks dropped); a comma or a line end ends it;
    **a blank line is read as one empty field**.
    """
    fields: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            value = text[i + 1 : end]
            i = end + 1
            while i < n and text[i] not in ",\r\n":
                i += 1
        else:
            start = i
            while i < n and text[i] not in ",\r\n":
                i += 1
            value = text[start:i].strip(" \t")
        fields.append(value)
        if i < n and text[i] == ",":
            i += 1
        elif i < n and text[i] == "\r":
            i += 2 if text[i + 1 : i + 2] == "\n" else 1
        elif i < n and text[i] == "\n":
            i += 1
    return fields


def vba_read_pairs(data: bytes, encoding: str = "cp1252") -> list[tuple[str, str]]:
    """The (name, value) pairs of ``Do While Not EOF(f): Input #f, name, value`` (GetConfigFromFile).

    Raises :class:`VbaInputError` where VBA stops with error 62: the file ends in the middle of a
    pair, which is what a blank line (one extra field) does to every file.
    """
    fields = _fields(data.decode(encoding, errors="replace"))
    if len(fields) % 2:
        raise VbaInputError(f"{len(fields)} fields: the last name has no value")
    return list(zip(fields[::2], fields[1::2], strict=True))


def vba_lookup(data: bytes, key: str, encoding: str = "cp1252") -> str | None:
    """What GetConfigFromFile returns for ``key``: the first pair whose name matches, else None.

    The loop stops at the first match, so error 62 only comes when the key is not found before
    the broken end; RunPython always asks for keys that are absent, so a broken file breaks
    every click.
    """
    fields = _fields(data.decode(encoding, errors="replace"))
    for name, value in zip(fields[::2], fields[1::2], strict=False):
        if name.lower() == key.lower():
            return value
    if len(fields) % 2:
        raise VbaInputError(f"{key}: input past end of file")
    return None


_PAIR_RE = re.compile(r'^"([^"]*)","([^"]*)"$')


def misread_lines(data: bytes) -> list[str]:
    """Vietnamese descriptions of every line xlwings (its VBA or its Python) would misread."""
    problems: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("tệp bắt đầu bằng dấu BOM của UTF-8: VBA đọc sai tên khóa đầu tiên")
    for number, raw in enumerate(data.splitlines(), start=1):
        line = raw.decode("ascii", errors="replace").strip("\ufeff")
        if not line.strip():
            problems.append(f"dòng {number} trống: VBA đọc thành một ô rỗng, các cặp khóa/giá trị sau đó bị lệch")
        elif not raw.isascii():
            problems.append(f"dòng {number} có chữ ngoài ASCII: VBA đọc theo bảng mã ANSI của máy, có thể sai")
        elif not _PAIR_RE.match(line.strip()):
            problems.append(f'dòng {number} không đúng dạng "KHÓA","giá trị": {line.strip()[:60]}')
    try:
        vba_read_pairs(data)
    except VbaInputError:
        problems.append("VBA dừng với lỗi 62 (Input past end of file) khi đọc hết tệp")
    return problems


def conf_lines(data: bytes) -> list[tuple[str, str]]:
    """The well-formed ``"KEY","value"`` pairs of a file, in order (keys upper case), for rewriting it."""
    pairs = []
    for raw in data.splitlines():
        match = _PAIR_RE.match(raw.decode("ascii", errors="replace").strip().strip("\ufeff"))
        if match and raw.isascii():
            pairs.append((match.group(1).strip().upper(), match.group(2)))
    return pairs


def format_conf(pairs: list[tuple[str, str]]) -> bytes:
    """The file as ``xlwings config create`` writes it: one ``"KEY","value"`` pair per CRLF line, ASCII."""
    lines = []
    for key, value in pairs:
        text = f'"{key}","{value}"'
        if '"' in key + value or not text.isascii() or "\n" in text or "\r" in text:
            raise ValueError(f"{key}: value cannot be written to xlwings.conf: {value!r}")
        lines.append(text)
    return "".join(line + "\r\n" for line in lines).encode("ascii")
