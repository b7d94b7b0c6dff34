"""The Excel buttons: one function per ribbon button, called by ``RunPython`` from the add-in.

Each button finds the open master workbook, runs the same action as the CLI,
shows progress in the status bar, writes a summary on the dashboard, opens what it
produced and ends with a Vietnamese message box. **Every click ends in a message**:
success, a known problem with its fix, or "unexpected error, details in <log>" with the
traceback in ``DIR/.ddci/logs/`` (a Rust panic from python-calamine, a ``BaseException``,
included); when no workbook can be reached the message goes through the running Excel or
a Windows message box (``excel.excel_ui``). Python then exits 0, so xlwings never shows its
English error box. Importing this module loads nothing heavy (pandas, docx, openpyxl,
xlwings are imported inside the functions): on an office PC the click-to-result time is
dominated by start-up.

A button is three lines: a function here calling ``_run(<action>, port, ui)``, a
``Sub`` in ``macros/DdciRibbon.bas`` (``DdciRun "<function>"``) and a ``<button>`` in
``macros/customUI.xml``. Every function takes optional ``port`` and ``ui`` so tests run
them against the file port; Excel calls them with no arguments.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xl_addin.core.contracts import ReportKind
from xl_addin.core.errors import DdciError

Action = Callable[[Any], tuple[str, Path | None]]

UNEXPECTED = (
    "Có lỗi không mong đợi ({kind}). Chi tiết kỹ thuật đã ghi vào:\n{log}\n\n"
    "Hãy gửi tệp này cho bộ phận CNTT, hoặc bấm “Chẩn đoán” để kiểm tra cài đặt."
)
NO_CALLER = (
    "Không kết nối được với bảng tính đang mở trong Excel ({kind}). Hãy mở tệp master.xlsx trong thư mục "
    "làm việc (tên tệp không chứa dấu “=”), đóng các hộp thoại đang mở trong Excel, rồi bấm lại nút. "
    "Nếu vẫn lỗi, bấm “Chẩn đoán”."
)
STOPPED = "Đã dừng theo yêu cầu."


class ExcelUnreachableError(DdciError):
    """``xw.Book.caller()`` failed: the clicked workbook cannot be reached through COM."""


@dataclass(frozen=True)
class FrontBook:
    """What a button that works with any workbook (Chẩn đoán) gets when the master is not in front."""

    note: str
    workspace: None = None


def _root(port: Any) -> Path | None:
    workspace = getattr(port, "workspace", None)
    return getattr(workspace, "root", None)


def _log(port: Any) -> str:
    from xl_addin.files.runlog import write_traceback

    try:
        return str(write_traceback(_root(port)))
    except Exception:  # a log that cannot be written must not hide the message
        return "(không ghi được tệp nhật ký)"


def _reach_excel(port: Any, ui: Any, any_book: bool) -> tuple[Any, Any]:
    """The master workbook's port and Excel's UI for this click (raises DdciError if unusable)."""
    if port is not None and ui is not None:
        return port, ui
    from xl_addin.excel.excel_ui import ExcelUI, NoBookUI

    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception as exc:  # OSError (window gone), KeyError (name not found), XlwingsError…
        if not any_book:
            raise ExcelUnreachableError(NO_CALLER.format(kind=type(exc).__name__)) from exc
        return port or FrontBook(NO_CALLER.format(kind=type(exc).__name__)), ui or NoBookUI()
    ui = ui or ExcelUI(book)
    if port is None:
        from xl_addin.excel.xlwings_port import XlwingsPort

        try:
            port = XlwingsPort(book)
        except DdciError as exc:
            if not any_book:
                raise
            port = FrontBook(exc.message)
    return port, ui


def _open_result(ui: Any, produced: Path, port: Any) -> str:
    """Open what the button made; if that fails, say where it is (the work itself succeeded)."""
    try:
        ui.open(produced)
    except Exception as exc:
        _log(port)
        folder = produced if produced.is_dir() else produced.parent
        return (
            f"\n\nKhông tự mở được {produced.name} ({type(exc).__name__}), nhưng việc đã làm xong. "
            f"Hãy mở trong thư mục:\n{folder}"
        )
    return ""


def _tell(ui: Any, text: str) -> None:
    if ui is not None:
        try:
            ui.message(text)
            return
        except Exception:
            pass
    from xl_addin.excel.excel_ui import tell_anyhow

    tell_anyhow(text)


def _run(action: Action, port: Any = None, ui: Any = None, *, any_book: bool = False) -> str:
    """Run one button's action with the handling every button shares; returns the message shown.

    ``any_book``: the action also runs when the master is not in front (it then gets a
    :class:`FrontBook` saying why), as Chẩn đoán must.
    """
    text = ""
    try:
        port, ui = _reach_excel(port, ui, any_book)
        from xl_addin.files.runlog import routed_to_log

        with routed_to_log(_root(port)):  # library warnings never reach the message box
            text, produced = action(port)
        if produced is not None:
            text += _open_result(ui, produced, port)
    except DdciError as exc:
        text = f"{exc.message}\n\n(Chi tiết: {_log(port)})"
    except KeyboardInterrupt:
        text = STOPPED
    except BaseException as exc:  # incl. pyo3's PanicException and a library's SystemExit: never a traceback box
        text = UNEXPECTED.format(kind=type(exc).__name__, log=_log(port))
    finally:
        if ui is not None:
            with contextlib.suppress(Exception):
                ui.done()
    _tell(ui, text)
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
    from xl_addin.routine_actions import send_templates

    outcome = send_templates(port)
    return _outbox_text(outcome, "gửi biểu mẫu"), outcome.folder


def _remind(port: Any) -> tuple[str, Path | None]:
    from xl_addin.routine_actions import remind_units

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
    from xl_addin.excel.ports import load_plan
    from xl_addin.routine_actions import start_new_year

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

    text = format_checklist(run_checks(_root(port)))
    return (f"{port.note}\n\n{text}" if isinstance(port, FrontBook) else text), None


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
    return _run(_diagnose, port, ui, any_book=True)
