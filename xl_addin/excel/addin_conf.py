"""The add-in's own ``xlwings.conf`` sheet: xlwings settings that live inside ``ddci.xlam``.

xlwings' ``GetConfig`` (custom add-in variant) looks for a key first on an ``xlwings.conf`` sheet of
the active workbook, then on the add-in's own sheet of that name, and only then in
``%USERPROFILE%\\.xlwings\\xlwings.conf``. The sheet is read through Excel (Unicode cells, values
expanded by ``WScript.ExpandEnvironmentStrings``), so it needs none of the file's care: no ANSI
code page, no ``Input #`` line format, no user-profile path that VBA's file functions may not reach.
``setup-excel`` therefore writes every key RunPython asks for here. A key present on the sheet wins
even when its value is empty, so only keys we mean to set are written.

Read the way ``GetConfigFromSheet`` reads it: keys in column A from A1 down to the first empty cell
(A1 alone when A2 is empty), values in column B, keys upper-cased.
Only :mod:`zipfile` and ElementTree are used: this runs from the installed wheel.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

__all__ = ["BUILT_IN_CONF", "CONF_SHEET", "read_addin_conf", "rewrite_conf_sheet", "set_addin_conf"]

CONF_SHEET = "xlwings.conf"  # PROJECT_NAME & ".conf"
#: On the sheet of every built add-in, before ``setup-excel`` adds the interpreter:
#: the active workbook's folder stays off ``sys.path`` (xlwings would resolve a OneDrive/SharePoint
#: name there, before our code could catch a failure, and a stray ``docx.py`` beside master.xlsx
#: would shadow a library), and RunPython always starts a new Python (the UDF server needs an
#: xlwings DLL the add-in does not ship).
BUILT_IN_CONF: tuple[tuple[str, str], ...] = (("ADD_WORKBOOK_TO_PYTHONPATH", "false"), ("USE UDF SERVER", "False"))
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CELL_RE = re.compile(r"([A-Z]+)(\d+)")
_SHEET_DATA_RE = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.DOTALL)
_DIMENSION_RE = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _conf_sheet_part(z: zipfile.ZipFile) -> str | None:
    """The part name of the sheet called ``xlwings.conf`` (case-insensitive, as Excel names are)."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rel_id = next(
        (
            s.get(f"{{{NS_REL}}}id")
            for s in book.iter(f"{{{NS_MAIN}}}sheet")
            if (s.get("name") or "").lower() == CONF_SHEET
        ),
        None,
    )
    if rel_id is None:
        return None
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship") if r.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{NS_MAIN}}}t")) for si in root.iter(f"{{{NS_MAIN}}}si")]


def _cell_text(cell: ET.Element, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{NS_MAIN}}}t"))
    value = cell.findtext(f"{{{NS_MAIN}}}v") or ""
    if kind == "s":
        return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
    if kind == "b":
        return "True" if value == "1" else "False"  # CStr of a Boolean cell
    return value


def read_addin_conf(path: Path) -> dict[str, str] | None:
    """``{KEY: value}`` of the add-in's ``xlwings.conf`` sheet as GetConfig sees it; None without that sheet.

    Raises ValueError for a key written twice (VBA stops with error 457 there).
    """
    try:
        with zipfile.ZipFile(path) as z:
            part = _conf_sheet_part(z)
            if part is None:
                return None
            shared = _shared_strings(z)
            sheet = ET.fromstring(z.read(part))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
        return None
    cells: dict[tuple[str, int], str] = {}
    for cell in sheet.iter(f"{{{NS_MAIN}}}c"):
        match = _CELL_RE.fullmatch(cell.get("r") or "")
        if match and match.group(1) in ("A", "B"):
            cells[(match.group(1), int(match.group(2)))] = _cell_text(cell, shared)
    last = 1
    if cells.get(("A", 2), ""):
        while cells.get(("A", last + 1), ""):
            last += 1
    conf: dict[str, str] = {}
    for row in range(1, last + 1):
        key = cells.get(("A", row), "").upper()
        if key in conf:
            raise ValueError(f"{CONF_SHEET}: key {key} appears twice (VBA error 457)")
        conf[key] = cells.get(("B", row), "")
    return conf


def rewrite_conf_sheet(sheet_xml: bytes, rows: Sequence[tuple[str, str]]) -> bytes:
    """The sheet with its cells replaced by ``rows`` (A = key, B = value, inline strings from row 1)."""

    def cell(ref: str, text: str) -> str:
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    body = "".join(
        f'<row r="{n}">{cell(f"A{n}", key)}{cell(f"B{n}", value) if value else ""}</row>'
        for n, (key, value) in enumerate(rows, start=1)
    )
    data = f"<sheetData>{body}</sheetData>".encode()
    out, count = _SHEET_DATA_RE.subn(lambda _: data, sheet_xml, count=1)
    if count != 1:
        raise ValueError("the configuration sheet has no <sheetData>")
    dimension = f'<dimension ref="A1:B{max(len(rows), 1)}"/>'.encode()
    return _DIMENSION_RE.sub(lambda _: dimension, out, count=1)


def set_addin_conf(source: Path, target: Path, values: Mapping[str, str]) -> None:
    """Copy the add-in ``source`` to ``target`` (a new file) with ``values`` on its ``xlwings.conf`` sheet."""
    with zipfile.ZipFile(source) as zin:
        part = _conf_sheet_part(zin)
        if part is None:
            raise ValueError(f"{source.name} has no {CONF_SHEET} sheet")
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == part:
                data = rewrite_conf_sheet(data, list(values.items()))
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(entry, data)
