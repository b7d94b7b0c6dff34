"""The two tables of the Báo cáo appendix: task progress, and indicator scores and ranks.

Landscape A4 leaves 252 mm of text width. The progress table's widths follow its content:
the units' results (Kết quả thực hiện, one paragraph per unit, a hanging dash) get 44 %,
the task (cut at 110 letters) 23 %; with 57 mm for the results, as before, the demo's 18
tasks took 9 pages. Data rows loop with ``{%tr for %}``; a progress row may continue on the
next page (a task's results can be taller than a page), a score row may not.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.table import Table, _Cell

from xl_addin.documents.nd30_layout import Flow, fix_merged_widths, fixed_table, row_props
from xl_addin.documents.nd30_styles import S_TABLE, S_TABLE_CENTER, S_TABLE_HEAD, S_TABLE_LIST, S_TAG

__all__ = ["CHANGE_COLS", "PROGRESS_COLS", "change_table", "progress_table"]

# Widths follow the content: the units' results (Kết quả) get 44 %, the task 23 % (110 letters at most).
PROGRESS_COLS = (12.0, 58.0, 28.0, 23.0, 20.0, 111.0)
CHANGE_COLS = (12.0, 74.0, 22.0, 22.0, 24.0, 22.0, 22.0, 28.0, 26.0)


def cells_text(row_cells: Sequence[_Cell], texts: Sequence[str], styles: Sequence[str]) -> None:
    for cell, text, style in zip(row_cells, texts, styles, strict=True):
        Flow(cell).p(style, text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def loop_rows(
    table: Table, header: str, cells: Sequence[str], styles: Sequence[str], *, cant_split: bool = True
) -> None:
    """Three rows: ``{%tr for header %}``, the data row, ``{%tr endfor %}``.

    ``cant_split=False`` lets a data row continue on the next page: a row taller than a page
    that may not split is cut off at the page's foot (the rest of its text is not printed).
    """
    n = len(cells)
    for_row, data_row, end_row = table.add_row(), table.add_row(), table.add_row()
    cells_text(for_row.cells, [f"{{%tr for {header} %}}"] + [""] * (n - 1), [S_TAG] * n)
    cells_text(data_row.cells, cells, styles)
    cells_text(end_row.cells, ["{%tr endfor %}"] + [""] * (n - 1), [S_TAG] * n)
    row_props(data_row._tr, cant_split=cant_split)


def progress_table(doc: DocxDocument) -> None:
    table = fixed_table(doc, 1, PROGRESS_COLS, borders=True, style="Table Grid")
    heads = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Kết quả thực hiện"]
    cells_text(table.rows[0].cells, heads, [S_TABLE_HEAD] * 6)
    row_props(table.rows[0]._tr, header=True)
    loop_rows(
        table,
        "row in appendix.progress_rows",
        [
            "{{ row.stt }}",
            "{{ row.task }}",
            "{{ row.lead }}",
            "{{ row.status }}",
            "{{ row.percent }}",
            "{{ row.results }}",  # one paragraph per unit: the lines are joined by "\a"
        ],
        [S_TABLE_CENTER, S_TABLE, S_TABLE, S_TABLE_CENTER, S_TABLE_CENTER, S_TABLE_LIST],
        cant_split=False,  # a task's results from every unit can run longer than a page
    )
    fix_merged_widths(table, PROGRESS_COLS)


def change_table(doc: DocxDocument) -> None:
    table = fixed_table(doc, 2, CHANGE_COLS, borders=True, style="Table Grid")
    top, sub = table.rows[0].cells, table.rows[1].cells
    subs = [
        "",
        "",
        "Năm {{ ddci.base_year }}",
        "Năm {{ ddci.year }}",
        "Tăng (+), giảm (-)",
        "Năm {{ ddci.base_year }}",
        "Năm {{ ddci.year }}",
        "Tăng (+), giảm (-) bậc",
        "",
    ]
    cells_text(sub, subs, [S_TABLE_HEAD] * 9)
    merged = [
        top[0].merge(sub[0]),
        top[1].merge(sub[1]),
        top[2].merge(top[4]),
        top[5].merge(top[7]),
        top[8].merge(sub[8]),
    ]
    for cell, text in zip(merged, ["STT", "Chỉ số thành phần", "Điểm số", "Thứ hạng", "Nhóm"], strict=True):
        Flow(cell).p(S_TABLE_HEAD, text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows[:2]:
        row_props(row._tr, header=True)
    loop_rows(
        table,
        "row in appendix.change_rows",
        [
            "{{ row.stt }}",
            "{{ row.name }}",
            "{{ row.score_base }}",
            "{{ row.score }}",
            "{{ row.score_delta }}",
            "{{ row.rank_base }}",
            "{{ row.rank }}",
            "{{ row.rank_delta }}",
            "{{ row.group }}",
        ],
        [S_TABLE_CENTER, S_TABLE] + [S_TABLE_CENTER] * 7,
    )
    fix_merged_widths(table, CHANGE_COLS)
