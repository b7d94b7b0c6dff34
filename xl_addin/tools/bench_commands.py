"""``ddci bench``, end to end: each user command timed as the separate process a clerk or a script runs.

What a clerk waits for is the whole command: Python starting, the imports, reading,
checking and every output file (findings list, consolidated workbook, archive, dashboard).
Each command runs here as its own Python process (``RUN_SCRIPT``: what ``python -m xl_addin
<command> DIR`` runs, plus a line that notes the peak memory at exit) with its output discarded,
on the synthetic workspace of ``tools.bench_data``, in the order of a month's work:

1. ``validate`` with no check cache (the first check of the period);
2. ``consolidate`` right after it (files unchanged: their checks are reused);
3. ``report --kind bao-cao`` (the same);
4. ``consolidate`` alone with no cache (one pass that reads every file itself).

Before each round the check cache and the archive are removed, so every round starts as
the first of a month. The yardstick runs the same way: one process that reads every
file with ``pandas.read_excel(sheet_name=None, engine="openpyxl")``, start-up included.
The commands run with their bytecode compiled, as an installed program's (``_command_env``).
Peak memory is each command's own peak RSS, read by the command itself from
``/proc/self/status`` as it exits (``VmHWM``: the kernel's counter for that program, where
``wait4`` would also count the benchmark's memory the child shared before ``exec``); the
reading helper process (from 200 files) is not included.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ProgressFn = Callable[[str, int, int], None]

ROUND = (
    ("validate", ("validate",), True),
    ("consolidate", ("consolidate",), False),
    ("report", ("report", "--kind", "bao-cao", "--force"), False),
    ("consolidate_cold", ("consolidate",), True),
)
COMMAND_LABELS = {
    "validate": "ddci validate",
    "consolidate": "ddci consolidate (sau validate / after validate)",
    "report": "ddci report --kind bao-cao",
    "consolidate_cold": "ddci consolidate (chưa validate / alone)",
    "sequence": "validate + consolidate",
    "naive": "pandas.read_excel (openpyxl), 1 tiến trình / process",
}
# ``python -m xl_addin ARGS``, reporting its peak RSS into the file named first.
RUN_SCRIPT = """
import atexit, sys
def peak(path=sys.argv[1]):
    try:
        with open("/proc/self/status") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    with open(path, "w") as fh:
        fh.write(str(kb))
atexit.register(peak)
args = sys.argv[2:]
if args[0] == "-c":
    sys.argv = ["-c", *args[2:]]
    exec(compile(args[1], "<naive>", "exec"))
else:
    from xl_addin.cli import main
    sys.exit(main(args))
"""
NAIVE_SCRIPT = """
import sys
from pathlib import Path
import pandas as pd
for path in sorted(Path(sys.argv[1]).rglob("*.xlsx")):
    pd.read_excel(path, sheet_name=None, engine="openpyxl")
