"""``ddci send`` and ``ddci remind`` on the demo: .eml drafts read back by Python's own email parser."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import python_calamine as pc

from tests.support.master_cells import set_cells
from xl_addin.actions import validate_submissions
from xl_addin.cli import main
from xl_addin.core.contracts import UnitState
from xl_addin.core.periods import make_period
from xl_addin.excel.ports import FilePort
from xl_addin.forms import layout as L
from xl_addin.plan.seed import UNITS
from xl_addin.results.returned_copy import RETURN_SHEET
from xl_addin.routine.drafts import deadline_sentence
from xl_addin.routine_actions import remind_units, send_templates
from xl_addin.tools.demo import BROKEN_UNIT, LATE_UNIT, MISSING_UNIT

PERIOD = "2024-03"
AFTER_DEADLINE = dt.date(2024, 3, 20)


@pytest.fixture(scope="module")
def demo_validated(demo_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's inbox (one missing, one late, one with errors), validated once."""
    root = tmp_path_factory.mktemp("outbox") / "ws"
    shutil.copytree(demo_inbox, root)
    validate_submissions(FilePort(root), today=AFTER_DEADLINE)
    return root


@pytest.fixture
def ws(demo_validated: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "ws"
    shutil.copytree(demo_validated, dest)  # copy2 keeps the files' times: late stays late
    return dest


def _read(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _attachment_identity(msg: EmailMessage, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    """(file name, the identity sheet's units, the workbook's sheet names) of the one attachment."""
    (part,) = list(msg.iter_attachments())
    name = part.get_filename()
    assert name
    path = tmp_path / name
    path.write_bytes(part.get_content())
    wb = pc.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python()
    header = next(r for r in rows if "unit" in r)
    units = [str(r[header.index("unit")]) for r in rows[rows.index(header) + 1 :] if any(r)]
    return name, units, wb.sheet_names


def test_send_writes_one_draft_per_unit_with_its_own_template(ws: Path, tmp_path: Path, capsys) -> None:
    assert main(["send", str(ws), "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    folder = ws / "gui_di" / PERIOD
    drafts = sorted(folder.glob("*.eml"))
    assert len(drafts) == 8 == len(UNITS)
    assert f"Đã tạo 8 thư nháp gửi biểu mẫu trong {folder}" in out
    addresses = {u.code: u.email for u in UNITS}
    for path in drafts:
        msg = _read(path)
        code = path.stem.split("_")[-2]
        assert msg["X-Unsent"] == "1"
        assert msg["To"] == addresses[code] and msg["From"] == addresses["VP"]
        assert "tháng 3 năm 2024" in msg["Subject"] and "hạn nộp 15/03/2024" in msg["Subject"]
        body = msg.get_body(("plain",))
        assert body is not None and body["Content-Type"].params["charset"] == "utf-8"
        text = body.get_content()
        assert "Hạn nộp: hết ngày 15/03/2024" in text and "Cách điền báo cáo:" in text
        name, units, _ = _attachment_identity(msg, tmp_path)
        assert name == f"bao_cao_{code}_{PERIOD}.xlsx"
        assert units == [code], f"{path.name} carries the template of {units}"
    zalo = (folder / f"zalo_{PERIOD}.txt").read_text(encoding="utf-8-sig")
    assert zalo.count("=====") == 16 and "hết ngày 15/03/2024" in zalo


def test_send_refuses_to_overwrite_without_force(ws: Path, capsys) -> None:
    assert main(["send", str(ws)]) == 0
    draft = ws / "gui_di" / PERIOD / f"gui_bieu_mau_VP_{PERIOD}.eml"
    before = draft.read_bytes()
    capsys.readouterr()
    assert main(["send", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "không ghi đè" in err and "--force" in err and "--out" not in err
    assert draft.read_bytes() == before
    assert main(["send", str(ws), "--force"]) == 0
    assert draft.read_bytes() != before  # a new Message-ID and date


def test_malformed_address_is_left_out_with_a_warning_naming_the_cell(ws: Path) -> None:
    set_cells(ws / "master.xlsx", "DonVi", "Mã đơn vị", {"TTRA": {"Email": "thanhtra@stnmt,example.org"}})
    set_cells(ws / "master.xlsx", "DonVi", "Mã đơn vị", {"QLDD": {"Email": None}})
    outcome = send_templates(FilePort(ws))
    (warning,) = outcome.warnings
    assert "TTRA" in warning and "Đơn vị!E3" in warning and "“thanhtra@stnmt,example.org”" in warning
    assert outcome.without_address == ["TTRA", "QLDD"]
    drafts = {d.unit: path for d, path in zip(outcome.drafts, outcome.files, strict=True)}
    assert len(drafts) == 8
    assert _read(drafts["TTRA"])["To"] is None and _read(drafts["QLDD"])["To"] is None
    assert _read(drafts["VP"])["To"] == "vanphong@stnmt.example.org"


def test_missing_template_is_named_with_the_command_and_nothing_is_written(ws: Path, capsys) -> None:
    (ws / "bieu_mau" / PERIOD / f"bao_cao_TTRA_{PERIOD}.xlsx").unlink()
    assert main(["send", str(ws)]) == 1
    err = capsys.readouterr().err
    assert f"bao_cao_TTRA_{PERIOD}.xlsx" in err and f"ddci templates {ws} --period {PERIOD}" in err
    assert not (ws / "gui_di").exists()


def test_remind_chases_the_missing_the_late_and_the_broken_only(ws: Path, tmp_path: Path) -> None:
    outcome = remind_units(FilePort(ws), PERIOD, today=AFTER_DEADLINE)
    assert outcome.folder == ws / "gui_di" / PERIOD / "nhac_nop_2024-03-20"
    by_unit = {d.unit: (d, path) for d, path in zip(outcome.drafts, outcome.files, strict=True)}
    assert set(by_unit) == {MISSING_UNIT, BROKEN_UNIT, LATE_UNIT}  # the five on-time units get nothing
    states = {code: d.state for code, (d, _) in by_unit.items()}
    assert states == {MISSING_UNIT: UnitState.MISSING, BROKEN_UNIT: UnitState.REJECTED, LATE_UNIT: UnitState.LATE}

    missing = _read(by_unit[MISSING_UNIT][1])
    assert missing["X-Unsent"] == "1" and "(đã quá hạn)" in missing["Subject"]
    text = missing.get_body(("plain",)).get_content()
    assert "đã quá hạn 5 ngày" in text
    assert _attachment_identity(missing, tmp_path)[1] == [MISSING_UNIT]  # the template again

    broken = _read(by_unit[BROKEN_UNIT][1])
    text = broken.get_body(("plain",)).get_content()
    assert "1. Ô E5, trang “Tiến độ”: Nhiệm vụ 1.1 ghi “Hoàn thành” nhưng tỷ lệ là 80" in text
    assert "2. Ô E6, trang “Tiến độ”: Tỷ lệ hoàn thành 120 nằm ngoài khoảng 0–100" in text
    name, units, sheets = _attachment_identity(broken, tmp_path)
    assert name == f"{BROKEN_UNIT}_bao_cao_{PERIOD}.xlsx" and units == [BROKEN_UNIT]
    assert sheets[0] == RETURN_SHEET  # the marked copy from tra_lai/, not the unit's own file

    late = _read(by_unit[LATE_UNIT][1])
    text = late.get_body(("plain",)).get_content()
    assert "không phải làm gì thêm" in text and "tháng 4 năm 2024 hạn nộp là hết ngày 15/04/2024" in text
    assert list(late.iter_attachments()) == []
    zalo = outcome.zalo
    assert zalo is not None and zalo.read_text(encoding="utf-8-sig").count("=====") == 6


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2024, 3, 13), "Hạn nộp là hết ngày 15/03/2024 (còn 2 ngày)."),
        (dt.date(2024, 3, 15), "Hạn nộp là hết ngày hôm nay, 15/03/2024."),
        (dt.date(2024, 3, 16), "Hạn nộp là hết ngày 15/03/2024; đến hôm nay (16/03/2024) đã quá hạn 1 ngày."),
    ],
)
def test_deadline_sentence_says_where_today_stands(today: dt.date, expected: str) -> None:
    assert deadline_sentence(make_period(PERIOD), today) == expected


def test_remind_names_a_deleted_marked_copy_and_the_command(ws: Path, capsys) -> None:
    (ws / "tra_lai" / PERIOD / f"{BROKEN_UNIT}_bao_cao_{PERIOD}.xlsx").unlink()
    assert main(["remind", str(ws), "--period", PERIOD]) == 1
    err = capsys.readouterr().err
    assert f"{BROKEN_UNIT}_bao_cao_{PERIOD}.xlsx" in err and f"ddci validate {ws} --period {PERIOD}" in err


def test_remind_with_nothing_to_chase_writes_nothing(ws: Path, capsys) -> None:
    inbox = ws / "nop"
    for code in (BROKEN_UNIT, LATE_UNIT):
        (inbox / f"{code}_bao_cao_{PERIOD}.xlsx").unlink()
    for code in (BROKEN_UNIT, LATE_UNIT, MISSING_UNIT):
        set_cells(ws / "master.xlsx", "DonVi", "Mã đơn vị", {code: {"Báo cáo định kỳ": "Không"}})
    assert main(["remind", str(ws), "--period", PERIOD]) == 0
    assert "Không có đơn vị nào cần nhắc" in capsys.readouterr().out
    assert not (ws / "gui_di").exists()


def test_remind_names_a_broken_file_it_cannot_route_and_writes_no_draft_for_it(ws: Path, capsys) -> None:
    """A file with errors and no identity belongs to no unit: listed for the clerk, never mailed."""
    broken = ws / "nop" / "khong_ro.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    hour_ago = broken.stat().st_mtime - 3600
    os.utime(broken, (hour_ago, hour_ago))
    outcome = remind_units(FilePort(ws), PERIOD, today=AFTER_DEADLINE)
    assert outcome.unrouted == ["khong_ro.xlsx"]
    assert {d.unit for d in outcome.drafts} == {MISSING_UNIT, BROKEN_UNIT, LATE_UNIT}
    assert main(["remind", str(ws), "--period", PERIOD, "--force"]) == 0
    assert "Tệp có lỗi không rõ của đơn vị nào (xem danh sách lỗi, liên hệ người gửi): khong_ro.xlsx" in (
        capsys.readouterr().out
    )
