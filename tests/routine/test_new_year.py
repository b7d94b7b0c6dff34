"""``ddci new-year``: next year's plan as data, the new workspace on disk, the old one untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.docs_samples import docx_lines
from tests.support.master_cells import set_cells
from xl_addin.actions import consolidate_submissions
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort
from xl_addin.forms.layout import STATUS_DONE, STATUS_IN_PROGRESS
from xl_addin.plan.reader import read_master
from xl_addin.plan.seed import seed_plan
from xl_addin.routine.new_workspace import default_new_root
from xl_addin.routine.new_year import finished_tasks, next_year_plan

# The province's 2024 results as a clerk would type them: (score, rank) per indicator, 25 ranked.
SCORES_2024 = {
    "1": (8.10, 10),
    "2": (6.39, 23),
    "3": (7.00, 22),
    "4": (8.40, 12),
    "5": (7.50, 15),
    "6": (8.90, 20),
    "7": (7.60, 25),
    "8": (7.80, 18),
}


def test_next_year_plan_moves_the_indicator_table_on_a_year() -> None:
    plan = seed_plan()
    nxt = next_year_plan(plan, 2025, finished={"1.1", "8.1"})
    s = nxt.plan.settings
    assert (s.plan_year, s.base_year, s.compare_year, s.current_period) == (2025, 2023, 2024, "2025-01")
    assert s.plan_number is None and s.plan_date is None
    assert str(s.detail_plan_deadline) == "2025-02-28"
    assert (nxt.base_year, nxt.score_year) == (2023, 2024)
    for ind in nxt.plan.indicators:
        assert [r.year for r in ind.results] == [2023]
        assert ind.group_override is None and ind.assessment_override is None
    assert [(r.year, r.rank) for r in nxt.plan.overall] == [(2023, 21), (2024, None)]
    assert {p.code for p in nxt.plan.periods} >= {"2025-01", "2025-Q1", "2025-H1", "2025"}
    assert all(p.start.year >= 2024 and p.end.year == 2025 for p in nxt.plan.periods)
    carried = {t.code for t in nxt.plan.tasks if t.carried_over}
    assert carried == {t.code for t in plan.tasks} - {"1.1", "8.1"} and nxt.carried_over == tuple(
        t.code for t in plan.tasks if t.code in carried
    )
    assert nxt.plan.units == plan.units and nxt.plan.agency == plan.agency
    assert any("“Căn cứ Kế hoạch”" in line for line in nxt.todo)


def test_a_task_is_finished_only_when_every_lead_unit_reported_it_done() -> None:
    plan = seed_plan()
    codes = plan.reporting_unit_codes
    lead_all = next(t for t in plan.tasks if t.lead == "*")
    single = next(t for t in plan.tasks if t.lead != "*")
    statuses = {(u, lead_all.code): STATUS_DONE for u in codes}
    statuses[(single.lead, single.code)] = STATUS_IN_PROGRESS
    assert finished_tasks(plan, statuses) == {lead_all.code}
    statuses[(codes[0], lead_all.code)] = STATUS_IN_PROGRESS
    assert finished_tasks(plan, statuses) == set()


def test_without_archived_progress_nothing_is_marked_and_the_clerk_is_told() -> None:
    nxt = next_year_plan(seed_plan(), 2025, finished=None)
    assert not any(t.carried_over for t in nxt.plan.tasks)
    assert any("Chưa có tiến độ nào được lưu trữ" in line for line in nxt.todo)


@pytest.mark.parametrize(
    ("old", "new"),
    [("D:/DDCI_2024", "D:/DDCI_2025"), ("D:/DDCI", "D:/DDCI_2025"), ("/srv/2024/ddci-2024", "/srv/2024/ddci-2025")],
)
def test_default_folder_is_beside_the_old_one(old: str, new: str) -> None:
    assert default_new_root(Path(old), 2024, 2025) == Path(new)


@pytest.fixture(scope="module")
def demo_consolidated(demo_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace after a consolidation: its archive knows which tasks were reported done."""
    import shutil

    root = tmp_path_factory.mktemp("newyear") / "ddci_2024"
    shutil.copytree(demo_inbox, root)
    consolidate_submissions(FilePort(root))
    return root


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def new_ws(demo_consolidated: Path) -> tuple[Path, str]:
    """``ddci new-year`` run once on the demo; returns the new folder and what the command printed."""
    import contextlib
    import io

    before = _snapshot(demo_consolidated)
    out = demo_consolidated.parent / "ddci_2025"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["new-year", str(demo_consolidated), "--year", "2025", "--out", str(out)]) == 0
    assert _snapshot(demo_consolidated) == before, "the old workspace must not change"
    return out, buffer.getvalue()


