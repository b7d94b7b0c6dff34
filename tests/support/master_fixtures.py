"""Generate one small broken master workbook per failure mode (no binary fixtures committed).

Run as a script to write them into a folder for a look in Excel/LibreOffice:
``python -m tests.master_fixtures /tmp/bad``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.plan.seed import seed_plan
from xl_addin.plan.writer import write_master


def _table_ws(wb, name: str) -> Worksheet:
    return next(ws for ws in wb.worksheets if name in ws.tables)


def _find(ws: Worksheet, header: str):
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value == header:
                return cell
    raise KeyError(header)


def missing_table(wb) -> None:
    ws = _table_ws(wb, "NhiemVu")
    del ws.tables["NhiemVu"]


def renamed_column(wb) -> None:
    ws = _table_ws(wb, "ChiSo")
    _find(ws, "Chỉ số").value = "Tên chỉ số"
    table = ws.tables["ChiSo"]
    next(c for c in table.tableColumns if c.name == "Chỉ số").name = "Tên chỉ số"  # as Excel does


def score_as_text_comma(wb) -> None:
    ws = _table_ws(wb, "ChiSo")
    cell = _find(ws, "Điểm 2023")
    target = ws.cell(row=cell.row + 1, column=cell.column)
    target.value = "7,63"
    target.data_type = "s"


def score_not_a_number(wb) -> None:
    ws = _table_ws(wb, "ChiSo")
    cell = _find(ws, "Điểm 2023")
    target = ws.cell(row=cell.row + 2, column=cell.column)
    target.value = "bảy phẩy sáu"
    target.data_type = "s"


def rank_above_units(wb) -> None:
    ws = _table_ws(wb, "ChiSo")
    cell = _find(ws, "Hạng 2023")
    ws.cell(row=cell.row + 3, column=cell.column).value = 30


def duplicate_indicator(wb) -> None:
    ws = _table_ws(wb, "ChiSo")
    cell = _find(ws, "Mã")
    ws.cell(row=cell.row + 2, column=cell.column).value = "1"


def paragraph_wrong_section(wb) -> None:
    ws = _table_ws(wb, "NoiDungBoSung")
    cell = _find(ws, "Mục")
    ws.cell(row=cell.row + 1, column=cell.column).value = "V"  # the Kế hoạch has no mục V


def paragraph_unknown_document(wb) -> None:
    ws = _table_ws(wb, "NoiDungBoSung")
    cell = _find(ws, "Văn bản")
    ws.cell(row=cell.row + 2, column=cell.column).value = "Công văn"


def no_paragraph_table(wb) -> None:
    """A master made before NoiDungBoSung existed."""
    ws = _table_ws(wb, "NoiDungBoSung")
    wb.remove(ws)


CASES: dict[str, Callable] = {
    "missing_table": missing_table,
    "renamed_column": renamed_column,
    "score_as_text_comma": score_as_text_comma,
    "score_not_a_number": score_not_a_number,
    "rank_above_units": rank_above_units,
    "duplicate_indicator": duplicate_indicator,
    "paragraph_wrong_section": paragraph_wrong_section,
    "paragraph_unknown_document": paragraph_unknown_document,
    "no_paragraph_table": no_paragraph_table,
}


def make_master(dest: Path, case: str | None = None) -> Path:
    """A seed master at ``dest``, broken in the way ``case`` names (or intact)."""
    write_master(seed_plan(), dest)
    if case:
        wb = load_workbook(dest)
        CASES[case](wb)
        wb.save(dest)
    return dest


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-masters")
    out.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        print(make_master(out / f"{name}.xlsx", name))
