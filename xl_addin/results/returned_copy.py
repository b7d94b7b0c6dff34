"""The returned copy (``tra_lai/<kỳ>/<tệp>``): a unit's file with its problems marked, to send back.

Bad cells get a red fill (errors) or a yellow one (warnings only) and a comment by
"Văn phòng Sở"; a new first sheet "Lỗi cần sửa" lists every problem of the file with
a link to its cell. Sheet protection, hidden sheets and the identity sheet are kept
as they were. The unit's own file in the inbox is only read, never written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.errors import DdciError
from xl_addin.core.vnformat import nfc
from xl_addin.files.atomic import atomic_write
from xl_addin.files.xlsx_style import (
    ERROR_FILL,
    GRID,
    LINK_FONT,
    WARNING_FILL,
    WRAP_TOP,
    a4,
    header_row,
    put,
    row_height,
    title_rows,
)
from xl_addin.results.findings_book import is_error, is_warning, severity_label, text_of

__all__ = ["RETURN_SHEET", "write_returned_copy"]

RETURN_SHEET = "Lỗi cần sửa"
COMMENT_AUTHOR = "Văn phòng Sở"
MAX_CELLS_PER_FINDING = 200  # a finding on a huge range marks its first cells only


def _same_file(finding_file: str, source: Path) -> bool:
    """A finding belongs to ``source`` when it names no file or names this file (any folder)."""
    if not finding_file:
        return True
    name = PurePosixPath(finding_file.replace("\\", "/")).name
    return nfc(name).casefold() == nfc(source.name).casefold()


def _find_sheet(wb: Any, name: str) -> Worksheet | None:
    if not name:
        return None
    candidates = [ws for ws in wb.worksheets if ws.title == name]
    if not candidates:
        key = nfc(name).strip().casefold()
        candidates = [ws for ws in wb.worksheets if nfc(ws.title).strip().casefold() == key]
    return candidates[0] if candidates else None


def _cell_coords(ref: str) -> list[tuple[int, int]]:
    """``D7``, ``$D$7`` or ``D7:E9`` → (row, column) pairs; [] when not a usable address."""
    text = (ref or "").replace("$", "").strip().upper()
    if not text or "!" in text:
        text = text.rsplit("!", 1)[-1]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(text)
    except (ValueError, TypeError):
        return []
    if None in (min_col, min_row, max_col, max_row):
        return []
    if max_row > 1_048_576 or max_col > 16_384 or min_row < 1 or min_col < 1:
        return []
    out = []
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            out.append((r, c))
            if len(out) >= MAX_CELLS_PER_FINDING:
                return out
    return out


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col): merged cells take no comment."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


@dataclass
class _Mark:
    errors: bool = False
    lines: list[str] = field(default_factory=list)


def _comment(text: str) -> Comment:
    lines = text.count("\n") + 1 + len(text) // 45
    comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000], COMMENT_AUTHOR)
    comment.width = 320
    comment.height = min(60 + 18 * lines, 600)
    return comment


def _body_row(ws: Worksheet, row: int, values: Sequence[str], widths: Sequence[float]) -> None:
    """One table row of plain, wrapped, bordered text, tall enough for its longest cell."""
    for j, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=j)
        put(cell, value)
        cell.alignment = WRAP_TOP
        cell.border = GRID
    ws.row_dimensions[row].height = row_height(zip(values, widths, strict=True))


def write_returned_copy(source: Path, dest: Path, findings: list[dict]) -> Path:
    """Copy a division's submission to ``dest`` with its problems marked, to send back.

    Cell findings: red fill (errors) or yellow fill (warnings only) and a comment by
    "Văn phòng Sở". Every finding of the file is also listed on a new first sheet
    "Lỗi cần sửa" (the only place for findings without a usable cell). Sheet
    protection, hidden sheets and the identity sheet are kept as they were.
    ``source`` is only read.
    """
    source, dest = Path(source), Path(dest)
    if dest.resolve() == source.resolve():
        raise DdciError(f"Không được ghi đè tệp gốc {source.name}; hãy chọn nơi lưu bản trả lại khác.")
    try:
        wb = load_workbook(source)
    except Exception as exc:  # openpyxl raises many kinds on damaged or foreign files
        raise DdciError(
            f"Không mở được tệp “{source.name}” ({type(exc).__name__}): tệp bị hỏng hoặc không phải bảng "
            "tính .xlsx. Hãy đề nghị đơn vị mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
        ) from exc
    mine = [f for f in findings if _same_file(text_of(f.get("file")), source)]
    marks: dict[tuple[str, int, int], _Mark] = {}
    located: list[tuple[dict, Worksheet | None, tuple[int, int] | None]] = []
    for f in mine:
        ws = _find_sheet(wb, text_of(f.get("sheet")))
        coords = _cell_coords(text_of(f.get("cell"))) if ws is not None else []
        located.append((f, ws, coords[0] if coords else None))
        if ws is None:
            continue
        line = f"{severity_label(text_of(f.get('severity')))}: {text_of(f.get('message'))}".strip()
        for row, col in coords:
            key = (ws.title, *_anchor(ws, row, col))
            mark = marks.setdefault(key, _Mark())
            mark.errors |= not is_warning(text_of(f.get("severity")))
            if line not in mark.lines:
                mark.lines.append(line)
    for (title, row, col), mark in marks.items():
        cell = wb[title].cell(row=row, column=col)
        cell.fill = ERROR_FILL if mark.errors else WARNING_FILL
        text = "\n".join(mark.lines)
        old = cell.comment
        if old is not None and old.author != COMMENT_AUTHOR and old.text:
            text = f"{old.text}\n---\n{text}"
        cell.comment = _comment(text)
    _problem_sheet(wb, source.name, located)
    try:
        with atomic_write(dest) as tmp:
            wb.save(tmp)
    except DdciError:
        raise
    except Exception as exc:
        raise DdciError(f"Không lưu được bản trả lại của tệp “{source.name}” ({type(exc).__name__}: {exc}).") from exc
    return dest


def _problem_sheet(wb: Any, file_name: str, located: list[tuple[dict, Worksheet | None, Any]]) -> None:
    """The first sheet "Lỗi cần sửa": every problem of the file, with a link to its cell when known."""
    if RETURN_SHEET in wb.sheetnames:  # a copy returned before and sent in again
        wb.remove(wb[RETURN_SHEET])
    ws = wb.create_sheet(RETURN_SHEET, 0)
    errors = sum(1 for f, _, _ in located if not is_warning(text_of(f.get("severity"))))
    title_rows(
        ws,
        f"CÁC LỖI CẦN SỬA TRONG TỆP {file_name}",
        (
            f"Có {errors} lỗi, {len(located) - errors} cảnh báo. Ô có lỗi được tô đỏ (cảnh báo tô vàng) và "
            "có ghi chú; sửa xong hãy lưu tệp và gửi lại Văn phòng Sở."
        ),
    )
    top = 4
    names = ("STT", "Mức độ", "Trang", "Ô", "Nội dung cần sửa", "Quy tắc")
    widths = (6, 11, 16, 8, 80, 18)
    header_row(ws, top, names, widths)
    rows = located or [({"message": "Không có lỗi."}, None, None)]
    for i, (f, target, coord) in enumerate(rows, start=1):
        r = top + i
        severity = text_of(f.get("severity"))
        cell_ref = text_of(f.get("cell")) if coord else ""
        values = (
            str(i) if located else "",
            severity_label(severity),
            text_of(f.get("sheet")),
            cell_ref,
            text_of(f.get("message")),
            text_of(f.get("rule")),
        )
        _body_row(ws, r, values, widths)
        if is_error(severity):
            ws.cell(row=r, column=2).fill = ERROR_FILL
        elif is_warning(severity):
            ws.cell(row=r, column=2).fill = WARNING_FILL
        if target is not None and coord and target.sheet_state == "visible":
            row, col = _anchor(target, *coord)
            title = target.title.replace("'", "''")
            link = ws.cell(row=r, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{title}'!{get_column_letter(col)}{row}")
            link.font = LINK_FONT
    a4(ws, landscape=True, header_row=top)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
