"""Run ``ddci validate`` over a folder of spreadsheets other programs made, one file at a time and all at once.

The spreadsheets are not in this repository (public test suites: apache/poi ``test-data/spreadsheet``,
SheetJS ``test_files``, tafia/calamine ``tests``, PhpSpreadsheet ``tests/data``, XlsxWriter, exceljs,
fastexcel, xlrd, excelize); point ``DDCI_PUBLIC_CORPUS`` (or ``--corpus``) at a folder of them. For
each ``.xlsx/.xlsm/.xls/.xlsb/.ods`` under it:

1. a copy of a demo workspace (``ddci demo``, built once) gets the file in ``nop/`` beside the demo's
   own submissions (its modification time an hour ago, or now with ``--fresh``);
2. ``python -m xl_addin validate WS --period 2024-03 --json`` runs as a fresh process: niced, under an
   address-space cap (``--mem-cap-mb``, 4 GB: a reader that grows without end stops there, not in the
   kernel's OOM killer), with a timeout;
3. recorded: exit code, wall time, peak memory (the largest single process, from ``wait4``, and the
   sum over the run's processes sampled every 10 ms), whether the output is JSON, a traceback on
   stderr, the inbox's bytes before and after, the demo's own findings against a run without the
   file, and the file's own findings.

``--all-in-one`` then puts every file in one inbox (names made unique) and runs once with
``DDCI_READ_WORKERS=1`` and once with ``=2`` (a helper process reads blocks of files). Results go to
``--out`` (``results.jsonl``, ``all_in_one.json``, ``summary.md``).

    DDCI_PUBLIC_CORPUS=/path/to/files python benchmarks/public_corpus.py --out /tmp/corpus-run --all-in-one
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

SUFFIX = re.compile(r"\.(xlsx|xlsm|xls|xlsb|ods)$", re.IGNORECASE)
PERIOD = "2024-03"
HOUR_AGO = 3600.0


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inbox_hashes(inbox: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(inbox.iterdir()) if p.is_file()}


def tree_rss(group: int) -> int:
    """Resident bytes of every process in process group ``group`` (Linux ``/proc``)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # rss, in pages
        except (OSError, ValueError, IndexError):
            continue
    return total


def run(cmd: list[str], env: dict[str, str], *, timeout: float, nice: int, cap_mb: int) -> dict:
    """Run ``cmd`` in its own process group; exit code, wall time, peak memory, stdout, stderr."""

    def limits() -> None:
        os.setpriority(os.PRIO_PROCESS, 0, max(nice, os.getpriority(os.PRIO_PROCESS, 0)))
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (cap_mb * 2**20, cap_mb * 2**20))

    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True, preexec_fn=limits
    )
    out: list[bytes] = []
    err: list[bytes] = []
    import threading

    readers = [
        threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stdout, out)),
        threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stderr, err)),
    ]
    for r in readers:
        r.start()
    peak_tree, timed_out = 0, False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_tree = max(peak_tree, tree_rss(proc.pid))
        if time.monotonic() - t0 > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    wall = time.monotonic() - t0
    for r in readers:
        r.join()
    survivors = _outlived(proc.pid)
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "wall": round(wall, 3),
        "peak_process_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_mb": round(peak_tree / 2**20, 1),
        "timeout": timed_out,
        "survivors": survivors,
        "stdout": b"".join(out).decode("utf-8", "replace"),
        "stderr": b"".join(err).decode("utf-8", "replace"),
    }


