"""``gui_di/<kỳ>/``: where the drafts go, what they attach, and never overwriting without being asked.

The I/O side of ``ddci send`` and ``ddci remind``: the paths of the files to attach
(refusing, with the command that makes them again, when one is missing), then the
``.eml`` drafts and the Zalo list written together, or not at all when a draft of an
earlier run is in the way and ``--force`` was not given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.core.contracts import Severity, UnitState
from xl_addin.core.errors import DdciError, OutputExistsError
from xl_addin.core.model import Plan
from xl_addin.core.submissions import ValidationResult
from xl_addin.files.workspace import Workspace
from xl_addin.forms.layout import template_file_name
from xl_addin.plan import schema as S
from xl_addin.plan.tables import TableData
from xl_addin.routine.addresses import Recipients, email_cells, unit_recipients
from xl_addin.routine.drafts import Draft, Letterhead, letterhead
from xl_addin.routine.eml import write_eml
from xl_addin.routine.zalo import write_zalo, zalo_text

ANNOTATABLE = (".xlsx", ".xlsm")  # the files ``ddci validate`` can copy with their errors marked


@dataclass
class OutboxOutcome:
    """What ``send`` or ``remind`` wrote, and what the clerk should know about it."""

    folder: Path
    drafts: list[Draft]
    files: list[Path]
    zalo: Path | None  # None when there was nothing to write
    warnings: list[str] = field(default_factory=list)  # addresses left out
    without_address: list[str] = field(default_factory=list)  # unit codes whose draft has no recipient
    unrouted: list[str] = field(default_factory=list)  # files with errors that name no unit


def addressing(plan: Plan, tables: dict[str, TableData]) -> tuple[Recipients, Letterhead]:
    """Every unit's checked addresses, and the letterhead of the focal unit."""
    recipients = unit_recipients(plan, email_cells(tables.get(S.TABLE_UNITS)))
    return recipients, letterhead(plan, recipients)


@dataclass(frozen=True)
class Attachment:
    """A file a draft needs, and how to make it again when it is not there."""

    unit: str
    path: Path
    remedy: str


def template_attachment(ws: Workspace, unit: str, period_code: str) -> Attachment:
    path = ws.templates_out / period_code / template_file_name(unit, period_code)
    remedy = f"“ddci templates {ws.root} --period {period_code}” (nút “Tạo biểu mẫu”)"
    return Attachment(unit, path, remedy)


def require(attachments: Sequence[Attachment]) -> None:
    """Refuse, naming every missing file and the command that makes it, before anything is written."""
    missing = [a for a in attachments if not a.path.is_file()]
    if not missing:
        return
    lines = "\n".join(f"  - {a.unit}: {a.path} — tạo lại bằng {a.remedy}" for a in missing)
    raise DdciError(
        f"Không tìm thấy {len(missing)} tệp cần đính kèm, chưa tạo thư nào:\n{lines}\n"
        "Hãy tạo lại các tệp đó rồi chạy lại."
    )


def reminder_attachments(ws: Workspace, result: ValidationResult) -> list[Attachment]:
    """The template again for a unit that has not sent; the marked copy for a file with errors."""
    code = result.period.code
    out = []
    for status in result.units:
        if status.state == UnitState.MISSING:
            out.append(template_attachment(ws, status.unit, code))
        elif status.state == UnitState.REJECTED and Path(status.file).suffix.lower() in ANNOTATABLE:
            remedy = f"“ddci validate {ws.root} --period {code}” (nút “Kiểm tra”)"
            out.append(Attachment(status.unit, ws.returned_copy(code, status.file), remedy))
    return out


def unrouted_files(result: ValidationResult) -> list[str]:
    """Files with errors that no unit's status rests on (no identity, unknown unit): nobody to write to."""
    routed = {s.file for s in result.units if s.file}
    failing = {f.file for f in result.findings if f.file and f.severity == Severity.ERROR}
    return sorted(failing - routed)


def write_outbox(
    drafts: Sequence[Draft],
    folder: Path,
    zalo: tuple[str, str],
    sender: str | None,
    *,
    force: bool = False,
) -> tuple[list[Path], Path | None]:
    """Write every draft and the Zalo list (``zalo`` = file name, title) into ``folder``; nothing when no draft.

    Refuses, before writing anything, when a file of an earlier run is there and ``force`` is not set.
    """
    if not drafts:
        return [], None
    targets = [folder / d.file_name for d in drafts]
    zalo_path = folder / zalo[0]
    existing = [p for p in [*targets, zalo_path] if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:3]) + (", …" if len(existing) > 3 else "")
        raise OutputExistsError(
            f"Thư mục “{folder}” đã có {len(existing)} tệp của lần chạy trước ({names}); không ghi đè. Muốn tạo "
            "lại thì xóa hoặc đổi tên các tệp đó rồi chạy lại."
        )
    files = [write_eml(d, path, sender) for d, path in zip(drafts, targets, strict=True)]
    write_zalo(zalo_text(zalo[1], drafts), zalo_path)
    return files, zalo_path