"""


@dataclass
class CommandTimes:
    """Every run of one command: wall seconds, peak RSS, exit code and anything it wrote to stderr."""

    samples_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # user + system time (its waited-for children included)
    peak_mb: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)  # stderr lines other than progress: should stay empty

    @property
    def min_s(self) -> float:
        return min(self.samples_s) if self.samples_s else 0.0

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples_s) if self.samples_s else 0.0

    def summary(self) -> dict:
        return {
            "min_s": self.min_s,
            "median_s": self.median_s,
            "samples_s": self.samples_s,
            "cpu_s": self.cpu_s,
            "peak_mb": max(self.peak_mb) if self.peak_mb else None,
            "exit_codes": sorted(set(self.exit_codes)),
            "noise": self.noise[:20],
        }


def _children_cpu() -> float | None:
    """CPU seconds of every finished child so far (Unix); a command's own is the difference around it."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(args: list[str], times: CommandTimes, env: dict[str, str] | None = None) -> None:
    """Run ``python -m xl_addin ARGS`` (or ``python -c CODE ...``) to the end, output discarded; add its wall
    time, peak RSS, exit code and stderr noise."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory(prefix="ddci-bench-") as tmp:
        peak_file = Path(tmp) / "peak"
        argv = [sys.executable, "-c", RUN_SCRIPT, str(peak_file), *args]
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - start
        if cpu is not None:
            times.cpu_s.append(round((_children_cpu() or 0.0) - cpu, 3))
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
        with contextlib.suppress(OSError, ValueError):  # the command died before noting it
            times.peak_mb.append(round(int(peak_file.read_text()) / 1024, 1))
    times.samples_s.append(elapsed)
    times.exit_codes.append(proc.returncode)
    times.noise += [line for line in lines if line.strip() and not line.startswith("Đang ")]


def _fresh_month(root: Path) -> None:
    """Remove what an earlier round left: the check cache, the archive and its kept copies."""
    state = root / ".ddci"
    shutil.rmtree(state / "cache", ignore_errors=True)
    shutil.rmtree(state / "files", ignore_errors=True)
    for name in ("archive.sqlite", "archive.sqlite-wal", "archive.sqlite-shm"):
        (state / name).unlink(missing_ok=True)


def _command_env() -> dict[str, str]:
    """The commands' environment: as an installed program, with its modules compiled once.

    An installed program has its bytecode (``.pyc``) written at install or first run; with
    ``PYTHONDONTWRITEBYTECODE`` set (as on the development machine) every command would compile
    the whole package again (0.1–0.2 s). So the variable is dropped for the commands and the
    package is compiled in place (``__pycache__``, as pip does at install) before the first timed
    run. A ``PYTHONPYCACHEPREFIX`` folder was used first and was wrong: Python then ignores the
    libraries' own compiled files, and the first ``report`` compiled pandas and matplotlib (7–8 s).
    """
    import xl_addin

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    package = Path(xl_addin.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=False, capture_output=True)
    return env


def time_commands(
    root: Path, inbox: Path, *, repeat: int, naive_repeat: int, progress: ProgressFn | None = None
) -> dict[str, dict]:
    """Time every command of :data:`ROUND` ``repeat`` times, and the naive read ``naive_repeat`` times."""
    root = Path(root)
    env = _command_env()
    times = {name: CommandTimes() for name, _, _ in ROUND}
    sequence = CommandTimes()
    for k in range(repeat):
        _fresh_month(root)
        for name, args, cold in ROUND:
            if progress:
                progress(f"Đang đo lệnh {' '.join(args)} (lần {k + 1}/{repeat})", 0, 0)
            if cold:
                _fresh_month(root)
            run_process([*args, str(root)], times[name], env)
        sequence.samples_s.append(times["validate"].samples_s[-1] + times["consolidate"].samples_s[-1])
        sequence.peak_mb.append(max(times["validate"].peak_mb[-1:] + times["consolidate"].peak_mb[-1:], default=0))
        sequence.cpu_s.append(sum(times[n].cpu_s[-1] for n in ("validate", "consolidate") if times[n].cpu_s))
        sequence.exit_codes.append(max(times["validate"].exit_codes[-1], times["consolidate"].exit_codes[-1]))
    naive = CommandTimes()
    for k in range(naive_repeat):
        if progress:
            progress(f"Đang đo cách đọc thông thường (lần {k + 1}/{naive_repeat})", 0, 0)
        run_process(["-c", NAIVE_SCRIPT, str(inbox)], naive, env)
    out = {name: t.summary() for name, t in times.items()}
    out["sequence"] = sequence.summary()
    out["naive"] = naive.summary()
    return out


def speedups(commands: dict[str, dict]) -> dict[str, float]:
    """How many times faster than the naive read each command is (fastest runs)."""
    naive = commands.get("naive", {}).get("min_s") or 0.0
    return {name: naive / c["min_s"] for name, c in commands.items() if name != "naive" and c["min_s"] > 0}


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def format_commands(results: list) -> str:
    """The end-to-end table: one column per N; min and median of the runs; speed-up against the naive read."""
    sizes = [r for r in results if r.commands]
    if not sizes:
        return ""
    width = 50
    head = f"{'Lệnh (cả tiến trình) / command, end to end':<{width}}" + "".join(
        f"{f'N = {r.units}':>24}" for r in sizes
    )
    lines = [
        "ĐO CẢ LỆNH / END TO END — giây, nhanh nhất / trung vị (min / median); × = nhanh hơn cách thông thường",
        head,
        "-" * len(head),
    ]
    for name in ("validate", "consolidate", "sequence", "report", "consolidate_cold", "naive"):
        row = f"{COMMAND_LABELS[name]:<{width}}"
        for r in sizes:
            c = r.commands[name]
            ratio = r.command_speedups.get(name)
            text = f"{c['min_s']:.2f} / {c['median_s']:.2f}" + (f" {ratio:5.1f}×" if ratio else " " * 7)
            row += f"{text:>24}"
        lines.append(row)
    row = f"{'Bộ nhớ đỉnh / peak memory (MB, max of commands)':<{width}}"
    for r in sizes:
        peaks = [c["peak_mb"] for n, c in r.commands.items() if n not in ("naive", "sequence") and c["peak_mb"]]
        row += f"{_cell(max(peaks) if peaks else None, '.0f'):>24}"
    lines.append(row)
    noise = sorted({line for r in sizes for c in r.commands.values() for line in c["noise"]})
    lines.append("Lệnh in thêm ra stderr / stderr noise: " + ("không / none" if not noise else "; ".join(noise[:5])))
    return "\n".join(lines)
