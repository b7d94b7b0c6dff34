"""The Excel buttons: one function per ribbon button, called by ``RunPython`` from the add-in.

Each button finds the open master workbook, runs the same action as the CLI,
shows progress in the status bar, writes a summary on the dashboard, opens what it
produced and ends with a Vietnamese message box. Any error becomes a message box
saying what to do, with the traceback in ``DIR/.ddci/logs/``: never a raw
traceback dialog. Importing this module loads nothing heavy (pandas, docx,
openpyxl, xlwings are imported inside the functions), because on an office PC the
click-to-result time is dominated by start-up.

Every function takes optional ``port`` and ``ui`` so the tests run them end to end
against the file port; Excel calls them with no arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xl_addin.core.contracts import ReportKind

TITLE = "DDCI"


class ExcelUI:
    """Message boxes and the status bar of the running Excel."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def message(self, text: str) -> None:
        self.book.app.alert(text, title=TITLE)

    def open(self, path: Path) -> None:
        open_path(path)

    def done(self) -> None:
        self.book.app.status_bar = False  # hand the status bar back to Excel


def open_path(path: Path) -> None:
    """Open a file or folder with the program the user has for it."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
    else:
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _excel() -> tuple[Any, Any]:
    import xlwings as xw

    from xl_addin.excel.xlwings_port import XlwingsPort

    book = xw.Book.caller()
    return XlwingsPort(book), ExcelUI(book)


Action = Callable[[Any], tuple[str, Path | None]]


def _log(port: Any | None) -> Path:
    from xl_addin.files.runlog import write_traceback

    return write_traceback(port.workspace.root if port is not None else None)


def _run(action: Action, port: Any = None, ui: Any = None) -> str:
    """Run one button's action with the error handling every button shares; returns the message shown."""
    from xl_addin.core.errors import DdciError

    try:
        if port is None or ui is None:
            excel_port, excel_ui = _excel()
            port, ui = port or excel_port, ui or excel_ui
        from xl_addin.files.runlog import routed_to_log

        with routed_to_log(port.workspace.root):  # library warnings never reach the message box
            text, produced = action(port)
        if produced is not None:
            ui.open(produced)
    except DdciError as exc:
        log = _log(port)
        text = f"{exc.message}\n\n(Chi tiết: {log})"
    except Exception as exc:  # the clerk must never see a traceback dialog
        log = _log(port)
        text = (
            f"Có lỗi không mong đợi ({type(exc).__name__}). Chi tiết kỹ thuật đã ghi vào:\n{log}\n\n"
            "Hãy gửi tệp này cho bộ phận CNTT, hoặc bấm “Chẩn đoán” để kiểm tra cài đặt."
        )
    finally:
        if ui is not None:
            ui.done()
    if ui is not None:
        ui.message(text)
    return text


