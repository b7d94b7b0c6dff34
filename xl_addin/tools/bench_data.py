"""Synthetic workspaces for ``ddci bench``: the seed plan with N units, and N valid filled submissions.

The synthetic workspace is the seed plan with N units (``DV0001`` …) and 30 tasks
of Vietnamese text, so every submission has 30 task rows. Writing 1,000 filled files
through openpyxl takes ~0.17 s each (about 3 minutes), so only a few files per
distinct set of template rows are written through the real template writer and
filler; the others are copies whose unit code and unit name are rewritten in the XML
parts with ``zipfile`` (the identity sheet's fingerprint depends only on the task
rows, which those units share, so every copy is a valid submission of its unit).

Files come back from the divisions saved by Excel, LibreOffice or WPS, which store
text once in ``xl/sharedStrings.xml`` as UTF-8; openpyxl writes every string inline
as ``&#7879;`` character references (a 59 KB progress sheet instead of 18 KB + 30 KB
of shared strings, and twice the parse time). The synthetic files are therefore
converted to shared strings, as a save in Excel would (``shared_strings=False`` keeps
openpyxl's form, which is what ``ddci demo`` puts in the inbox).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from xl_addin.core.errors import DdciError
from xl_addin.core.model import ALL_UNITS, Period, Plan, Unit
from xl_addin.core.vnformat import nfc
from xl_addin.forms import layout as L

ProgressFn = Callable[[str, int, int], None]

TASKS_PER_UNIT = 30
PROTOTYPES_PER_GROUP = 12  # files per distinct row set written through openpyxl; the rest are copies

_UNIT_NAMES = (
    "Phòng Quản lý đất đai",
    "Phòng Tài nguyên nước và Khoáng sản",
    "Chi cục Bảo vệ môi trường",
    "Trung tâm Quan trắc tài nguyên và môi trường",
    "Chi nhánh Văn phòng Đăng ký đất đai",
    "Trung tâm Công nghệ thông tin",
    "Phòng Biển, đảo và Khí tượng thủy văn",
    "Đội Thanh tra môi trường",
)
_VARIANTS = (
    "; định kỳ hằng quý tổng hợp, đánh giá kết quả và đề xuất giải pháp khắc phục tồn tại, hạn chế",
    "; phấn đấu 100% hồ sơ được giải quyết trước và đúng hạn, không để tồn đọng, chậm trễ",
    "; công khai kết quả thực hiện trên Trang thông tin điện tử của Sở để doanh nghiệp theo dõi, giám sát",
    "; gắn kết quả thực hiện với đánh giá, xếp loại chất lượng công chức, viên chức hằng năm",
)


# --- synthetic plan ----------------------------------------------------------------------------


def _unit_code(i: int, width: int) -> str:
    return f"DV{i:0{width}d}"


def bench_plan(units: int, tasks: int = TASKS_PER_UNIT) -> Plan:
    """The seed plan with ``units`` units and ``tasks`` tasks (seed tasks plus Vietnamese variants).

    The seed's named lead units become the first three units, so every other unit
    carries the same 30 rows (lead of the all-unit tasks, support of the others), as
    in a real department.
    """
    from xl_addin.plan.seed import seed_plan

    if units < 1:
        raise DdciError("Số đơn vị phải từ 1 trở lên.")
    seed = seed_plan()
    width = max(4, len(str(units)))
    codes = [_unit_code(i, width) for i in range(1, units + 1)]
    new_units = tuple(
        Unit(code, nfc(f"{_UNIT_NAMES[(i - 1) % len(_UNIT_NAMES)]} số {i:0{width}d}"), "Trưởng đơn vị")
        for i, code in enumerate(codes, start=1)
    )
    seed_leads = list(dict.fromkeys(t.lead for t in seed.tasks if t.lead != ALL_UNITS))
    lead_map = {old: codes[k % len(codes)] for k, old in enumerate(seed_leads)}
    base = [dataclasses.replace(t, lead=lead_map.get(t.lead, t.lead)) for t in seed.tasks]
    out = list(base[:tasks])
    next_no: dict[str, int] = {}
    for t in base:
        next_no[t.indicator_code] = max(next_no.get(t.indicator_code, 0), int(t.code.split(".")[1]))
    k = 0
    while len(out) < tasks:
        src = base[k % len(base)]
        next_no[src.indicator_code] += 1
        code = f"{src.indicator_code}.{next_no[src.indicator_code]}"
        variant = _VARIANTS[(k // len(base) + k) % len(_VARIANTS)]
        out.append(dataclasses.replace(src, code=code, text=src.text + variant))
        k += 1
    order = sorted(out, key=lambda t: tuple(int(x) for x in t.code.split(".")))
    settings = dataclasses.replace(seed.settings, focal_unit=codes[0])
    return dataclasses.replace(seed, settings=settings, units=new_units, tasks=tuple(order))


# --- synthetic submissions ---------------------------------------------------------------------


def _xml_forms(text: str) -> tuple[bytes, ...]:
    """How a string can appear in an XML part: openpyxl's character references, or UTF-8."""
    escaped = escape(nfc(text))
    return escaped.encode("ascii", "xmlcharrefreplace"), escaped.encode("utf-8")


