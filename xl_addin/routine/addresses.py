"""The units' email addresses from the ``DonVi`` table: checked, never corrected.

A cell may hold several addresses separated by ``;`` (as Outlook writes them). An
address that is not of the plain ``ten@ten-mien.vn`` form is left out of the draft
and named in a warning with its unit and its cell; nothing is guessed (a comma for a
dot, a stray space, ``mailto:``): the clerk fixes the cell, the draft is still written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xl_addin.core.model import Plan
from xl_addin.plan import schema as S
from xl_addin.plan.tables import TableData

SEPARATOR = ";"
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS_RE = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})")
MAX_LENGTH = 254  # RFC 5321 path limit


def is_address(text: str) -> bool:
    """``text`` is one plain address (``ten@ten-mien.vn``): ASCII, one ``@``, a dotted domain."""
    return len(text) <= MAX_LENGTH and _ADDRESS_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class Recipients:
    """Each unit's usable addresses, and a warning for every address left out."""

    addresses: dict[str, tuple[str, ...]]
    warnings: list[str] = field(default_factory=list)

    def of(self, unit_code: str) -> tuple[str, ...]:
        return self.addresses.get(unit_code, ())

    def without_address(self, codes: tuple[str, ...] | list[str]) -> list[str]:
        return [code for code in codes if not self.of(code)]


def email_cells(table: TableData | None) -> dict[str, str]:
    """Unit code → the ``Email`` cell of its row (``Đơn vị!E3``), to name it in a warning."""
    if table is None or S.UNIT_EMAIL not in table.headers or "Mã đơn vị" not in table.headers:
        return {}
    code_col = table.headers.index("Mã đơn vị")
    out = {}
    for i in table.row_indices():
        code = str(table.rows[i][code_col] or "").strip()
        if code:
            out[code] = f"{table.sheet}!{table.cell(i, S.UNIT_EMAIL)}"
    return out


def unit_recipients(plan: Plan, cells: dict[str, str]) -> Recipients:
    """Split and check every unit's ``Email`` cell; warn about each address left out."""
    addresses: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []
    for unit in plan.units:
        parts = [p.strip() for p in unit.email.replace("\n", SEPARATOR).split(SEPARATOR)]
        good = tuple(p for p in parts if p and is_address(p))
        bad = [p for p in parts if p and not is_address(p)]
        addresses[unit.code] = good
        if bad:
            where = cells.get(unit.code, f"trang “{S.SHEETS[S.TABLE_UNITS]}”, cột “{S.UNIT_EMAIL}”")
            listed = ", ".join(f"“{b}”" for b in bad)
            warnings.append(
                f"{unit.code} ({unit.name}), ô {where}: địa chỉ email {listed} không đúng dạng "
                f"(VD: vanphong@stnmt.example.org; nhiều địa chỉ cách nhau bởi dấu “{SEPARATOR}”). Thư nháp vẫn "
                "được tạo nhưng không có địa chỉ này; hãy sửa ô rồi chạy lại, hoặc gõ địa chỉ khi gửi."
            )
    return Recipients(addresses, warnings)
