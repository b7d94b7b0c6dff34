"""Domain exceptions.

Every exception carries a Vietnamese message meant for the clerk; the front ends
(``cli``, ``buttons``) translate them into an exit code or a message box. Nothing
here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_PROBLEMS = 1  # the data has errors the user must fix
EXIT_UNREADABLE = 2  # the workspace itself cannot be read or used


class DdciError(Exception):
    """Base class: a problem the user can act on, with a Vietnamese message."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkspaceError(DdciError):
    """The workspace folder or its master workbook cannot be used at all."""

    exit_code = EXIT_UNREADABLE


class WorkspaceExistsError(DdciError):
    """``init`` refuses to overwrite an existing workspace."""


class WorkspaceBusyError(DdciError):
    """Another run holds the workspace lock."""

    exit_code = EXIT_UNREADABLE


class OutputExistsError(DdciError):
    """An output file exists and the user did not ask to overwrite it."""


class TemplateError(DdciError):
    """A Word template cannot be rendered (syntax error, missing data)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the master workbook: where it is and how to fix it."""

    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"[{where}] {self.message}"


class MasterDataError(DdciError):
    """The master workbook was read but holds invalid data; lists every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Bảng tính chính có {len(self.problems)} lỗi cần sửa:\n{lines}")