def _rewrite(data: bytes, old: str, new: str) -> tuple[bytes, int]:
    count = 0
    for old_b, new_b in zip(_xml_forms(old), _xml_forms(new), strict=True):
        n = data.count(old_b)
        if n:
            data = data.replace(old_b, new_b)
            count += n
    return data, count


_INLINE_CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>')
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _utf8_text(escaped: bytes) -> bytes:
    """XML text with character references turned into UTF-8 (``&amp;`` etc. stay escaped)."""

    def char(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        return escape(chr(int(ref[1:], 16) if ref[0] == "x" else int(ref))).encode("utf-8")

    return _CHAR_REF.sub(char, escaped)


def to_shared_strings(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Move inline strings into ``xl/sharedStrings.xml`` (UTF-8), as Excel does when it saves."""
    index: dict[bytes, int] = {}
    count = 0

    def cell(m: re.Match[bytes]) -> bytes:
        nonlocal count
        text = _utf8_text(m.group(3))
        count += 1
        k = index.setdefault(text, len(index))
        return b"<c " + m.group(1) + b't="s"' + m.group(2) + b"><v>" + str(k).encode() + b"</v></c>"

    out = []
    for info, data in parts:
        if info.filename.startswith("xl/worksheets/") and b"inlineStr" in data:
            data = _INLINE_CELL.sub(cell, data)
        out.append((info, data))
    if not index:
        return parts
    items = b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in index)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, len(index)) + items + b"</sst>"
    )
    fixed = []
    for info, data in out:
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode()
            )
        elif info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                f'<Relationship Type="{_SST_REL}" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>'.encode(),
            )
        fixed.append((info, data))
        if info.filename == "xl/workbook.xml":
            fixed.append((zipfile.ZipInfo("xl/sharedStrings.xml", info.date_time), sst))
    return fixed


class _Prototype:
    """A filled file held in memory, re-emitted for another unit with its code and name swapped."""

    def __init__(self, path: Path, unit: Unit, *, shared_strings: bool = True) -> None:
        self.unit = unit
        with zipfile.ZipFile(path) as zf:
            self.parts = [(info, zf.read(info)) for info in zf.infolist()]
        if shared_strings:
            self.parts = to_shared_strings(self.parts)
            self.copy_for(unit, path)

    def copy_for(self, unit: Unit, dest: Path) -> None:
        old_code, new_code = (f">{escape(c)}</t>".encode() for c in (self.unit.code, unit.code))
        found_code = found_name = 0
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in self.parts:
                if info.filename.endswith(".xml") and unit is not self.unit:
                    data, n = _rewrite(data, self.unit.name, unit.name)
                    found_name += n
                    if info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                        found_code += data.count(old_code)
                        data = data.replace(old_code, new_code)
                clone = zipfile.ZipInfo(info.filename, info.date_time)
                clone.compress_type = zipfile.ZIP_DEFLATED
                clone.external_attr = info.external_attr
                out.writestr(clone, data, compresslevel=6)
        if unit is not self.unit and not (found_code and found_name):  # layout changed: fail loudly
            raise RuntimeError(f"bench: cannot rewrite {self.unit.code} → {unit.code} in {dest.name}")


def _set_mtime(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def generate_submissions(
    plan: Plan,
    period: Period,
    inbox: Path,
    templates: Path,
    progress: ProgressFn | None = None,
    *,
    shared_strings: bool = True,
) -> list[Path]:
    """One filled, valid submission per unit in ``inbox`` (mtimes before the deadline)."""
    from xl_addin.forms.writer import write_unit_template
    from xl_addin.tools.demo_fill import demo_answers, fill_submission

    inbox.mkdir(parents=True, exist_ok=True)
    templates.mkdir(parents=True, exist_ok=True)
    roles = [(t.code, t.units(plan.reporting_unit_codes)) for t in plan.tasks]  # once: tasks_for is O(units)
    groups: dict[tuple, list[Unit]] = {}
    for unit in plan.units:
        key = tuple((code, by_unit[unit.code]) for code, by_unit in roles if unit.code in by_unit)
        groups.setdefault(key, []).append(unit)
    on_time = dt.datetime.combine(period.end, dt.time(16, 30))
    paths: list[Path] = []
    total = len(plan.units)
    for members in groups.values():
        prototypes: list[_Prototype] = []
        for n, unit in enumerate(members):
            dest = inbox / f"{unit.code}_bao_cao_{period.code}.xlsx"
            if n < PROTOTYPES_PER_GROUP:
                template = write_unit_template(
                    plan, unit.code, period, templates / L.template_file_name(unit.code, period.code)
                )
                answers = demo_answers(plan, unit.code, period, seed=n)
                reporter = (f"Nguyễn Văn {chr(ord('A') + n % 26)}", f"0912 000 {n:03d}")
                fill_submission(template, dest, answers, reporter)
                prototypes.append(_Prototype(dest, unit, shared_strings=shared_strings))
            else:
                prototypes[n % len(prototypes)].copy_for(unit, dest)
            _set_mtime(dest, on_time - dt.timedelta(minutes=len(paths) % 600))
            paths.append(dest)
            if progress and (len(paths) % 50 == 0 or len(paths) == total):
                progress("Đang tạo tệp nộp giả lập", len(paths), total)
    return paths
