"""Read the office's own paragraphs (table NoiDungBoSung) into ``OfficeText`` records.

Kept apart from ``reader.py`` (which calls it) so that module stays one screenful per
table. The table is optional: a master made before it existed has no paragraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xl_addin.core.contracts import ReportKind
from xl_addin.core.model import OfficeText

if TYPE_CHECKING:
    from xl_addin.plan.tables import TableData, TableReader

_DOCUMENTS = {k.label.casefold(): k for k in ReportKind} | {k.value: k for k in ReportKind}


def read_office_text(r: TableReader, t: TableData) -> list[OfficeText]:
    """Every non-empty row; a wrong document or mục is a problem naming the cell."""
    out = []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        text = r.text(t, i, rec, "Nội dung", required=True)
        doc_text = r.text(t, i, rec, "Văn bản", required=True)
        section = r.text(t, i, rec, "Mục", required=True).upper()
        order = r.whole(t, i, rec, "Thứ tự") if "Thứ tự" in t.headers else None
        document = _DOCUMENTS.get(doc_text.casefold())
        if doc_text and document is None:
            choices = " hoặc ".join(f"“{k.label}”" for k in ReportKind)
            r.problem(t, i, "Văn bản", f"“{doc_text}” không hợp lệ; chọn {choices}.")
        if document is not None and section and section not in document.sections:
            allowed = ", ".join(document.sections)
            r.problem(t, i, "Mục", f"{document.label} không có mục “{section}”; chọn một trong: {allowed}.")
        if document is not None and section and text:
            out.append(OfficeText(document, section, order if order is not None else 1000 + i, text))
    return out
