"""``ddci demo``: the whole monthly job on the built-in seed plan, end to end.

Creates a workspace from the seed plan, computes the indicator changes, writes the
templates for the current period, fills them as the divisions would (one late,
one missing, one with two errors, one saved by LibreOffice when it is installed),
puts them in ``nop/``, validates, consolidates, and writes both Word documents.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.actions import (
    consolidate_submissions,
    indicator_changes,
    init_workspace,
    make_report,
    make_templates,
)
from xl_addin.excel.ports import FilePort, ProgressFn, no_progress
from xl_addin.forms.layout import STATUS_DONE, template_file_name

REPORTERS = {
    "VP": ("Hoàng Thị Lan", "0205 3812 345"),
    "TTRA": ("Nông Văn Hùng", "0205 3812 456"),
    "VPDKDD": ("Lương Thị Mai", "0912 345 678"),
    "CCBVMT": ("Vi Văn Toàn", "0987 654 321"),
    "TNNKS": ("Hà Thị Thu", "0915 222 333"),
    "QLDD": ("Lộc Văn Bình", "0868 111 222"),
    "TTCNTT": ("Triệu Thị Hồng", "0977 333 444"),
    "TTQT": ("Đinh Văn Sơn", "0966 555 666"),
}
MISSING_UNIT = "TTQT"
LATE_UNIT = "QLDD"
BROKEN_UNIT = "TNNKS"
LIBREOFFICE_UNIT = "CCBVMT"


@dataclass
class DemoResult:
    root: Path
    outputs: list[tuple[str, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _set_received(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def _resave_with_libreoffice(path: Path) -> bool:
    """Round-trip a filled file through LibreOffice, as a division using it would save it."""
    from xl_addin.core.errors import DdciError
    from xl_addin.documents.pdf import convert

    with tempfile.TemporaryDirectory(prefix="ddci-lo-") as tmp:
        try:
            converted = convert(path, Path(tmp), "xlsx:Calc MS Excel 2007 XML")
        except DdciError:  # LibreOffice missing or failing: keep the file as openpyxl wrote it
            return False
        shutil.copyfile(converted, path)
    return True


def fill_demo_inbox(port: FilePort, period_code: str | None = None) -> list[str]:
    """Fill the period's templates as the divisions would and drop them into ``nop/``."""
    from xl_addin.excel.ports import load_plan
    from xl_addin.tools.demo_fill import demo_answers, fill_submission

    notes = []
    templates = make_templates(port, period_code)
    plan = load_plan(port)
    period = templates.period
    on_time = dt.datetime.combine(period.end, dt.time(16, 30))
    for n, code in enumerate(plan.reporting_unit_codes):
        port.progress(f"Đang điền báo cáo mẫu của {code}…", n + 1, len(plan.reporting_unit_codes))
        if code == MISSING_UNIT:
            notes.append(f"{code}: không nộp (để thấy danh sách đơn vị chưa nộp).")
            continue
        answers = demo_answers(plan, code, period, seed=n)
        if code == BROKEN_UNIT:
            first, second = list(answers)[:2]
            answers[first] = {
                **answers[first],
                "status": STATUS_DONE,
                "percent": 80,
                "done_date": None,
                "result": answers[first]["result"] or "Đã rà soát, cập nhật nội dung trên trang tin.",
            }
            answers[second] = {**answers[second], "percent": 120}
            notes.append(
                f"{code}: có 2 lỗi cố ý (nhiệm vụ {first} “Hoàn thành” nhưng tỷ lệ 80, nhiệm vụ {second} tỷ lệ 120)."
            )
        source = templates.folder / template_file_name(code, period.code)
        dest = port.workspace.inbox / f"{code}_bao_cao_{period.code}.xlsx"
        fill_submission(source, dest, answers, REPORTERS.get(code, ("Nguyễn Văn A", "0900 000 000")))
        if code == LIBREOFFICE_UNIT:
            saved = _resave_with_libreoffice(dest)
            notes.append(f"{code}: lưu bằng LibreOffice." if saved else f"{code}: (không có LibreOffice để lưu lại).")
        when = on_time - dt.timedelta(hours=n)
        if code == LATE_UNIT:
            when = dt.datetime.combine(period.deadline + dt.timedelta(days=3), dt.time(9, 15))
            notes.append(f"{code}: nộp muộn ({when:%d/%m/%Y}).")
        _set_received(dest, when)
    return notes


def run_demo(root: Path, progress: ProgressFn | None = None, force: bool = False) -> DemoResult:
    """Create a workspace from the seed plan and run every step on it.

    ``force`` removes an earlier demo folder first (only one that holds a master
    workbook, so a mistyped path cannot wipe an unrelated folder).
    """
    progress = progress or no_progress
    root = Path(root)
    if force and (root / "master.xlsx").is_file():
        shutil.rmtree(root)
    progress("Đang tạo thư mục làm việc từ Kế hoạch mẫu…", 1, 6)
    init = init_workspace(root)
    result = DemoResult(init.workspace.root)
    result.outputs.append(("Bảng tính chính", init.master))
    port = FilePort(root, progress)
    progress("Đang tính biến động chỉ số…", 2, 6)
    changes = indicator_changes(port)
    if changes.output:
        result.outputs.append(("Biến động chỉ số", changes.output))
    result.notes += [f"Cảnh báo: {w}" for w in changes.warnings]
    progress("Đang tạo biểu mẫu và điền báo cáo mẫu của các phòng…", 3, 6)
    result.notes += fill_demo_inbox(port)
    result.outputs.append(("Biểu mẫu gửi các phòng", init.workspace.templates_out))
    result.outputs.append(("Báo cáo các phòng nộp", init.workspace.inbox))
    progress("Đang kiểm tra và tổng hợp…", 4, 6)
    cons = consolidate_submissions(port)
    validation = cons.validation
    r = validation.result
    result.notes.append(f"Kiểm tra: {len(r.files)} tệp, {len(r.errors)} lỗi, {len(r.warnings)} cảnh báo.")
    if validation.findings_file:
        result.outputs.append(("Danh sách lỗi", validation.findings_file))
    if validation.returned:
        result.outputs.append(("Tệp trả lại đơn vị", validation.returned[0].parent))
    result.outputs.append(("Bảng tổng hợp", cons.output))
    result.outputs.append(("Lưu trữ", init.workspace.archive))
    progress("Đang tạo Kế hoạch và Báo cáo (Word)…", 5, 6)
    for kind, label in (("ke-hoach", "Kế hoạch (Word)"), ("bao-cao", "Báo cáo (Word)")):
        outcome = make_report(port, kind)
        result.outputs.append((label, outcome.output))
        result.notes += [f"Mẫu văn bản: {n}" for n in outcome.notes]
    progress("Xong.", 6, 6)
    return result
