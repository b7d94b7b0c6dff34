"""Read the master workbook into a Plan, collecting every problem at once.

The tables come from ``plan.tables`` (by Excel Table name and header, never by cell
address); every bad cell becomes a ``Problem`` naming the sheet, the cell and the fix,
and the whole list is raised together as ``MasterDataError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xl_addin.core.contracts import Group
from xl_addin.core.errors import MasterDataError, Problem, WorkspaceError
from xl_addin.core.model import ALL_UNITS, Agency, Indicator, Period, Plan, Settings, Task, Unit, YearResult
from xl_addin.core.periods import parse_period
from xl_addin.core.vnformat import clean_text, parse_vn_number
from xl_addin.plan import schema as S
from xl_addin.plan.office_text import read_office_text
from xl_addin.plan.tables import TableData, TableReader, open_tables


def read_master(path: Path) -> Plan:
    """Read ``master.xlsx`` into a Plan; every problem is reported together."""
    if not path.is_file():
        raise WorkspaceError(
            f"Không tìm thấy bảng tính chính “{path}”. Hãy mở đúng thư mục làm việc, hoặc tạo mới bằng "
            "“ddci init <thư mục>”."
        )
    return plan_from_tables(open_tables(path))


def plan_from_tables(tables: dict[str, TableData]) -> Plan:
    """Build the Plan from already-read tables (also used by the live-Excel port)."""
    r = TableReader()
    required = [S.TABLE_SETTINGS, S.TABLE_UNITS, S.TABLE_INDICATORS, S.TABLE_TASKS, S.TABLE_PERIODS]
    for name in required:
        if name not in tables:
            r.problems.append(
                Problem(
                    S.SHEETS[name],
                    "",
                    f"Không tìm thấy bảng (Excel Table) tên “{name}”. Hãy đặt lại tên bảng trong Table Design > "
                    f"Table Name, hoặc chép lại trang “{S.SHEETS[name]}” từ bảng tính mẫu.",
                )
            )
    if r.problems:
        raise MasterDataError(r.problems)
    _check_headers(r, tables)
    if r.problems:
        raise MasterDataError(r.problems)
    agency, settings = _settings(r, tables[S.TABLE_SETTINGS])
    units = _units(r, tables[S.TABLE_UNITS])
    indicators = _indicators(r, tables[S.TABLE_INDICATORS])
    overall = _overall(r, tables[S.TABLE_OVERALL]) if S.TABLE_OVERALL in tables else ()
    unit_codes = {u.code for u in units}
    tasks = _tasks(r, tables[S.TABLE_TASKS], unit_codes, {i.code for i in indicators})
    periods = _periods(r, tables[S.TABLE_PERIODS])
    texts = read_office_text(r, tables[S.TABLE_PARAGRAPHS]) if S.TABLE_PARAGRAPHS in tables else ()
    if settings and settings.focal_unit and settings.focal_unit not in unit_codes:
        t = tables[S.TABLE_SETTINGS]
        r.problems.append(
            Problem(
                t.sheet,
                "",
                f"“Đơn vị đầu mối tổng hợp” là “{settings.focal_unit}”, không có "
                "trong bảng Đơn vị; hãy nhập một mã đơn vị.",
            )
        )
    if settings and not any(p.code == settings.current_period for p in periods):
        t = tables[S.TABLE_SETTINGS]
        r.problems.append(
            Problem(
                t.sheet,
                "",
                f"“Kỳ báo cáo hiện tại” là “{settings.current_period}”, không có "
                "trong bảng Kỳ báo cáo; hãy nhập một mã kỳ có trong bảng đó.",
            )
        )
    if r.problems or agency is None or settings is None:
        raise MasterDataError(r.problems)
    return Plan(
        agency, settings, tuple(units), tuple(indicators), tuple(tasks), tuple(periods), tuple(overall), tuple(texts)
    )


def _check_headers(r: TableReader, tables: dict[str, TableData]) -> None:
    expected = {
        S.TABLE_SETTINGS: S.SETTINGS_COLUMNS[:2],
        S.TABLE_UNITS: S.UNIT_COLUMNS[:3],
        S.TABLE_INDICATORS: S.INDICATOR_FIXED_COLUMNS[:2],
        S.TABLE_TASKS: S.TASK_COLUMNS[:4],
        S.TABLE_PERIODS: S.PERIOD_COLUMNS,
        S.TABLE_OVERALL: S.OVERALL_COLUMNS[:1],
        S.TABLE_PARAGRAPHS: (S.PARAGRAPH_COLUMNS[0], S.PARAGRAPH_COLUMNS[1], S.PARAGRAPH_COLUMNS[3]),
    }
    for name, columns in expected.items():
        table = tables.get(name)
        if table is None:
            continue
        for col in columns:
            if col.header not in table.headers:
                r.problems.append(
                    Problem(
                        table.sheet,
                        table.header_cell(),
                        f"Bảng “{name}” thiếu cột “{col.header}” (có thể đã bị đổi tên). Hãy đặt lại đúng tiêu đề "
                        f"“{col.header}”. Các cột hiện có: {', '.join(table.headers)}.",
                    )
                )
    table = tables[S.TABLE_INDICATORS]
    if not any(S.YEAR_COLUMN_RE.match(h) for h in table.headers):
        r.problems.append(
            Problem(
                table.sheet,
                table.header_cell(),
                "Bảng “ChiSo” không có cột điểm theo năm (VD: “Điểm 2023”, “Hạng 2023”, "
                "“Số đơn vị 2023”); hãy thêm hoặc sửa tên cột.",
            )
        )


def _settings(r: TableReader, t: TableData) -> tuple[Agency | None, Settings | None]:
    by_label = {item.label: item for item in S.SETTINGS}
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        label = clean_text(rec.get("Thiết lập"))
        item = by_label.get(label)
        if item is None:
            if label:
                r.problem(t, i, "Thiết lập", f"Không biết thiết lập “{label}”; hãy xóa dòng hoặc sửa đúng tên.")
            continue
        seen[item.key] = i
        raw = rec.get("Giá trị")
        values[item.key] = _setting_value(r, t, i, item, raw)
    for item in S.SETTINGS:
        if item.key not in seen:
            if item.required:
                r.problems.append(
                    Problem(t.sheet, "", f"Thiếu dòng thiết lập “{item.label}”; hãy thêm dòng này vào bảng Cấu hình.")
                )
            values.setdefault(item.key, () if item.kind == "lines" else None)
        elif item.required and values.get(item.key) in (None, ""):
            r.problem(t, seen[item.key], "Giá trị", f"Thiết lập “{item.label}” đang trống; hãy nhập giá trị.")
    current = values.get("current_period")
    if current:
        try:
            values["current_period"] = parse_period(str(current)).code
        except ValueError:
            r.problem(
                t,
                seen["current_period"],
                "Giá trị",
                f"Mã kỳ “{current}” không đúng dạng; dùng 2024-03, 2024-Q1, 2024-H1 hoặc 2024.",
            )
    if any(p.sheet == t.sheet for p in r.problems):
        return None, None
    agency_kwargs: dict[str, Any] = {k: values[k] if values[k] is not None else "" for k in S.AGENCY_KEYS}
    agency = Agency(**agency_kwargs)
    settings_keys = [item.key for item in S.SETTINGS if item.key not in S.AGENCY_KEYS]
    kwargs: dict[str, Any] = {k: values.get(k) for k in settings_keys}
    for key in ("plan_basis", "plan_context", "block_name", "block_short", "report_basis", "focal_unit"):
        kwargs[key] = kwargs[key] or ""
    if kwargs["submission_grace_days"] is None:
        kwargs["submission_grace_days"] = 1
    return agency, Settings(**kwargs)


def _setting_value(r: TableReader, t: TableData, i: int, item: S.Setting, raw: Any) -> Any:
    if raw in ("", None):
        return () if item.kind == "lines" else None
    report = lambda msg: r.problem(t, i, "Giá trị", f"“{item.label}”: {msg}")  # noqa: E731
    if item.kind == "lines":
        lines = [clean_text(line).rstrip(";.").strip() for line in str(raw).splitlines()]
        return tuple(line.removeprefix("- ").strip() for line in lines if line)
    if item.kind == "date":
        return TableReader.parse_date(raw, report)
    if item.kind in ("int", "percent", "float"):
        text = clean_text(raw)
        percent = isinstance(raw, str) and text.endswith("%")
        try:
            value = float(raw) if isinstance(raw, int | float) else parse_vn_number(text.rstrip("%"))
        except ValueError:
            report(f"“{text}” không phải là số.")
            return None
        if item.kind == "percent":
            value = value / 100 if percent or value > 1 else value
            if not 0 < value < 1:
                report("tỷ lệ phải lớn hơn 0% và nhỏ hơn 100%, VD: 20%.")
                return None
            return value
        if item.kind == "int":
            if not value.is_integer():
                report(f"“{text}” phải là số nguyên.")
                return None
            return int(value)
        return value
    return clean_text(raw)


def _check_unique(r: TableReader, t: TableData, header: str, values: list[tuple[int, str]], what: str) -> None:
    seen: dict[str, int] = {}
    for i, code in values:
        if not code:
            continue
        if code in seen:
            first = t.cell(seen[code], header)
            fix = f"mỗi {what.lower()} chỉ được có một dòng, hãy sửa hoặc xóa dòng trùng."
            r.problem(t, i, header, f"{what} “{code}” bị trùng với ô {first}; {fix}")
        else:
            seen[code] = i


def _flag(r: TableReader, t: TableData, i: int, rec: dict, header: str, default: str) -> bool:
    """A Có/Không column (``default`` when the column is absent or the cell empty)."""
    flag = clean_text(rec.get(header)) if header in t.headers else default
    if flag not in ("", S.YES, S.NO):
        r.problem(t, i, header, f"“{flag}” không hợp lệ; chọn “{S.YES}” hoặc “{S.NO}”.")
    return (flag or default) == S.YES


def _units(r: TableReader, t: TableData) -> list[Unit]:
    units, codes = [], []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        code = r.text(t, i, rec, "Mã đơn vị", required=True)
        name = r.text(t, i, rec, "Tên đơn vị", required=True)
        head = r.text(t, i, rec, "Chức danh người đứng đầu", required=True)
        reports = _flag(r, t, i, rec, "Báo cáo định kỳ", S.YES)
        codes.append((i, code))
        units.append(Unit(code, name, head, reports, email=clean_text(rec.get(S.UNIT_EMAIL))))
    _check_unique(r, t, "Mã đơn vị", codes, "Mã đơn vị")
    return units


def _indicators(r: TableReader, t: TableData) -> list[Indicator]:
    years = sorted({int(m.group(2)) for h in t.headers if (m := S.YEAR_COLUMN_RE.match(h))})
    group_by_label = {g.label.lower(): g for g in Group} | {g.value: g for g in Group}
    out, codes = [], []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        code = r.text(t, i, rec, "Mã", required=True)
        results = []
        for year in years:
            score_h, rank_h, units_h = f"Điểm {year}", f"Hạng {year}", f"Số đơn vị {year}"
            score = r.number(t, i, rec, score_h) if score_h in t.headers else None
            rank = r.whole(t, i, rec, rank_h) if rank_h in t.headers else None
            units = r.whole(t, i, rec, units_h) if units_h in t.headers else None
            if score is not None and not 0 <= score <= 100:
                r.problem(t, i, score_h, f"Điểm {score} nằm ngoài khoảng 0–100; hãy kiểm tra lại.")
            if rank is not None and units is not None and rank > units:
                r.problem(
                    t,
                    i,
                    rank_h,
                    f"Hạng {rank} lớn hơn số đơn vị được xếp hạng ({units}) năm {year}; "
                    f"hãy sửa “{rank_h}” hoặc “{units_h}”.",
                )
            if rank is not None and rank < 1:
                r.problem(t, i, rank_h, "Hạng phải từ 1 trở lên.")
            if score is not None or rank is not None:
                results.append(YearResult(year, score, rank, units))
        group_text = clean_text(rec.get("Nhóm")).lower()
        group = None
        if group_text:
            group = group_by_label.get(group_text)
            if group is None:
                r.problem(
                    t,
                    i,
                    "Nhóm",
                    f"“{rec.get('Nhóm')}” không hợp lệ; chọn “Phát huy”, “Khắc phục” hoặc để trống để tự tính.",
                )
        codes.append((i, code))
        out.append(
            Indicator(
                code=code,
                name=r.text(t, i, rec, "Chỉ số", required=True),
                leader=clean_text(rec.get("Lãnh đạo chủ trì")),
                leader_title=clean_text(rec.get("Chức vụ lãnh đạo")),
                weaknesses=clean_text(rec.get("Hạn chế")),
                results=tuple(results),
                group_override=group,
                assessment_override=clean_text(rec.get("Đánh giá chung")) or None,
            )
        )
    _check_unique(r, t, "Mã", codes, "Mã chỉ số")
    return out


def _overall(r: TableReader, t: TableData) -> list[YearResult]:
    out = []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        year = r.whole(t, i, rec, "Năm", required=True)
        if year is None:
            continue
        score = r.number(t, i, rec, "Điểm") if "Điểm" in t.headers else None
        rank = r.whole(t, i, rec, "Hạng") if "Hạng" in t.headers else None
        units = r.whole(t, i, rec, "Số đơn vị") if "Số đơn vị" in t.headers else None
        if rank is not None and units is not None and rank > units:
            r.problem(t, i, "Hạng", f"Hạng {rank} lớn hơn số đơn vị ({units}); hãy sửa lại.")
        out.append(YearResult(int(year), score, rank, units))
    return out


def _unit_list(r: TableReader, t: TableData, i: int, header: str, raw: str, unit_codes: set[str]) -> tuple[str, ...]:
    if not raw:
        return ()
    if raw.lower() in (S.ALL_UNITS_LABEL.lower(), ALL_UNITS):
        return (ALL_UNITS,)
    codes = tuple(c.strip() for c in raw.replace(";", ",").split(",") if c.strip())
    unknown = [c for c in codes if c not in unit_codes]
    if unknown:
        fix = f"hãy dùng mã có sẵn hoặc “{S.ALL_UNITS_LABEL}”."
        r.problem(t, i, header, f"Mã đơn vị {', '.join(unknown)} không có trong bảng Đơn vị; {fix}")
    return codes


def _tasks(r: TableReader, t: TableData, unit_codes: set[str], indicator_codes: set[str]) -> list[Task]:
    out, codes = [], []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        code = r.text(t, i, rec, "Mã nhiệm vụ", required=True)
        ind = r.text(t, i, rec, "Mã chỉ số", required=True)
        if ind and ind not in indicator_codes:
            r.problem(t, i, "Mã chỉ số", f"Chỉ số “{ind}” không có trong bảng Chỉ số; hãy nhập mã có sẵn.")
        lead_raw = r.text(t, i, rec, "Đơn vị chủ trì", required=True)
        lead = _unit_list(r, t, i, "Đơn vị chủ trì", lead_raw, unit_codes)
        if len(lead) > 1:
            r.problem(t, i, "Đơn vị chủ trì", "Chỉ nhập một đơn vị chủ trì; các đơn vị khác ghi vào “Đơn vị phối hợp”.")
        support = _unit_list(r, t, i, "Đơn vị phối hợp", clean_text(rec.get("Đơn vị phối hợp")), unit_codes)
        codes.append((i, code))
        out.append(
            Task(
                code=code,
                indicator_code=ind,
                text=r.text(t, i, rec, "Nội dung nhiệm vụ", required=True),
                lead=lead[0] if lead else "",
                support=support,
                reports_to=clean_text(rec.get("Báo cáo về")),
                cadence=clean_text(rec.get("Tần suất")),
                deadline=r.date(t, i, rec, "Thời hạn") if "Thời hạn" in t.headers else None,
                assignment_text=clean_text(rec.get("Phân công (trình bày)")),
                carried_over=_flag(r, t, i, rec, S.TASK_CARRIED_OVER, S.NO),
            )
        )
    _check_unique(r, t, "Mã nhiệm vụ", codes, "Mã nhiệm vụ")
    return out


def _periods(r: TableReader, t: TableData) -> list[Period]:
    out, codes = [], []
    for i in t.row_indices():
        rec = dict(zip(t.headers, t.rows[i], strict=False))
        code = r.text(t, i, rec, "Mã kỳ", required=True)
        try:
            code = parse_period(code).code if code else code
        except ValueError:
            r.problem(t, i, "Mã kỳ", f"Mã kỳ “{code}” không đúng dạng; dùng 2024-03, 2024-Q1, 2024-H1 hoặc 2024.")
        start = r.date(t, i, rec, "Từ ngày", required=True)
        end = r.date(t, i, rec, "Đến ngày", required=True)
        deadline = r.date(t, i, rec, "Hạn nộp", required=True)
        if start and end and start > end:
            r.problem(t, i, "Đến ngày", "“Đến ngày” phải sau “Từ ngày”.")
        codes.append((i, code))
        if start and end and deadline:
            out.append(Period(code, r.text(t, i, rec, "Tên kỳ", required=True), start, end, deadline))
    _check_unique(r, t, "Mã kỳ", codes, "Mã kỳ")
    return out