def test_new_year_on_the_demo_gives_a_workspace_that_works(new_ws: tuple[Path, str], capsys) -> None:
    root, printed = new_ws
    assert f"Đã tạo thư mục làm việc cho Kế hoạch năm 2025: {root}" in printed
    assert "được đánh dấu “Chuyển tiếp”" in printed
    plan = read_master(root / "master.xlsx")
    assert plan.settings.plan_year == 2025 and plan.settings.current_period == "2025-01"
    assert [u.email for u in plan.units] == [u.email for u in seed_plan().units]
    assert any(t.carried_over for t in plan.tasks) and not all(t.carried_over for t in plan.tasks)
    assert not (root / ".ddci" / "archive.sqlite").exists() and not any((root / "nop").iterdir())
    headers = [c.value for c in next(load_workbook(root / "master.xlsx")["Chỉ số"].iter_rows(max_row=1))]
    assert [h for h in headers if h and h[-4:].isdigit()] == [
        f"{w} {y}" for y in (2023, 2024) for w in ("Điểm", "Hạng", "Số đơn vị")
    ]

    assert main(["templates", str(root), "--period", "2025-01"]) == 0
    assert "Đã tạo 8 biểu mẫu tháng 1 năm 2025" in capsys.readouterr().out
    assert main(["changes", str(root)]) == 0
    out = capsys.readouterr().out
    assert "BIẾN ĐỘNG CHỈ SỐ THÀNH PHẦN NĂM 2024 SO VỚI NĂM 2023" in out
    assert "Chưa nhập đủ điểm số, thứ hạng năm 2024 của cả 8 chỉ số" in out
    assert "“Điểm 2024”, “Hạng 2024”, “Số đơn vị 2024” trên trang “Chỉ số”" in out
    assert "Chưa nhập hạng chung năm 2024" in out
    assert "nhóm: chưa xác định (thiếu số liệu)" in out


def test_typed_in_scores_give_the_new_plans_section_two(new_ws: tuple[Path, str], tmp_path: Path, capsys) -> None:
    import shutil

    root = tmp_path / "ddci_2025"
    shutil.copytree(new_ws[0], root)
    master = root / "master.xlsx"
    values = {code: {"Điểm 2024": s, "Hạng 2024": r, "Số đơn vị 2024": 25} for code, (s, r) in SCORES_2024.items()}
    set_cells(master, "ChiSo", "Mã", values)
    set_cells(master, "KetQuaChung", "Năm", {"2024": {"Hạng": 17, "Số đơn vị": 25}})
    assert main(["changes", str(root)]) == 0
    out = capsys.readouterr().out
    assert "CÒN THIẾU" not in out and "chưa xác định" not in out
    assert "Xếp hạng chung: xếp hạng thứ 17/25 đơn vị, tăng 04 bậc xếp hạng so với năm 2023." in out
    assert "Năm 2024 (8,10 điểm) tăng 0,47 điểm so với năm 2023 (7,63 điểm)" in out
    assert "Năm 2024 (xếp thứ 10/25) tăng 06 bậc so với năm 2023 (xếp thứ 16/25)" in out
    assert "Năm 2024 (6,39 điểm) bằng với năm 2023 (6,39 điểm)" in out
    assert "Năm 2024 (xếp thứ 25/25) giảm 01 bậc so với năm 2023 (xếp thứ 24/25)" in out
    assert "1. Chỉ số “Tính minh bạch và tiếp cận thông tin” — nhóm: Phát huy" in out
    seventh = seed_plan().indicator("7")
    assert seventh is not None and f"7. Chỉ số “{seventh.name}” — nhóm: Khắc phục" in out

    assert main(["report", str(root), "--kind", "ke-hoach"]) == 0
    text = "\n".join(docx_lines(root / "bao_cao" / "Ke_hoach_nang_cao_DDCI_2025.docx"))
    assert "Năm 2024 (8,10 điểm) tăng 0,47 điểm so với năm 2023 (7,63 điểm)." in text
    assert "NĂM 2025" in text.upper()


def test_new_year_refuses_a_wrong_year_a_used_folder_and_a_folder_inside(
    demo_consolidated: Path, tmp_path: Path, capsys
) -> None:
    before = _snapshot(demo_consolidated)
    assert main(["new-year", str(demo_consolidated), "--year", "2026", "--out", str(tmp_path / "x")]) == 2
    assert "Năm mới phải là 2025" in capsys.readouterr().err
    used = tmp_path / "used"
    used.mkdir()
    (used / "ghi_chu.txt").write_text("của tôi", encoding="utf-8")
    assert main(["new-year", str(demo_consolidated), "--year", "2025", "--out", str(used)]) == 1
    assert "đã có và không trống" in capsys.readouterr().err
    assert (used / "ghi_chu.txt").read_text(encoding="utf-8") == "của tôi" and len(list(used.iterdir())) == 1
    inside = demo_consolidated / "2025"
    assert main(["new-year", str(demo_consolidated), "--year", "2025", "--out", str(inside)]) == 2
    assert "nằm trong thư mục làm việc cũ" in capsys.readouterr().err
    assert not inside.exists() and not (tmp_path / "x").exists()
    assert _snapshot(demo_consolidated) == before
