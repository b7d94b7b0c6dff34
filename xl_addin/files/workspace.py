"""The workspace folder: where the master workbook, the inbox and the outputs live.

DIR/master.xlsx         the master workbook (plain .xlsx)
DIR/nop/                unit submissions (never modified by the tool)
DIR/bieu_mau/<kỳ>/      templates sent to units
DIR/bao_cao/            generated workbooks and documents
DIR/tra_lai/<kỳ>/       annotated copies to send back to units
DIR/gui_di/<kỳ>/        email drafts (.eml) and Zalo messages to the units (``ddci send``, ``ddci remind``)
DIR/templates/          the user's own Word templates (override the defaults)
DIR/.ddci/              archive.sqlite, logs/, lock
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.errors import WorkspaceError, WorkspaceExistsError

MASTER_NAME = "master.xlsx"


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace; creating the object touches no file."""

    root: Path

    @property
    def master(self) -> Path:
        return self.root / MASTER_NAME

    @property
    def inbox(self) -> Path:
        return self.root / "nop"

    @property
    def templates_out(self) -> Path:
        return self.root / "bieu_mau"

    @property
    def reports(self) -> Path:
        return self.root / "bao_cao"

    @property
    def returned(self) -> Path:
        return self.root / "tra_lai"

    def returned_copy(self, period_code: str, file_label: str) -> Path:
        """Where ``ddci validate`` puts the annotated copy of a submitted file (always ``.xlsx``)."""
        return (self.returned / period_code / Path(file_label).name).with_suffix(".xlsx")

    @property
    def outbox(self) -> Path:
        return self.root / "gui_di"

    @property
    def word_templates(self) -> Path:
        return self.root / "templates"

    @property
    def state(self) -> Path:
        return self.root / ".ddci"

    @property
    def archive(self) -> Path:
        return self.state / "archive.sqlite"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    def folders(self) -> tuple[Path, ...]:
        return (self.inbox, self.templates_out, self.reports, self.state)

    def create(self) -> None:
        """Create the folders; refuse if a master workbook is already there."""
        if self.master.exists():
            raise WorkspaceExistsError(
                f"Thư mục “{self.root}” đã có bảng tính chính {MASTER_NAME}; không ghi đè để tránh mất dữ liệu. "
                "Hãy chọn một thư mục khác, hoặc tự xóa/đổi tên tệp cũ nếu thật sự muốn tạo lại."
            )
        if self.root.exists() and not self.root.is_dir():
            raise WorkspaceError(f"“{self.root}” là một tệp, không phải thư mục; hãy chọn một thư mục.")
        for folder in self.folders():
            folder.mkdir(parents=True, exist_ok=True)

    def require(self) -> Workspace:
        """Check the workspace can be used (exists, has a master)."""
        if not self.root.is_dir():
            raise WorkspaceError(
                f"Không tìm thấy thư mục làm việc “{self.root}”. Hãy tạo bằng “ddci init {self.root}”."
            )
        if not self.master.is_file():
            raise WorkspaceError(
                f"Thư mục “{self.root}” không có bảng tính chính {MASTER_NAME}. Hãy mở đúng thư mục, hoặc tạo "
                f"bằng “ddci init {self.root}”."
            )
        for folder in self.folders():
            folder.mkdir(parents=True, exist_ok=True)
        return self


def unique_path(path: Path, force: bool = False, *, same: Callable[[Path], bool] | None = None) -> Path:
    """``path`` itself, or ``name (2).ext`` etc. so nothing is overwritten silently.

    With ``same``, an existing candidate for which it is true is returned instead (the file is
    already there, under one of these names); the caller sees that it exists.
    """
    if force or not path.exists() or (same is not None and same(path)):
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists() or (same is not None and same(candidate)):
            return candidate
        n += 1
