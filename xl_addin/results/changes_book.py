"""Write the indicator changes to ``bao_cao/bien_dong_chi_so.xlsx`` with a native bar chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from xl_addin.core.cells import row_height
from xl_addin.core.changes import IndicatorChange
from xl_addin.core.contracts import Group
from xl_addin.files.safe_write import atomic_write, write_text_cell

HEADERS = (
    ("Mã", 6), ("Chỉ số", 36), ("Điểm {b}", 10), ("Điểm {y}", 10), ("Tăng/giảm điểm", 12),
    ("Hạng {b}", 10), ("Hạng {y}", 10), ("Tăng/giảm bậc", 12), ("Nhóm", 12),
    ("Về điểm số", 60), ("Về thứ hạng", 60), ("Đánh giá chung", 80), ("Cảnh báo", 50),
)


def write_changes(changes: list[IndicatorChange], path: Path, title: str) -> Path:
    """A formatted table (numbers stay numbers, shown with 2 decimals) and a chart of both years."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biến động chỉ số"
    base, year = changes[0].base_year, changes[0].year
    ws["A1"] = title
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    top = 3
    for j, (header, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=top, column=j, value=header.format(b=base, y=year))
        cell.font = Font(name="Times New Roman", bold=True, size=12)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, c in enumerate(changes, start=top + 1):
        values = [
            c.code, c.name, c.score_base, c.score, c.score_delta, c.rank_base, c.rank, c.rank_delta,
            Group(c.group).label, c.score_sentence, c.rank_sentence, c.assessment,
            "\n".join(c.warnings),
        ]
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j)
            if isinstance(value, str):
                write_text_cell(cell, value)
            else:
                cell.value = value
            cell.font = Font(name="Times New Roman", size=12)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if j in (3, 4, 5):
                cell.number_format = "0.00;-0.00;0.00"
            if j == 9:
                cell.fill = PatternFill("solid", fgColor="E2EFDA" if c.group == Group.KEEP_UP else "FCE4D6")
        ws.row_dimensions[i].height = row_height(
            (v, HEADERS[j][1]) for j, v in enumerate(values) if isinstance(v, str) and v
        )
    last = top + len(changes)
    table = Table(displayName="BienDong", ref=f"A{top}:{get_column_letter(len(HEADERS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0

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
