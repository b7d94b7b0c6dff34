"""Set a few text cells of an existing workbook in place, without loading it into openpyxl.

The dashboard of ``master.xlsx`` gets a one-line summary after every check and
consolidation. Loading and saving the master with openpyxl (0.2 s, and 0.4 s to import
openpyxl) was most of what ``ddci validate`` spent besides reading the submissions; this
module rewrites only the cells' XML in their sheet part and copies every other part
unchanged. It handles the plain form that Excel, LibreOffice and openpyxl write: the row
and the cell already exist (the summary table's cells always do), no namespace prefix.
Anything else returns False and the caller takes the openpyxl path.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from xl_addin.core.cells import cell_ref
from xl_addin.core.vnformat import nfc
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import inert_text
from xl_addin.files.ooxml import sheet_parts, xml_escape

__all__ = ["set_table_values"]

_STYLE = re.compile(r'\bs="(\d+)"')


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c\b[^>]*?\br="{ref}"[^>]*?(?:/>|>.*?</c>)', re.S)


def _patch(xml: str, cells: dict[str, str]) -> str | None:
    """``xml`` with each cell (by reference) holding its new inline text, style kept; None if a cell is missing."""
    if "<sheetData>" not in xml:
        return None
    for ref, text in cells.items():
        match = _cell_pattern(ref).search(xml)
        if match is None:
            return None
        style = _STYLE.search(match.group(0).split(">", 1)[0])
        s = f' s="{style.group(1)}"' if style else ""
        new = f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{xml_escape(inert_text(text))}</t></is></c>'
        xml = xml[: match.start()] + new + xml[match.end() :]
    return xml


def set_table_values(path: Path, table: str, values: dict[str, str]) -> bool:
    """In the Excel Table ``table`` of two columns (key, value), set the value of each key in ``values``.

    Keys not in the table are skipped. Returns False (nothing written) when the workbook is not
    in the form this module handles; the file is replaced atomically otherwise.
    """
    import python_calamine as pc

    data = Path(path).read_bytes()
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data), load_tables=True)
    try:
        if table not in (wb.table_names or []):
            return False
        found = wb.get_table_by_name(table)
        first_row, first_col = found.start or (0, 0)
        sheet = nfc(found.sheet)
        cells: dict[str, str] = {}
        for k, row in enumerate(found.to_python()):  # the table's data rows; start is the first of them
            key = nfc(str(row[0])).strip() if row and row[0] is not None else ""
            if key in values:
                cells[cell_ref(first_row + k, first_col + 1)] = str(values[key])
    finally:
        wb.close()
    if not cells:
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        part = sheet_parts(src).get(sheet)
        if part is None:
            return False
        xml = _patch(src.read(part).decode("utf-8"), cells)
        if xml is None:
            return False
        with atomic_write(Path(path)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = xml.encode("utf-8") if info.filename == part else src.read(info)
                dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return True