def _templates(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import make_templates

    result = make_templates(port)
    return (
        f"Đã tạo {len(result.files)} biểu mẫu {result.period.name} trong thư mục:\n{result.folder}\n\n"
        "Gửi mỗi phòng, đơn vị tệp của mình; nhận lại thì chép vào thư mục nop."
    ), result.folder


def _validate(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import validate_submissions

    outcome = validate_submissions(port)
    r = outcome.result
    text = f"Kiểm tra báo cáo {r.period.name}: {len(r.files)} tệp, {len(r.errors)} lỗi, {len(r.warnings)} cảnh báo."
    if outcome.returned:
        text += f"\nTệp trả lại các đơn vị (ô lỗi tô đỏ, có ghi chú): {outcome.returned[0].parent}"
    return text, outcome.findings_file


def _consolidate(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import consolidate_submissions

    outcome = consolidate_submissions(port)
    r = outcome.validation.result
    return (
        f"Đã tổng hợp {len(r.rows)} dòng báo cáo của {len(r.accepted)} đơn vị ({r.period.name}).\n"
        f"Tệp có lỗi không được đưa vào tổng hợp: xem danh sách lỗi."
    ), outcome.output


def _changes(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import indicator_changes

    result = indicator_changes(port)
    from xl_addin.core.contracts import Group

    known = [c for c in result.changes if c.has_data]
    keep = sum(1 for c in known if c.group == Group.KEEP_UP)
    text = (
        f"Biến động {len(result.changes)} chỉ số năm {result.year} so với năm {result.base_year}: "
        f"{keep} chỉ số phát huy, {len(known) - keep} chỉ số khắc phục."
    )
    if len(known) < len(result.changes):
        text += f" {len(result.changes) - len(known)} chỉ số chưa đủ số liệu."
    if result.to_enter:
        text += "\n\nCòn thiếu số liệu:\n" + "\n".join(f"- {line}" for line in result.to_enter)
    if result.warnings:
        text += "\n\nCảnh báo:\n" + "\n".join(f"- {w}" for w in result.warnings)
    return text, result.output


def _report(kind: str) -> Action:
    def action(port: Any) -> tuple[str, Path | None]:
        from xl_addin.actions import make_report

        outcome = make_report(port, kind)
        text = f"Đã tạo văn bản:\n{outcome.output}"
        if outcome.notes:
            text += "\n\nLưu ý về mẫu văn bản:\n" + "\n".join(f"- {n}" for n in outcome.notes)
        return text, outcome.output

    return action


def _outbox_text(outcome: Any, what: str) -> str:
    text = (
        f"Đã tạo {len(outcome.files)} thư nháp {what} trong thư mục:\n{outcome.folder}\n\n"
        "Mở từng tệp .eml (Outlook mở thành thư nháp, có sẵn tệp đính kèm), xem lại rồi bấm Gửi."
    )
    if outcome.zalo:
        text += f"\nTin nhắn cho các đơn vị dùng Zalo: {outcome.zalo.name}."
    if outcome.without_address:
        text += f"\n\nChưa có địa chỉ email (gõ khi gửi, hoặc nhắn Zalo): {', '.join(outcome.without_address)}."
    if outcome.warnings:
        text += "\n\nCảnh báo:\n" + "\n".join(f"- {w}" for w in outcome.warnings)
    return text


def _send(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import send_templates

    outcome = send_templates(port)
    return _outbox_text(outcome, "gửi biểu mẫu"), outcome.folder


def _remind(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import remind_units

    outcome = remind_units(port)
    if not outcome.drafts:
        text = "Không có đơn vị nào cần nhắc: tất cả đã nộp đúng hạn, không có lỗi."
    else:
        chased = ", ".join(f"{d.unit} ({d.state.label.lower()})" for d in outcome.drafts if d.state)
        text = _outbox_text(outcome, "nhắc nộp, trả lại") + f"\n\nĐơn vị: {chased}."
    if outcome.unrouted:
        text += "\n\nTệp có lỗi không rõ của đơn vị nào (xem danh sách lỗi): " + ", ".join(outcome.unrouted)
    return text, outcome.folder if outcome.drafts else None


def _new_year(port: Any) -> tuple[str, Path | None]:
    from xl_addin.actions import start_new_year
    from xl_addin.excel.ports import load_plan

    outcome = start_new_year(port, load_plan(port).settings.plan_year + 1)
    nxt = outcome.next_year
    text = (
        f"Đã tạo thư mục làm việc cho Kế hoạch năm {nxt.plan.settings.plan_year}:\n{outcome.workspace.root}\n"
        "(thư mục năm cũ giữ nguyên). Bảng tính chính mới sẽ được mở.\n\nViệc cần làm tiếp:\n"
        + "\n".join(f"{n}. {line}" for n, line in enumerate(nxt.todo, start=1))
    )
    return text, outcome.workspace.master


def _open_folder(port: Any) -> tuple[str, Path | None]:
    root = port.workspace.require().root
    return f"Đã mở thư mục làm việc:\n{root}", root


def _diagnose(port: Any) -> tuple[str, Path | None]:
    from xl_addin.tools.doctor import format_checklist, run_checks

    return format_checklist(run_checks(port.workspace.root)), None


def tao_bieu_mau(port: Any = None, ui: Any = None) -> str:
    """Nút “Tạo biểu mẫu”."""
    return _run(_templates, port, ui)


def kiem_tra(port: Any = None, ui: Any = None) -> str:
    """Nút “Kiểm tra”."""
    return _run(_validate, port, ui)


def tong_hop(port: Any = None, ui: Any = None) -> str:
    """Nút “Tổng hợp”."""
    return _run(_consolidate, port, ui)


def bien_dong_chi_so(port: Any = None, ui: Any = None) -> str:
    """Nút “Biến động chỉ số”."""
    return _run(_changes, port, ui)


def xuat_ke_hoach(port: Any = None, ui: Any = None) -> str:
    """Nút “Xuất Kế hoạch”."""
    return _run(_report(ReportKind.PLAN), port, ui)


def xuat_bao_cao(port: Any = None, ui: Any = None) -> str:
    """Nút “Xuất Báo cáo”."""
    return _run(_report(ReportKind.REPORT), port, ui)


def gui_bieu_mau(port: Any = None, ui: Any = None) -> str:
    """Nút “Gửi biểu mẫu”."""
    return _run(_send, port, ui)


def nhac_nop(port: Any = None, ui: Any = None) -> str:
    """Nút “Nhắc nộp”."""
    return _run(_remind, port, ui)


def nam_moi(port: Any = None, ui: Any = None) -> str:
    """Nút “Năm mới”."""
    return _run(_new_year, port, ui)


def mo_thu_muc(port: Any = None, ui: Any = None) -> str:
    """Nút “Mở thư mục”."""
    return _run(_open_folder, port, ui)


def chan_doan(port: Any = None, ui: Any = None) -> str:
    """Nút “Chẩn đoán”."""
    return _run(_diagnose, port, ui)
