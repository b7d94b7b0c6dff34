"""``ddci bench`` on a tiny synthetic workspace: every stage runs and is reported (no timing asserted).

Timings depend on the machine and on whatever else runs on it, so nothing here
compares seconds; the tests check that the synthetic files are valid submissions,
that every stage and yardstick was measured, that the ratios are computed and shown,
and that the JSON output of the CLI carries them.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from xl_addin.cli import main
from xl_addin.core.errors import DdciError
from xl_addin.intake.inbox import read_inbox
from xl_addin.tools.bench import IMPORTED, MARKER, STAGES, BenchResult, format_bench, format_benches, run_bench
from xl_addin.tools.bench_commands import ROUND
from xl_addin.tools.bench_data import bench_plan

UNITS = 3


@pytest.fixture(scope="module")
def bench_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One whole ``ddci bench DIR --units 3 --repeat 1 --json``, as a script runs it (commands included)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            ["bench", str(tmp_path_factory.mktemp("bench") / "ws"), "--units", str(UNITS), "--repeat", "1", "--json"]
        )
    assert code == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def bench(bench_json: dict) -> BenchResult:
    return BenchResult(**bench_json)


def test_plan_has_30_vietnamese_tasks_and_n_units() -> None:
    plan = bench_plan(25)
    assert len(plan.units) == 25 and plan.units[0].code == "DV0001" and plan.units[-1].code == "DV0025"
    assert len(plan.tasks) == 30 and len({t.code for t in plan.tasks}) == 30
    assert all(len(plan.tasks_for(u.code)) == 30 for u in plan.units)
    assert plan.settings.focal_unit == "DV0001"
    assert any("ệ" in t.text for t in plan.tasks)


@pytest.mark.slow
def test_every_stage_is_measured(bench: BenchResult) -> None:
    assert bench.files == UNITS and bench.accepted == UNITS
    assert bench.errors == 0 and bench.warnings <= UNITS  # the synthetic files are valid submissions
    assert bench.task_rows == 30 * UNITS
    assert set(bench.stages_s) == set(STAGES)
    assert all(seconds > 0 for seconds in bench.stages_s.values()), bench.stages_s
    assert bench.naive_s > 0 and bench.lower_bound_s > 0 and bench.read_1proc_s > 0 and bench.report_big_s > 0
    # The pipeline is the three stages the targets name, and every ratio was computed.
    assert bench.pipeline_s >= max(bench.stages_s[s] for s in ("read", "validate", "consolidate"))
    assert bench.speedup_vs_naive > 0 and bench.ratio_to_lower_bound > 0
    assert bench.speedup_vs_naive_1proc > 0 and bench.ratio_to_lower_bound_1proc > 0
    assert bench.peak_mb is None or bench.peak_mb > 0
    assert bench.machine["nproc"] and bench.machine["python"]


@pytest.mark.slow
def test_every_command_is_timed_as_a_process(bench: BenchResult) -> None:
    """``validate``, ``consolidate``, ``report`` and the naive read each ran as a process, quietly."""
    assert set(bench.commands) == {name for name, _, _ in ROUND} | {"sequence", "naive"}
    for name, c in bench.commands.items():
        assert c["min_s"] > 0 and c["median_s"] >= c["min_s"], name
        assert c["exit_codes"] == [0], (name, c)
        assert c["noise"] == [], (name, c["noise"])  # nothing but progress on stderr: no library warning
        assert c["peak_mb"] is None or c["peak_mb"] > 10
    seq = bench.commands["sequence"]
    assert seq["min_s"] >= bench.commands["validate"]["min_s"]
    assert set(bench.command_speedups) == set(bench.commands) - {"naive"}
    assert all(x > 0 for x in bench.command_speedups.values())
    # the runs left the outputs a clerk gets
    root = Path(bench.workspace)
    assert (root / "bao_cao" / "tong_hop_2024-03.xlsx").is_file() and (root / ".ddci" / "cache").is_dir()


@pytest.mark.slow
def test_format_has_the_table_and_the_ratios(bench: BenchResult) -> None:
    whole = format_benches([bench])
    assert whole.index("END TO END") < whole.index("BENCHMARK")  # the end-to-end table first
    for label in ("ddci validate", "ddci consolidate", "validate + consolidate", "report", "pandas.read_excel"):
        assert label in whole.split("BENCHMARK")[0], label
    text = format_bench(bench)
    for label in (
        "Đọc + kiểm tra tệp",
        "Đối chiếu các tệp",
        "Tổng hợp / consolidate",
        "Lưu trữ / archive",
        "Báo cáo (Word)",
        "naive",
        "lower bound",
        "speed-up vs naive",
        "ratio to lower bound",
        "peak memory",
        "200",
    ):
        assert label in text, label
    assert f"{bench.speedup_vs_naive:6.1f}×" in text
    assert "ms/tệp" in text


@pytest.mark.slow
def test_synthetic_files_look_saved_by_excel(bench: BenchResult) -> None:
    files = sorted(Path(bench.workspace).glob("nop/*/*.xlsx"))
    assert len(files) == UNITS
    for path in files:
        with zipfile.ZipFile(path) as zf:
            assert "xl/sharedStrings.xml" in zf.namelist()
            assert all(b"inlineStr" not in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert (Path(bench.workspace) / "bao_cao").is_dir() and any(Path(bench.workspace, "bao_cao").glob("*.docx"))


@pytest.mark.slow
def test_two_processes_read_the_same_as_one(bench: BenchResult) -> None:
    inbox = Path(bench.workspace) / "nop"
    assert read_inbox(inbox, "2024-03", workers=2) == read_inbox(inbox, "2024-03", workers=1)
    from xl_addin.excel.ports import FilePort, load_plan
    from xl_addin.intake.validate import SheetRules

    plan = load_plan(FilePort(Path(bench.workspace)))
    rules = SheetRules(plan, plan.period("2024-03"))
    two = read_inbox(inbox, "2024-03", workers=2, check=rules)
    assert two == read_inbox(inbox, "2024-03", workers=1, check=rules)
    assert all(f.checks and f.checked_by == rules.key for f in two)


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("do not delete", encoding="utf-8")
    with pytest.raises(DdciError):
        run_bench(tmp_path, 1)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "do not delete"


@pytest.mark.slow
def test_cli_json(bench_json: dict) -> None:
    """The JSON of one size is one object carrying every stage, yardstick and ratio."""
    assert bench_json["files"] == UNITS and bench_json["units"] == UNITS
    assert set(bench_json["stages_s"]) == set(STAGES)
    assert bench_json["speedup_vs_naive"] > 0 and bench_json["ratio_to_lower_bound"] > 0
    assert set(bench_json["imports_s"]) == set(IMPORTED) and all(t > 0 for t in bench_json["imports_s"].values())


def test_several_sizes_each_get_a_folder_and_rebuild_what_bench_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], bench_json: dict
) -> None:
    """``--units 1 2``: one workspace per size in DIR/<N>, a folder an earlier bench made is rebuilt,
    the imports are timed once for all sizes, and ``--json`` prints a list. (One size, end to end: the fixture.)"""
    from xl_addin.tools import bench as B

    calls: list[tuple[Path, int, dict]] = []

    def fake_run_bench(root: Path, units: int, **options: object) -> BenchResult:
        B._prepare(root)  # what the real one does first: refuse or rebuild
        (root / "nop").mkdir()
        calls.append((root, units, options))
        return BenchResult(**{**bench_json, "units": units, "files": units, "workspace": str(root)})

    monkeypatch.setattr(B, "run_bench", fake_run_bench)
    monkeypatch.setattr(B, "import_times", lambda: {m: 0.1 for m in IMPORTED})
    target = tmp_path / "bench"
    (target / ".ddci").mkdir(parents=True)  # a single size's workspace an earlier bench left
    (target / ".ddci" / MARKER).write_text("{}", encoding="utf-8")
    (target / "old.txt").write_text("old run", encoding="utf-8")
    assert main(["bench", str(target), "--units", "1", "2", "--repeat", "1", "--no-commands", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["units"] for d in data] == [1, 2] and [d["workspace"] for d in data] == [
        str(target / "1"),
        str(target / "2"),
    ]
    assert [(root, n) for root, n, _ in calls] == [(target / "1", 1), (target / "2", 2)]
    assert all(o["imports"] == {m: 0.1 for m in IMPORTED} and o["commands"] is False for _, _, o in calls)
    assert not (target / "old.txt").exists()
    assert main(["bench", str(target), "--units", "1", "2"]) == 0  # DIR/<N> made by bench: rebuilt again
    out = capsys.readouterr().out
    assert "BENCHMARK" in out and "1 tệp" in out and "2 tệp" in out
    (target / "mine").mkdir()  # a folder bench did not make: refused, nothing deleted
    assert main(["bench", str(target), "--units", "1", "2"]) == 1
    assert "không trống" in capsys.readouterr().err
    assert (target / "mine").is_dir() and (target / "1" / "nop").is_dir()
    assert main(["bench", str(target), "--units", "0"]) == 2
