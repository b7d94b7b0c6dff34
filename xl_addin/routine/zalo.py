"""The Zalo list: one short message per unit, in a text file the clerk copies from.

Many units answer by Zalo rather than email. Beside the ``.eml`` drafts, ``zalo_<kỳ>.txt``
holds the same request in a few lines for each unit, under a header naming the unit,
so the clerk copies each message into the unit's chat. UTF-8 with a byte-order mark and
CRLF line ends, so Notepad on any Windows shows the Vietnamese right.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xl_addin.files.atomic import atomic_write
from xl_addin.routine.drafts import Draft


def zalo_text(title: str, drafts: Sequence[Draft]) -> str:
    """The file's text: a title, then per unit a header line and its message."""
    lines = [title, "Mỗi đơn vị một tin nhắn: chép đoạn dưới tên đơn vị vào Zalo của đơn vị đó.", ""]
    for d in drafts:
        lines += [f"===== {d.unit} – {d.unit_name} =====", d.short, ""]
    return "\n".join(lines)


def write_zalo(text: str, path: Path) -> Path:
    """Write the list atomically (UTF-8 with BOM, CRLF)."""
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig")
    with atomic_write(path) as tmp:
        tmp.write_bytes(data)
    return path
