"""The archive's own actions: what has been archived, and its original files written back out.

Kept apart from ``actions`` (checking, consolidating, documents): these only read the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from xl_addin.core.errors import DdciError, UsageError
from xl_addin.excel.ports import WorkbookPort


def history(port: WorkbookPort) -> list:
    """Every archived submission, oldest period first."""
    from xl_addin.results.archive import Archive

    ws = port.workspace.require()
    if not ws.archive.exists():
        return []
    with Archive(ws.archive) as archive:
        return archive.submissions()


@dataclass
class ExportOutcome:
    written: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # archived files whose original is not kept


def export_originals(port: WorkbookPort, dest: Path) -> ExportOutcome:
    """Write every archived submission's original file to ``dest/<kỳ>/`` under the name it was sent with."""
    from xl_addin.files.atomic import atomic_write
    from xl_addin.files.workspace import unique_path
    from xl_addin.results.archive import Archive

    ws = port.workspace.require()
    if dest.resolve().is_relative_to(ws.inbox.resolve()):
        raise UsageError(
            f"Không chép bản gốc vào thư mục nộp “{ws.inbox}”: chúng sẽ bị coi là tệp nộp mới. Hãy chọn thư mục khác."
        )
    out = ExportOutcome()
    if not ws.archive.exists():
        return out
    seen: set[tuple[str, str]] = set()  # one file can hold several units' sheets: written once per period
    with Archive(ws.archive) as archive:
        for sub in archive.submissions():
            if (sub.period, sub.sha256) in seen:
                continue
            seen.add((sub.period, sub.sha256))
            kept = archive.original(sub.sha256)
            if kept is None:
                out.missing.append(f"{sub.period}/{sub.file_name}")
                continue
            data = kept[0]
            target = dest / sub.period / Path(sub.file_name).name
            try:
                target = unique_path(target, same=partial(_holds, data=data))
                if target.exists():
                    continue  # exported before
                target.parent.mkdir(parents=True, exist_ok=True)
                with atomic_write(target) as tmp:
                    tmp.write_bytes(data)
            except OSError as exc:
                raise DdciError(
                    f"Không ghi được “{target}” ({exc.strerror or exc}); hãy chọn thư mục khác hoặc kiểm tra quyền ghi."
                ) from exc
            out.written.append(target)
    return out


def _holds(path: Path, *, data: bytes) -> bool:
    """Whether ``path`` is a file with exactly these bytes (an earlier export of it)."""
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
