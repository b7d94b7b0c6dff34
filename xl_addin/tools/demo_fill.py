"""Fill unit templates the way a division would, for the demo and the tests.

``demo_answers`` invents plausible Vietnamese progress reports (deterministic for a
seed), ``fill_submission`` types them into a copy of a template with openpyxl. The
filler finds the header row by its header names, exactly like intake does, so a
demo that works proves the template is readable by name, not by cell address.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.errors import DdciError
from xl_addin.core.model import Period, Plan
from xl_addin.core.vnformat import clean_text
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import write_text_cell
from xl_addin.forms import layout as L

ROW_KEYS = ("status", "percent", "result", "difficulty", "proposal", "done_date")
_KEY_COLUMNS = {
    "status": L.COL_STATUS,
    "percent": L.COL_PERCENT,
    "result": L.COL_RESULT,
    "difficulty": L.COL_DIFFICULTY,
    "proposal": L.COL_PROPOSAL,
    "done_date": L.COL_DONE_DATE,
}


def find_header_row(ws: Worksheet) -> tuple[int, dict[str, int]] | None:
    """The header row (1-based) and header name → column, looked for in the first rows."""
    wanted = set(L.PROGRESS_COLUMNS)
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=L.HEADER_SEARCH_ROWS, values_only=True), start=1):
        names = {clean_text(v): j for j, v in enumerate(row, start=1) if v is not None}
        if L.COL_CODE in names and L.COL_STATUS in names:
            return r, {name: j for name, j in names.items() if name in wanted}
    return None


def _label_value_cell(ws: Worksheet, label: str, max_row: int) -> Any | None:
    """The cell right of the first cell whose text is ``label`` (the reporter fields)."""
    for row in ws.iter_rows(min_row=1, max_row=max_row):
        for cell in row:
            if isinstance(cell.value, str) and clean_text(cell.value) == label:
                return ws.cell(row=cell.row, column=cell.column + 1)
    return None


def _progress_sheet(wb: Any, sheet: str | None) -> Worksheet:
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise DdciError(f"Tệp không có trang tính “{sheet}”.")
        return wb[sheet]
    if L.PROGRESS_SHEET in wb.sheetnames:
        return wb[L.PROGRESS_SHEET]
    raise DdciError(f"Tệp không có trang “{L.PROGRESS_SHEET}”; với biểu mẫu chung hãy chỉ rõ trang của đơn vị.")


def fill_submission(
    template: Path,
    dest: Path,
    rows: dict[str, dict],
    reporter: tuple[str, str],
    *,
    sheet: str | None = None,
) -> Path:
    """Copy ``template`` to ``dest`` with the answers ``rows`` (task code → row dict) typed in.

    ``sheet`` picks the unit's sheet in a shared template (default: ``Tiến độ``). The
    reporter name and phone go right of their labels: above the header row of that
    sheet when present (shared template), else in the ``Thông tin`` sheet.
    """
    wb = load_workbook(Path(template))
    ws = _progress_sheet(wb, sheet)
    found = find_header_row(ws)
    if found is None:
        raise DdciError(f"Không tìm thấy dòng tiêu đề ở trang “{ws.title}” của tệp {Path(template).name}.")
    header_row, cols = found
    code_col = cols[L.COL_CODE]
    for r in range(header_row + 1, min(ws.max_row, header_row + L.MAX_DATA_ROWS) + 1):
        code = clean_text(ws.cell(row=r, column=code_col).value)
        answer = rows.get(code)
        if not answer:
            continue
        for key, column in _KEY_COLUMNS.items():
            if column not in cols or key not in answer:
                continue
            cell = ws.cell(row=r, column=cols[column])
            value = answer[key]
            if value is None or value == "":
                cell.value = None
            elif isinstance(value, str):
                write_text_cell(cell, value)
            else:
                cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    for label, value in zip((L.LABEL_REPORTER, L.LABEL_PHONE), reporter, strict=True):
        target = _label_value_cell(ws, label, header_row - 1) if header_row > 1 else None
        if target is None and L.INFO_SHEET in wb.sheetnames:
            target = _label_value_cell(wb[L.INFO_SHEET], label, L.HEADER_SEARCH_ROWS)
        if target is not None:
            write_text_cell(target, value)
    with atomic_write(Path(dest)) as tmp:
        wb.save(tmp)
    return Path(dest)


# --- demo answers ---------------------------------------------------------------------------------------

_RESULTS: dict[str, tuple[str, ...]] = {
    "web": (
        "Đã đăng tải {n} tin, bài và {m} văn bản chỉ đạo, điều hành lên Trang thông tin điện tử của Sở; "
        "khắc phục kịp thời {k} lần lỗi đường truyền, trang hoạt động ổn định.",
        "Đã rà soát, cập nhật giao diện chuyên mục “Hỏi – đáp doanh nghiệp”, công khai {k} kết quả trả lời "
        "ý kiến, kiến nghị của doanh nghiệp trên Trang thông tin điện tử.",
    ),
    "dvc": (
        "Trong kỳ tiếp nhận {n} hồ sơ trực tuyến (đạt {p}% tổng số hồ sơ), trong đó {m} hồ sơ thanh toán "
        "phí, lệ phí qua dịch vụ công trực tuyến.",
        "Đã phối hợp hướng dẫn {m} lượt tổ chức, cá nhân nộp hồ sơ trên Cổng dịch vụ công của tỉnh; rà soát, "
        "đề xuất bổ sung {k} TTHC cung cấp dịch vụ công trực tuyến toàn trình.",
    ),
    "tthc": (
        "Đã giải quyết {n} hồ sơ TTHC, trong đó {p}% hồ sơ trả kết quả trước và đúng hạn; không có hồ sơ "
        "phải xin lỗi tổ chức, cá nhân.",
        "Đã rà soát {k} TTHC thuộc lĩnh vực đất đai, môi trường, đề xuất cắt giảm thời gian giải quyết đối "
        "với {m} thủ tục.",
    ),
    "inspect": (
        "Đã ban hành kế hoạch thanh tra, kiểm tra năm 2024, rà soát để không chồng chéo, trùng lặp với các "
        "cơ quan khác; trong kỳ tiến hành kiểm tra {k} doanh nghiệp theo đúng kế hoạch.",
        "Đã thực hiện {k} cuộc kiểm tra việc chấp hành pháp luật về bảo vệ môi trường, thời gian làm việc "
        "tại doanh nghiệp không quá {d} ngày mỗi cuộc.",
    ),
    "train": (
        "Đã tổ chức {k} lớp tập huấn nghiệp vụ cho {n} lượt công chức, viên chức về kỹ năng giao tiếp, ứng "
        "xử và hướng dẫn người dân, doanh nghiệp thực hiện TTHC.",
        "Đã cử {m} công chức tham gia bồi dưỡng chuyên môn do tỉnh tổ chức; quán triệt văn hóa công vụ tại "
        "cuộc họp giao ban tháng.",
    ),
    "dialogue": (
        "Đã phối hợp Hiệp hội Doanh nghiệp tỉnh tổ chức {k} buổi đối thoại với {n} doanh nghiệp, giải đáp "
        "{m} ý kiến, kiến nghị tại chỗ.",
        "Đã tiếp nhận và trả lời {m} kiến nghị của doanh nghiệp qua đường dây nóng, hộp thư góp ý, đúng "
        "thời hạn quy định.",
    ),
    "citizen": ("Đã tiếp {n} lượt công dân, tiếp nhận {m} đơn thư; phân loại, chuyển xử lý đúng thẩm quyền {k} đơn.",),
    "general": (
        "Đã quán triệt nội dung Kế hoạch tới toàn thể công chức, viên chức của đơn vị; phân công cụ thể "
        "người phụ trách từng nhiệm vụ.",
        "Đã lồng ghép nội dung nâng cao chỉ số DDCI vào chương trình công tác tháng, báo cáo kết quả tại "
        "cuộc họp giao ban của Sở.",
        "Đã tự kiểm tra việc thực hiện nhiệm vụ, chấn chỉnh {k} trường hợp chậm tiến độ, chưa đúng quy trình.",
    ),
}
_KEYWORDS = (
    ("web", ("trang thông tin",)),
    ("dvc", ("dịch vụ công", "dvctt", "trực tuyến")),
    ("inspect", ("thanh tra", "kiểm tra")),
    ("dialogue", ("đối thoại", "kiến nghị", "hiệp hội")),
    ("citizen", ("tiếp công dân", "khiếu nại", "tố cáo")),
    ("train", ("tập huấn", "bồi dưỡng", "công chức", "cán bộ")),
    ("tthc", ("tthc", "thủ tục hành chính", "hồ sơ")),
)
_DIFFICULTIES = (
    "Đường truyền mạng tại bộ phận một cửa còn chậm, có thời điểm không truy cập được hệ thống.",
    "Số lượng hồ sơ tăng cao trong khi biên chế của đơn vị còn thiếu.",
    "Một số doanh nghiệp chưa quen nộp hồ sơ trực tuyến, vẫn đề nghị nộp trực tiếp.",
    "Phần mềm một cửa điện tử chưa kết nối đầy đủ với cơ sở dữ liệu đất đai.",
    "Kinh phí tổ chức tập huấn, đối thoại chưa được bố trí kịp thời.",
)
_PROPOSALS = (
    "Đề nghị Sở bố trí kinh phí nâng cấp đường truyền và thiết bị tại bộ phận một cửa.",
    "Đề nghị Văn phòng Sở tham mưu tổ chức hội nghị đối thoại doanh nghiệp trong quý II.",
    "Kiến nghị UBND tỉnh chỉ đạo Trung tâm Phục vụ hành chính công hỗ trợ hướng dẫn nộp hồ sơ trực tuyến.",
    "Đề nghị bổ sung 01 biên chế cho bộ phận tiếp nhận và trả kết quả.",
)
_NOT_STARTED = "Đang xây dựng kế hoạch chi tiết, dự kiến triển khai trong kỳ tới."


def _topic(text: str) -> str:
    low = text.lower()
    for topic, words in _KEYWORDS:
        if any(w in low for w in words):
            return topic
    return "general"


def _sentence(rng: random.Random, text: str) -> str:
    template = rng.choice(_RESULTS[_topic(text)] + _RESULTS["general"][:1])
    return template.format(
        n=rng.randint(12, 480),
        m=rng.randint(3, 60),
        k=rng.randint(2, 9),
        d=rng.randint(2, 5),
        p=rng.choice((85, 90, 92, 95, 97, 98)),
    )


def _window_date(rng: random.Random, period: Period) -> dt.date:
    days = max((period.end - period.start).days, 0)
    return period.start + dt.timedelta(days=rng.randint(0, days))


def demo_answers(plan: Plan, unit_code: str, period: Period, seed: int) -> dict[str, dict]:
    """Plausible answers for every task of ``unit_code``: code → row dict (keys ``ROW_KEYS``).

    Mostly "Đang triển khai" / "Thường xuyên" at 50–90 %, some "Hoàn thành" at 100 %
    with a completion date inside the period's cut-off window, a few not started, a
    few difficulties and proposals. Same seed, same answers.
    """
    rng = random.Random(f"{seed}:{unit_code}:{period.code}")
    answers: dict[str, dict] = {}
    for task, _role in plan.tasks_for(unit_code):
        roll = rng.random()
        row: dict[str, Any] = dict.fromkeys(ROW_KEYS, "")
        row["done_date"] = None
        if roll < 0.07:
            row.update(status=L.STATUS_NOT_STARTED, percent=0, result=_NOT_STARTED)
        elif roll < 0.25:
            row.update(
                status=L.STATUS_DONE,
                percent=100,
                result=_sentence(rng, task.text),
                done_date=_window_date(rng, period),
            )
        elif roll < 0.29:
            row.update(
                status=L.STATUS_DONE_LATE,
                percent=100,
                result=_sentence(rng, task.text),
                done_date=_window_date(rng, period),
            )
        else:
            recurring = task.recurring and rng.random() < 0.6
            row.update(
                status=L.STATUS_RECURRING if recurring else L.STATUS_IN_PROGRESS,
                percent=rng.randrange(50, 91, 5),
                result=_sentence(rng, task.text),
            )
        if row["status"] != L.STATUS_DONE and rng.random() < 0.18:
            row["difficulty"] = rng.choice(_DIFFICULTIES)
            if rng.random() < 0.7:
                row["proposal"] = rng.choice(_PROPOSALS)
        answers[task.code] = row
    return answers


def next_month_answers(
    plan: Plan, unit_code: str, previous: dict[str, dict], period: Period, seed: int
) -> dict[str, dict]:
    """The same unit's answers a month later, for ``period``: the work moves on.

    A task done stays done (same date); one not started starts (20–40 %); one under way gains
    10–25 points and, reaching 100 % (and not recurring), is done within the new period's
    window. Each result is a new sentence; difficulties and proposals are drawn again. Same
    seed, same answers.
    """
    rng = random.Random(f"{seed}:{unit_code}:{period.code}:next")
    answers: dict[str, dict] = {}
    for task, _role in plan.tasks_for(unit_code):
        before = previous.get(task.code) or dict.fromkeys(ROW_KEYS, "")
        row: dict[str, Any] = {**before, "difficulty": "", "proposal": ""}
        if before.get("status") in L.DONE_STATUSES:
            answers[task.code] = row
            continue
        percent = before.get("percent") or 0
        percent = rng.randrange(20, 41, 5) if not percent else min(100, percent + rng.randrange(10, 26, 5))
        recurring = before.get("status") == L.STATUS_RECURRING
        if percent >= 100 and not recurring:
            row.update(status=L.STATUS_DONE, percent=100, done_date=_window_date(rng, period))
        else:
            row.update(status=before.get("status") or L.STATUS_IN_PROGRESS, percent=min(percent, 95))
            if row["status"] == L.STATUS_NOT_STARTED:
                row["status"] = L.STATUS_IN_PROGRESS
        row["result"] = _sentence(rng, task.text)
        if row["status"] not in L.DONE_STATUSES and rng.random() < 0.12:
            row["difficulty"] = rng.choice(_DIFFICULTIES)
            if rng.random() < 0.5:
                row["proposal"] = rng.choice(_PROPOSALS)
        answers[task.code] = row
    return answers
