"""The actions both front ends run: one function per user-visible job.

Each action takes a workbook port (live Excel or the file on disk), does its work
through the pure core and the writers, and returns a small result record. No
printing, no message boxes: ``cli.py`` and ``buttons.py`` present the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.changes import IndicatorChange, compared_years, compute_changes, overall_sentence
from xl_addin.errors import DdciError
from xl_addin.model import Plan
from xl_addin.ports import WorkbookPort, load_plan
from xl_addin.workspace import Workspace


@dataclass(frozen=True)
class InitResult:
    workspace: Workspace
    master: Path


def init_workspace(root: Path, plan: Plan | None = None) -> InitResult:
    """Create a workspace pre-filled with ``plan`` (the seed plan by default)."""
    from xl_addin.master_writer import write_master
    from xl_addin.seed import seed_plan

    ws = Workspace(Path(root))
    ws.create()
    write_master(plan or seed_plan(), ws.master)
    return InitResult(ws, ws.master)


@dataclass(frozen=True)
class ChangesResult:
    changes: list[IndicatorChange]
    base_year: int
    year: int
    overall: str | None
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)


def indicator_changes(port: WorkbookPort, *, write: bool = True) -> ChangesResult:
    """Compare every indicator between the two years and (optionally) write the workbook."""
    plan = load_plan(port)
    try:
        base_year, year = compared_years(plan)
    except ValueError as exc:
        raise DdciError(
            "Bảng Chỉ số cần số liệu của ít nhất hai năm (cột “Điểm YYYY”, “Hạng YYYY”) để so sánh; hãy nhập "
            "thêm số liệu hoặc đặt “Năm gốc so sánh” và “Năm đánh giá” trong bảng Cấu hình."
        ) from exc
    changes = compute_changes(plan, (base_year, year))
    warnings = [w for c in changes for w in c.warnings]
    output = None
    if write:
        from xl_addin.changes_writer import write_changes

        port.progress("Đang ghi bảng biến động chỉ số…", 0, 0)
        output = write_changes(
            changes, port.workspace.reports / "bien_dong_chi_so.xlsx",
            f"BIẾN ĐỘNG CÁC CHỈ SỐ THÀNH PHẦN DDCI NĂM {year} SO VỚI NĂM {base_year} - {plan.agency.name.upper()}",
        )
    return ChangesResult(changes, base_year, year, overall_sentence(plan, base_year, year), output, warnings)
