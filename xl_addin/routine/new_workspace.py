"""``ddci new-year`` on disk: read this year's workspace, write next year's beside it.

The old workspace is only read: its archive is read from a copy (opening SQLite in
place could leave journal files behind), and nothing is written inside it. The new
folder must not exist yet (or be empty) and must not sit inside the old one. It gets
the new master workbook, empty ``nop/``, ``bieu_mau/`` and ``bao_cao/`` folders, no
history, and the office's own Word templates (``templates/``) when it has some.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.errors import UsageError, WorkspaceExistsError
from xl_addin.files.workspace import Workspace
from xl_addin.routine.new_year import NextYear


@dataclass(frozen=True)
class NewYearOutcome:
    workspace: Workspace
    next_year: NextYear
    word_templates: list[Path]  # the office's own Word templates copied over


def archived_statuses(ws: Workspace) -> dict[tuple[str, str], str] | None:
    """The last reported status of every (unit, task), or None when nothing was ever archived."""
    if not ws.archive.is_file():
        return None
    from xl_addin.results.archive import Archive

    with tempfile.TemporaryDirectory(prefix="ddci-nam-moi-") as tmp:
        copy = Path(tmp) / ws.archive.name
        shutil.copyfile(ws.archive, copy)
        wal = ws.archive.with_name(ws.archive.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        with Archive(copy) as archive:
            statuses = archive.latest_statuses()
    return statuses or None


def default_new_root(root: Path, old_year: int, year: int) -> Path:
    """Beside ``root``: ``D:/DDCI_2024`` → ``D:/DDCI_2025``; ``D:/DDCI`` (no year in the name) → ``D:/DDCI_2025``."""
    name, old = root.name, str(old_year)
    if old in name:
        i = name.rfind(old)
        return root.with_name(name[:i] + str(year) + name[i + len(old) :])
    return root.with_name(f"{name}_{year}")


def check_target(old: Workspace, out: Path) -> None:
    """Refuse a folder that holds anything, or one inside the old workspace."""
    out_abs, old_abs = out.resolve(), old.root.resolve()
    if out_abs == old_abs or out_abs.is_relative_to(old_abs):
        raise UsageError(
            f"Thư mục năm mới “{out}” nằm trong thư mục làm việc cũ “{old.root}”; hãy chọn một thư mục bên ngoài, "
            "VD: cùng cấp với thư mục cũ."
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WorkspaceExistsError(
            f"“{out}” đã có và không trống; không ghi vào để tránh mất dữ liệu. Hãy chọn một thư mục mới (chưa có), "
            "hoặc tự xóa/đổi tên thư mục đó nếu thật sự muốn tạo lại."
        )


def create_next_workspace(old: Workspace, nxt: NextYear, out: Path) -> NewYearOutcome:
    """Write next year's workspace at ``out`` (checked with :func:`check_target` first)."""
    from xl_addin.plan.writer import write_master

    check_target(old, out)
    new = Workspace(out)
    new.create()
    write_master(nxt.plan, new.master)
    copied = []
    if old.word_templates.is_dir():
        for source in sorted(old.word_templates.glob("*.docx")):
            if not source.name.startswith(("~$", ".")):
                new.word_templates.mkdir(exist_ok=True)
                copied.append(Path(shutil.copy2(source, new.word_templates / source.name)))
    return NewYearOutcome(new, nxt, copied)
