"""Write the indicator changes to ``bao_cao/bien_dong_chi_so.xlsx`` with a native bar chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter

from xl_addin.core.changes import IndicatorChange
from xl_addin.core.contracts import Group
from xl_addin.files.atomic import atomic_write
from xl_addin.files.xlsx_style import (
    FIX_FILL,
    KEEP_UP_FILL,
    WRAP_TOP,
    a4,
    add_table,
    header_row,
    put,
    row_height,
    title_rows,
)

HEADERS = (
    ("Mã", 6),
    ("Chỉ số", 36),
    ("Điểm {b}", 10),
    ("Điểm {y}", 10),
    ("Tăng/giảm điểm", 12),
    ("Hạng {b}", 10),
    ("Hạng {y}", 10),
    ("Tăng/giảm bậc", 12),
    ("Nhóm", 12),
    ("Về điểm số", 60),
    ("Về thứ hạng", 60),
    ("Đánh giá chung", 80),
    ("Cảnh báo", 50),
)


def write_changes(changes: list[IndicatorChange], path: Path, title: str) -> Path:
    """A formatted table (numbers stay numbers, shown with 2 decimals) and a chart of both years."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biến động chỉ số"
    base, year = changes[0].base_year, changes[0].year
    title_rows(ws, title)
    top = 3
    header_row(ws, top, [h.format(b=base, y=year) for h, _ in HEADERS], [w for _, w in HEADERS])
    for i, c in enumerate(changes, start=top + 1):
        values = [
            c.code,
            c.name,
            c.score_base,
            c.score,
            c.score_delta,
            c.rank_base,
            c.rank,
            c.rank_delta,
            Group(c.group).label,
            c.score_sentence,
            c.rank_sentence,
            c.assessment,
            "\n".join(c.warnings),
        ]
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j)
            put(cell, value)
            cell.alignment = WRAP_TOP
            if j in (3, 4, 5):
                cell.number_format = "0.00;-0.00;0.00"
            if j == 9:
                cell.fill = KEEP_UP_FILL if c.group == Group.KEEP_UP else FIX_FILL
        ws.row_dimensions[i].height = row_height(
            (v, HEADERS[j][1]) for j, v in enumerate(values) if isinstance(v, str) and v
        )
    last = top + len(changes)
    add_table(ws, "BienDong", f"A{top}:{get_column_letter(len(HEADERS))}{last}")
    a4(ws, landscape=True, margin=None)
    ws.freeze_panes = ws.cell(row=top + 1, column=3)

    chart = BarChart()
    chart.type = "col"
    chart.title = f"Điểm số các chỉ số thành phần năm {base} và năm {year}"
    chart.y_axis.title = "Điểm"
    chart.x_axis.title = "Chỉ số"
    chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=top + 1, max_row=last))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.height, chart.width = 11, 26
    ws.add_chart(chart, f"B{last + 3}")
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path
