"""``ddci demo``: the whole monthly job on the built-in seed plan, end to end."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.actions import indicator_changes, init_workspace
from xl_addin.ports import FilePort, ProgressFn, no_progress


@dataclass
class DemoResult:
    root: Path
    outputs: list[tuple[str, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_demo(root: Path, progress: ProgressFn | None = None, force: bool = False) -> DemoResult:
    """Create a workspace from the seed plan and run every step on it.

    ``force`` removes an earlier demo folder first (only one that holds a master
    workbook, so a mistyped path cannot wipe an unrelated folder).
    """
    progress = progress or no_progress
    root = Path(root)
    if force and (root / "master.xlsx").is_file():
        import shutil

        shutil.rmtree(root)
    progress("Đang tạo thư mục làm việc từ Kế hoạch mẫu…", 1, 2)
    init = init_workspace(root)
    result = DemoResult(init.workspace.root)
    result.outputs.append(("Bảng tính chính", init.master))
    port = FilePort(root, progress)
    progress("Đang tính biến động chỉ số…", 2, 2)
    changes = indicator_changes(port)
    if changes.output:
        result.outputs.append(("Biến động chỉ số", changes.output))
    result.notes += [f"Cảnh báo: {w}" for w in changes.warnings]
    return result
