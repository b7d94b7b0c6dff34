"""Type values into the master workbook's tables as a clerk would: by table, row key and header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries


def set_cells(master: Path, table: str, key_header: str, values: dict[str, dict[str, Any]]) -> None:
    """``values``: row key (the ``key_header`` cell) → header → new value; saves the workbook."""
    wb = load_workbook(master)
    ws = next(w for w in wb.worksheets if table in w.tables)
    left, top, right, bottom = range_boundaries(ws.tables[table].ref)
    headers = {ws.cell(row=top, column=c).value: c for c in range(left, right + 1)}
    for r in range(top + 1, bottom + 1):
        key = ws.cell(row=r, column=headers[key_header]).value
        for header, value in values.get(str(key), {}).items():
            ws.cell(row=r, column=headers[header]).value = value
    wb.save(master)
