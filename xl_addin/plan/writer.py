"""Write the master workbook (``master.xlsx``) from a Plan, with openpyxl.

A plain .xlsx (no macros): one Excel Table per entity, Vietnamese headers, data
validation with input messages on the cells clerks type into, frozen headers,
column widths that fit Vietnamese text, A4 print setup. The layout comes from
``plan.schema``; this module only draws it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.contracts import Group
from xl_addin.core.model import ALL_UNITS, Plan
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import write_text_cell
from xl_addin.files.xlsx_style import (
    BODY_FONT,
    DATE_FORMAT,
    HEADER_ALIGN,
    HEADER_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    a4,
    add_table,
    put,
    row_height,
)
from xl_addin.plan import schema as S


def _settings_rows(plan: Plan) -> list[tuple[str, Any, str]]:
    agency, settings = plan.agency, plan.settings
    rows = []
    for item in S.SETTINGS:
        source = agency if item.key in S.AGENCY_KEYS else settings
        value = getattr(source, item.key)
        if item.kind == "lines":
            value = "\n".join(value)
        rows.append((item.label, value, item.help))
    return rows


def _unit_rows(plan: Plan) -> list[tuple]:
    return [(u.code, u.name, u.head_title, S.YES if u.reports else S.NO, u.email or None) for u in plan.units]


def _indicator_years(plan: Plan) -> list[int]:
    """The years with data, and the compared years set in CauHinh even while their columns are still empty."""
    wanted = {y for y in (plan.settings.base_year, plan.settings.compare_year) if y is not None}
    return sorted(set(plan.years()) | wanted)


def _indicator_rows(plan: Plan, years: list[int]) -> list[tuple]:
    rows = []
    for ind in plan.indicators:
        row: list[Any] = [ind.code, ind.name, ind.leader, ind.leader_title, ind.weaknesses]
        for year in years:
            res = ind.result(year)
            row += [res.score, res.rank, res.units_ranked] if res else [None, None, None]
        group = Group(ind.group_override).label if ind.group_override else None
        row += [group, ind.assessment_override]
        rows.append(tuple(row))
    return rows


def _units_text(codes: Sequence[str]) -> str:
    return S.ALL_UNITS_LABEL if ALL_UNITS in codes else ", ".join(codes)


def _task_rows(plan: Plan) -> list[tuple]:
    return [
        (
            t.code,
            t.indicator_code,
            t.text,
            _units_text((t.lead,)),
            _units_text(t.support) if t.support else None,
            t.reports_to,
            t.cadence,
            t.deadline,
            t.assignment_text or None,
            S.YES if t.carried_over else None,
        )
        for t in plan.tasks
    ]


def _period_rows(plan: Plan) -> list[tuple]:
    return [(p.code, p.name, p.start, p.end, p.deadline) for p in plan.periods]


def _paragraph_rows(plan: Plan) -> list[tuple]:
    return [(p.document.label, p.section, p.order, p.text) for p in plan.paragraphs]


def _overall_rows(plan: Plan) -> list[tuple]:
    return [(r.year, r.score, r.rank, r.units_ranked) for r in plan.overall]


def write_table(
    ws: Worksheet,
    table_name: str,
    columns: Sequence[S.Column],
    rows: Iterable[Sequence[Any]],
    *,
    top: int = 1,
    left: int = 1,
    validations: bool = True,
) -> Table:
    """Write one Excel Table with headers, typed values, validation and widths."""
    for j, col in enumerate(columns):
        put(ws.cell(row=top, column=left + j), col.header, HEADER_FONT)
        ws.cell(row=top, column=left + j).alignment = HEADER_ALIGN
        ws.column_dimensions[get_column_letter(left + j)].width = col.width
    count = 0
    for i, row in enumerate(rows, start=1):
        count = i
        for j, (col, value) in enumerate(zip(columns, row, strict=False)):
            cell = ws.cell(row=top + i, column=left + j)
            put(cell, value)
            cell.alignment = WRAP_TOP
            if col.kind == "date":
                cell.number_format = DATE_FORMAT
            elif col.kind == "float":
                cell.number_format = "0.00"
            elif col.kind == "percent":
                cell.number_format = "0%"
    _fit_rows(ws, columns, top + 1, top + count, left)
    last_row = top + max(count, 1)
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(columns) - 1)}{last_row}"
    table = add_table(ws, table_name, ref)
    if validations:
        _add_validations(ws, columns, top + 1, max(last_row, top + 200), left)
    a4(ws, landscape=False, margin=None)
    ws.freeze_panes = ws.cell(row=top + 1, column=left)
    ws.print_title_rows = f"{top}:{top}"
    return table


def _fit_rows(ws: Worksheet, columns: Sequence[S.Column], first: int, last: int, left: int) -> None:
    for row in range(first, last + 1):
        cells = [(ws.cell(row=row, column=left + j).value, col.width) for j, col in enumerate(columns)]
        ws.row_dimensions[row].height = row_height((v, w) for v, w in cells if isinstance(v, str) and v)


def _add_validations(ws: Worksheet, columns: Sequence[S.Column], first: int, last: int, left: int) -> None:
    for j, col in enumerate(columns):
        letter = get_column_letter(left + j)
        area = f"{letter}{first}:{letter}{last}"
        dv: DataValidation | None = None
        if col.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
            dv.error = f"Chọn một giá trị trong danh sách: {', '.join(col.choices)}."
        elif col.kind in ("int", "float"):
            kind = "whole" if col.kind == "int" else "decimal"
            dv = DataValidation(
                type=kind,
                operator="between",
                formula1=str(col.minimum or 0),
                formula2=str(col.maximum or 10**6),
                allow_blank=True,
            )
            dv.error = f"Nhập số từ {col.minimum:g} đến {col.maximum:g}." if col.maximum else "Nhập một số."
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True)
            dv.error = "Nhập ngày dạng ngày/tháng/năm, VD: 14/03/2024."
        elif col.help:
            dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True)
        if dv is None:
            continue
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.showErrorMessage = col.kind != "text"
        if col.help:
            dv.promptTitle = col.header[:32]
            dv.prompt = col.help[:255]
            dv.showInputMessage = True
        dv.add(area)
        ws.add_data_validation(dv)


def _dashboard(ws: Worksheet, plan: Plan) -> None:
    ws["A1"] = f"THEO DÕI KẾ HOẠCH NÂNG CAO CHỈ SỐ DDCI NĂM {plan.settings.plan_year}"
    ws["A1"].font = TITLE_FONT
    write_text_cell(ws["A2"], plan.agency.name)
    ws["A2"].font = SUBTITLE_FONT
    ws["A4"] = "Quy trình hằng tháng (các nút trên thẻ DDCI của Excel):"
    ws["A4"].font = HEADER_FONT
    for i, step in enumerate(S.WORKFLOW_STEPS):
        ws.cell(row=5 + i, column=1, value=step).font = BODY_FONT
    top = 6 + len(S.WORKFLOW_STEPS)
    rows = [(key, "") for key in S.SUMMARY_KEYS]
    rows[0] = (S.SUMMARY_KEYS[0], plan.settings.current_period)
    write_table(ws, S.TABLE_SUMMARY, S.SUMMARY_COLUMNS, rows, top=top, validations=False)
    ws.freeze_panes = None
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 70
    ws.sheet_view.showGridLines = False


def build_master(plan: Plan) -> Workbook:
    """The master workbook as an openpyxl Workbook (not saved)."""
    wb = Workbook()
    dash = wb.active
    dash.title = S.SHEET_DASHBOARD
    _dashboard(dash, plan)
    years = _indicator_years(plan)
    specs = [
        (S.TABLE_SETTINGS, S.SETTINGS_COLUMNS, _settings_rows(plan), False),
        (S.TABLE_UNITS, S.UNIT_COLUMNS, _unit_rows(plan), False),
        (S.TABLE_INDICATORS, S.indicator_columns(years), _indicator_rows(plan, years), True),
        (S.TABLE_OVERALL, S.OVERALL_COLUMNS, _overall_rows(plan), False),
        (S.TABLE_TASKS, S.TASK_COLUMNS, _task_rows(plan), True),
        (S.TABLE_PERIODS, S.PERIOD_COLUMNS, _period_rows(plan), False),
        (S.TABLE_PARAGRAPHS, S.PARAGRAPH_COLUMNS, _paragraph_rows(plan), True),
    ]
    for name, columns, rows, landscape in specs:
        ws = wb.create_sheet(S.SHEETS[name])
        write_table(ws, name, columns, rows)
        if landscape:
            ws.page_setup.orientation = "landscape"
    wb.properties.title = f"DDCI {plan.settings.plan_year} - {plan.agency.name}"
    wb.properties.creator = "xl_addin"
    return wb


def write_master(plan: Plan, path: Path) -> Path:
    """Write ``master.xlsx`` atomically."""
    wb = build_master(plan)
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path


if __name__ == "__main__":  # regenerate the default: python -m xl_addin.plan.writer workbooks/master.xlsx
    import sys

    from xl_addin.plan.seed import seed_plan

    print(write_master(seed_plan(), Path(sys.argv[1] if len(sys.argv) > 1 else "workbooks/master.xlsx")))