def _outlived(group: int, grace: float = 2.0) -> bool:
    """Whether a process of the run is still there ``grace`` seconds after it ended (then ended here)."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.01)
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def validate(args, ws: Path, env: dict[str, str], timeout: float) -> dict:
    res = run(
        [sys.executable, "-m", "xl_addin", "validate", str(ws), "--period", PERIOD, "--json"],
        env,
        timeout=timeout,
        nice=args.nice,
        cap_mb=args.mem_cap_mb,
    )
    try:
        findings = json.loads(res["stdout"])
    except ValueError:
        findings = None
    res["json_ok"] = isinstance(findings, list)
    res["findings"] = findings if isinstance(findings, list) else []
    res["traceback"] = "Traceback" in res["stderr"]
    res["stderr_tail"] = res.pop("stderr").strip().splitlines()[-5:]
    del res["stdout"]
    return res


def key(f: dict) -> tuple:
    return tuple(f.get(k, "") for k in ("file", "unit", "sheet", "cell", "severity", "rule", "message"))


def fresh_ws(base: Path, work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work, symlinks=True)
    return work


def place(src: Path, dest: Path, fresh: bool) -> None:
    shutil.copyfile(src, dest)
    if not fresh:
        past = time.time() - HOUR_AGO
        os.utime(dest, (past, past))


def first_rule(findings: list[dict]) -> str:
    errors = [f["rule"] for f in findings if f["severity"] == "error"]
    if errors:
        return errors[0]
    return "+".join(sorted({f["rule"] for f in findings})) or "(no finding)"


def single_runs(args, files: list[tuple[str, Path]], base: Path, env: dict, baseline: list) -> list[dict]:
    records = []
    want = collections.Counter(map(key, baseline))
    done = set()
    results = Path(args.out) / "results.jsonl"
    if args.resume and results.exists():
        records = [json.loads(line) for line in results.read_text("utf-8").splitlines()]
        done = {r["id"] for r in records}
    with results.open("a" if args.resume else "w", encoding="utf-8") as sink:
        for n, (rel, path) in enumerate(files, 1):
            if rel in done:
                continue
            ws = fresh_ws(base, Path(args.work) / "single")
            inbox = ws / "nop"
            place(path, inbox / path.name, args.fresh)
            before = inbox_hashes(inbox)
            res = validate(args, ws, env, args.timeout)
            own = [f for f in res["findings"] if f.get("file") == path.name]
            others = [f for f in res["findings"] if f.get("file") != path.name]
            rec = {
                "id": rel,
                "size": path.stat().st_size,
                **{k: v for k, v in res.items() if k != "findings"},
                "inbox_unchanged": inbox_hashes(inbox) == before,
                "demo_same": res["json_ok"] and collections.Counter(map(key, others)) == want,
                "file_findings": [{k: f[k] for k in ("severity", "rule", "message")} for f in own],
                "rule": first_rule(own) if res["json_ok"] else "(no JSON)",
            }
            records.append(rec)
            sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
            sink.flush()
            if n % 100 == 0 or not (rec["json_ok"] and own and rec["exit"] in (0, 1)):
                print(f"[{n}/{len(files)}] {rel}: {rec['rule']} exit {rec['exit']} {rec['wall']} s", flush=True)
    shutil.rmtree(Path(args.work) / "single", ignore_errors=True)
    return records


def all_in_one(args, files: list[tuple[str, Path]], base: Path, env: dict, baseline: list, singles: dict) -> dict:
    out = {}
    want = collections.Counter(map(key, baseline))
    for workers in args.workers:
        ws = fresh_ws(base, Path(args.work) / "allinone")
        inbox = ws / "nop"
        used = {p.name.lower() for p in inbox.iterdir()}
        labels = {}
        for k, (rel, path) in enumerate(files):
            label = path.name if path.name.lower() not in used else f"{path.stem}__{k}{path.suffix}"
            used.add(label.lower())
            labels[label] = rel
            place(path, inbox / label, args.fresh)
        before = inbox_hashes(inbox)
        res = validate(args, ws, {**env, "DDCI_READ_WORKERS": str(workers)}, args.all_timeout)
        per_file = collections.defaultdict(list)
        for f in res["findings"]:
            per_file[f.get("file", "")].append(f)
        demo = [f for f in res["findings"] if f.get("file", "") not in labels]
        agree = differ = 0
        for label, rel in labels.items():
            got = sorted((f["severity"], f["rule"]) for f in per_file.get(label, []))
            single = singles.get(rel)
            if single is not None:
                wanted = sorted((f["severity"], f["rule"]) for f in single["file_findings"])
                agree, differ = (agree + 1, differ) if got == wanted else (agree, differ + 1)
        out[f"workers={workers}"] = {
            **{k: v for k, v in res.items() if k != "findings"},
            "files": len(files),
            "inbox_unchanged": inbox_hashes(inbox) == before,
            "every_file_named": all(per_file.get(label) for label in labels),
            "demo_same": collections.Counter(map(key, demo)) == want,
            "agree_with_single": agree,
            "differ_from_single": differ,
        }
        print(f"one inbox, DDCI_READ_WORKERS={workers}: {json.dumps(out[f'workers={workers}'])}", flush=True)
    shutil.rmtree(Path(args.work) / "allinone", ignore_errors=True)
    return out


def summary(records: list[dict], baseline: dict, together: dict) -> str:
    base_tree, base_proc = baseline["peak_tree_mb"], baseline["peak_process_mb"]
    rules = collections.Counter(r["rule"] for r in records)
    by_suffix: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in records:
        by_suffix[r["rule"]][Path(r["id"]).suffix.lower()] += 1
    worst_time = max(records, key=lambda r: r["wall"])
    worst_tree = max(records, key=lambda r: r["peak_tree_mb"])
    worst_proc = max(records, key=lambda r: r["peak_process_mb"])
    bad = [
        r
        for r in records
        if not r["json_ok"]
        or r["traceback"]
        or r["exit"] not in (0, 1)
        or r["timeout"]
        or not r["file_findings"]
        or not r["inbox_unchanged"]
        or not r["demo_same"]
        or r["survivors"]
    ]
    lines = [
        f"# ddci validate over {len(records)} foreign spreadsheets",
        "",
        f"Baseline (demo alone): {base_proc} MB largest process, {base_tree} MB all processes, {baseline['wall']} s.",
        "",
        "| rule (first error, else warnings) | files | by suffix |",
        "|---|---:|---|",
    ]
    for rule, n in rules.most_common():
        lines.append(f"| `{rule}` | {n} | {', '.join(f'{s} {c}' for s, c in by_suffix[rule].most_common())} |")
    lines += [
        "",
        f"- runs with no JSON, a traceback, an unexpected exit code, a timeout, a file not named, a changed "
        f"inbox, changed demo results or a process left behind: **{len(bad)}**",
        f"- exit codes: {dict(collections.Counter(r['exit'] for r in records))}",
        f"- worst time: {worst_time['wall']} s (`{worst_time['id']}`); median "
        f"{statistics.median(r['wall'] for r in records)} s",
        f"- worst memory, all processes of the run: {worst_tree['peak_tree_mb']} MB, "
        f"+{round(worst_tree['peak_tree_mb'] - base_tree, 1)} MB over the baseline (`{worst_tree['id']}`)",
        f"- worst memory, largest single process: {worst_proc['peak_process_mb']} MB, "
        f"+{round(worst_proc['peak_process_mb'] - base_proc, 1)} MB over the baseline (`{worst_proc['id']}`)",
        "",
    ]
    lines += [f"- `{r['id']}`: {r['rule']} exit {r['exit']} {r['stderr_tail'][-1:]}" for r in bad[:50]]
    for name, res in together.items():
        lines.append(
            f"- one inbox ({name}): {res['files']} files, exit {res['exit']}, {res['wall']} s, "
            f"{res['peak_tree_mb']} MB all processes ({res['peak_process_mb']} MB largest), JSON {res['json_ok']}, "
            f"traceback {res['traceback']}, every file named {res['every_file_named']}, demo same "
            f"{res['demo_same']}, inbox unchanged {res['inbox_unchanged']}, agree with single runs "
            f"{res['agree_with_single']}/{res['agree_with_single'] + res['differ_from_single']}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("DDCI_PUBLIC_CORPUS", ""))
    parser.add_argument("--out", default="public-corpus-results")
    parser.add_argument("--work", default="", help="scratch folder (default: OUT/work)")
    parser.add_argument("--match", default="", help="only files whose path matches this regex")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--all-timeout", type=float, default=900.0)
    parser.add_argument("--mem-cap-mb", type=int, default=4096)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="leave each copy's modification time at now")
    parser.add_argument("--all-in-one", action="store_true")
    parser.add_argument("--no-single", action="store_true")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    if not args.corpus or not Path(args.corpus).is_dir():
        print("no corpus: set DDCI_PUBLIC_CORPUS or --corpus to a folder of spreadsheets", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    args.work = args.work or str(out / "work")
    root = Path(args.corpus)
    files = [
        (p.relative_to(root).as_posix(), p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and SUFFIX.search(p.name) and re.search(args.match, p.relative_to(root).as_posix())
    ][: args.limit or None]
    env = {k: v for k, v in os.environ.items() if k not in ("DDCI_READ_WORKERS", "RUST_BACKTRACE")}
    base = Path(args.work) / "base"
    if not (base / "master.xlsx").exists():
        subprocess.run([sys.executable, "-m", "xl_addin", "demo", str(base)], env=env, check=True, capture_output=True)
    runs = [validate(args, fresh_ws(base, Path(args.work) / "baseline"), env, args.timeout) for _ in range(3)]
    baseline = {
        "wall": statistics.median(r["wall"] for r in runs),
        "peak_tree_mb": max(r["peak_tree_mb"] for r in runs),
        "peak_process_mb": max(r["peak_process_mb"] for r in runs),
        "findings": runs[0]["findings"],
    }
    (out / "baseline.json").write_text(json.dumps(baseline, ensure_ascii=False, indent=1), "utf-8")
    records = [] if args.no_single else single_runs(args, files, base, env, baseline["findings"])
    singles = {r["id"]: r for r in records}
    together = all_in_one(args, files, base, env, baseline["findings"], singles) if args.all_in_one else {}
    (out / "all_in_one.json").write_text(json.dumps(together, ensure_ascii=False, indent=1), "utf-8")
    if records:
        (out / "summary.md").write_text(summary(records, baseline, together), "utf-8")
        print((out / "summary.md").read_text("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
