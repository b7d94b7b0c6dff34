"""What reading one risky file may cost, and how the operating system is told.

A 41 KB ``.xls`` whose sheet claims 65,536 × 256 cells makes python-calamine allocate half a
gigabyte; a damaged compound file can make it allocate without end. Such files are read in a
child process (``intake.sandbox``) that caps its own memory at what it uses when it starts plus
``MEMORY_BUDGET``:

* POSIX: ``resource.setrlimit(RLIMIT_AS)``. An allocation past the cap fails: Python raises
  ``MemoryError``, Rust aborts the child (the parent sees it end, and says ``too-large``).
* Windows: a job object with a per-process memory limit (``JOB_OBJECT_LIMIT_PROCESS_MEMORY``),
  created by the child for itself through ``ctypes``.

The parent also watches the child's resident memory while it waits (``resident_bytes``: Linux
``/proc``, Windows ``GetProcessMemoryInfo``) and stops it past the same budget, which covers a
system where the child could not limit itself; and it stops a child that takes longer than
``TIME_LIMIT`` seconds for one file. Everything that decides is a small pure function here,
so it is tested on any system.
"""

from __future__ import annotations

import os
import sys

from xl_addin.core.contracts import Rule
from xl_addin.intake.verdicts import MSG_READER_STOPPED, msg_too_large_memory, msg_too_slow

__all__ = [
    "MEMORY_BUDGET",
    "TIME_LIMIT",
    "address_space_cap",
    "child_outcome",
    "limit_own_memory",
    "over_budget",
    "resident_bytes",
]

MEMORY_BUDGET = 256 * 2**20  # what reading one file may add to the reading process
TIME_LIMIT = 10.0  # seconds for one file
_ALLOC_FAILED = ("memory allocation of", "MemoryError", "out of memory", "bad_alloc")


def address_space_cap(in_use: int, budget: int, hard: int, infinity: int) -> int:
    """The soft ``RLIMIT_AS`` for a process using ``in_use`` bytes of address space now."""
    cap = in_use + budget
    return cap if hard == infinity else min(cap, hard)


def over_budget(rss: int | None, start_rss: int | None, budget: int) -> bool:
    """Whether a child whose resident memory went from ``start_rss`` to ``rss`` is past its budget."""
    return rss is not None and start_rss is not None and rss - start_rss > budget


def child_outcome(
    *, timed_out: bool, watchdog: bool, stderr_tail: str, budget: int, time_limit: float
) -> tuple[Rule, str]:
    """The finding for a child that ended without answering: over a limit (``too-large``) or not."""
    if timed_out:
        return Rule.TOO_LARGE, msg_too_slow(time_limit)
    if watchdog or any(mark in stderr_tail for mark in _ALLOC_FAILED):
        return Rule.TOO_LARGE, msg_too_large_memory(budget)
    return Rule.UNREADABLE, MSG_READER_STOPPED


def limit_own_memory(budget: int) -> bool:
    """Cap this process's memory at what it uses now plus ``budget``; True when a cap is in force."""
    if sys.platform == "win32":
        return _limit_windows(budget)
    try:
        import resource
    except ImportError:  # pragma: no cover - every POSIX Python has it
        return False
    in_use = _address_space()
    if in_use is None:
        return False
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (address_space_cap(in_use, budget, hard, resource.RLIM_INFINITY), hard))
    except (ValueError, OSError):
        return False
    return True


def _address_space() -> int | None:
    """This process's virtual size (Linux); None where ``/proc`` is missing (macOS ignores RLIMIT_AS anyway)."""
    if sys.platform == "win32":
        return None
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def resident_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid``, or None when this system does not say."""
    if sys.platform == "win32":
        return _resident_windows(pid)
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


if sys.platform == "win32":  # ctypes declarations for kernel32; mypy checks them only on Windows
    import ctypes
    from ctypes import wintypes

    _PROCESS_QUERY_LIMITED_INFORMATION, _PROCESS_VM_READ = 0x1000, 0x0010
    _JOB_OBJECT_LIMIT_PROCESS_MEMORY, _JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 0x0100, 9

    class _Counters(ctypes.Structure):  # PROCESS_MEMORY_COUNTERS_EX
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
            (name, ctypes.c_size_t)
            for name in (
                "PeakWorkingSetSize",
                "WorkingSetSize",
                "QuotaPeakPagedPoolUsage",
                "QuotaPagedPoolUsage",
                "QuotaPeakNonPagedPoolUsage",
                "QuotaNonPagedPoolUsage",
                "PagefileUsage",
                "PeakPagefileUsage",
                "PrivateUsage",
            )
        ]

    class _Basic(ctypes.Structure):  # JOBOBJECT_BASIC_LIMIT_INFORMATION
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        ]

    class _Extended(ctypes.Structure):  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
        _fields_ = [
            ("BasicLimitInformation", _Basic),
            ("IoInfo", ctypes.c_ulonglong * 6),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    _kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    _kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
    _kernel32.SetInformationJobObject.argtypes = (wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD)
    _kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
    _kernel32.K32GetProcessMemoryInfo.argtypes = (wintypes.HANDLE, ctypes.c_void_p, wintypes.DWORD)
    _kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)

    def _counters(handle: int) -> _Counters | None:
        counters = _Counters()
        counters.cb = ctypes.sizeof(counters)
        if not _kernel32.K32GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb):
            return None
        return counters

    def _resident_windows(pid: int) -> int | None:
        handle = _kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION | _PROCESS_VM_READ, False, pid)
        if not handle:
            return None
        try:
            counters = _counters(handle)
            return None if counters is None else int(counters.WorkingSetSize)
        finally:
            _kernel32.CloseHandle(handle)

    def _limit_windows(budget: int) -> bool:
        """Put this process in a new job object whose per-process memory limit is its commit now + budget."""
        me = _kernel32.GetCurrentProcess()
        counters = _counters(me)
        job = _kernel32.CreateJobObjectW(None, None)
        if counters is None or not job:
            return False
        info = _Extended()
        info.BasicLimitInformation.LimitFlags = _JOB_OBJECT_LIMIT_PROCESS_MEMORY
        info.ProcessMemoryLimit = int(counters.PrivateUsage) + budget
        size = ctypes.sizeof(info)
        if not _kernel32.SetInformationJobObject(job, _JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(info), size):
            return False
        return bool(_kernel32.AssignProcessToJobObject(job, me))  # the handle stays open while the child lives
