"""Domain exceptions.

Every exception carries a Vietnamese message meant for the clerk; the front ends
(``cli``, ``buttons``) translate them into an exit code or a message box. Nothing
here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What ``ddci`` exits with, so a script can tell "fix the data" from "try again" from "report a bug"."""

    CLEAN = 0  # done, nothing to fix
    PROBLEMS = 1  # done or refused, and there is something the user must fix (data errors, a file in the way)
    USAGE = 2  # the command line is wrong (argparse uses 2 as well)
    WORKSPACE = 3  # the workspace folder or its master workbook is missing or unreadable
    BUSY = 4  # another run holds the workspace: try again in a moment
    CRASH = 5  # an unexpected error; the traceback is in the log file named on stderr


class DdciError(Exception):
    """Base class: a problem the user can act on, with a Vietnamese message."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(DdciError):
    """The request itself is malformed (a period code or a date that cannot be read)."""

    exit_code = ExitCode.USAGE


class WorkspaceError(DdciError):
    """The workspace folder or its master workbook cannot be used at all."""

    exit_code = ExitCode.WORKSPACE


class WorkspaceExistsError(DdciError):
    """``init`` refuses to overwrite an existing workspace."""


class WorkspaceBusyError(DdciError):
    """Another run holds the workspace lock."""

    exit_code = ExitCode.BUSY


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
