"""``ddci``: the command-line front end. Thin: parse, call an action, present, exit.

Domain errors become a Vietnamese message on stderr and an exit code (1: the data
has problems to fix, 2: the workspace cannot be read); an unexpected error writes
its traceback to a log file and says where, never a raw traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from xl_addin import __version__
from xl_addin.errors import EXIT_UNREADABLE, DdciError, MasterDataError

Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "") -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _progress(message: str, done: int = 0, total: int = 0) -> None:
    if sys.stderr.isatty() or total:
        suffix = f" {done}/{total}" if total else ""
        _err(f"{message}{suffix}")


def _port(args: argparse.Namespace):
    from xl_addin.ports import FilePort

    return FilePort(Path(args.dir), _progress if not getattr(args, "json", False) else None)


def cmd_init(args: argparse.Namespace) -> int:
    from xl_addin.actions import init_workspace

    result = init_workspace(Path(args.dir))
    _out(f"Đã tạo thư mục làm việc: {result.workspace.root}")
    _out(f"  Bảng tính chính: {result.master}")
    _out(f"  Thư mục nhận báo cáo: {result.workspace.inbox}")
    return 0


def _print_changes(result) -> None:
    from xl_addin.schema import GROUP_LABELS

    _out(f"BIẾN ĐỘNG CHỈ SỐ THÀNH PHẦN NĂM {result.year} SO VỚI NĂM {result.base_year}")
    if result.overall:
        _out(f"Xếp hạng chung: {result.overall}.")
    for c in result.changes:
        _out("")
        _out(f"{c.code}. Chỉ số “{c.name}” — nhóm: {GROUP_LABELS.get(c.group, c.group)}")
        _out(f"   - Về điểm số: {c.score_sentence}.")
        _out(f"   - Về thứ hạng: {c.rank_sentence}.")
        _out(f"   - Đánh giá chung: {c.assessment}")
        for w in c.warnings:
            _out(f"   ! Cảnh báo: {w}")


def cmd_changes(args: argparse.Namespace) -> int:
    from xl_addin.actions import indicator_changes

    result = indicator_changes(_port(args), write=not args.json)
    if args.json:
        print(json.dumps([c.as_json() for c in result.changes], ensure_ascii=False, indent=2))
        return 0
    _print_changes(result)
    if result.output:
        _out(f"\nĐã ghi: {result.output}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from xl_addin.demo import run_demo

    result = run_demo(Path(args.dir), progress=_progress, force=args.force)
    _out("Chạy thử trên dữ liệu mẫu (Kế hoạch DDCI 2024 của Sở Tài nguyên và Môi trường tỉnh Lạng Sơn):")
    for label, path in result.outputs:
        _out(f"  {label}: {path}")
    for line in result.notes:
        _out(f"  {line}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ddci",
        description="Theo dõi Kế hoạch nâng cao chỉ số DDCI: bảng tính chính, biểu mẫu, kiểm tra, tổng hợp, "
        "văn bản Word theo Nghị định 30/2020/NĐ-CP.",
    )
    parser.add_argument("--version", action="version", version=f"ddci {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    sub.required = True

    p = sub.add_parser("init", help="Tạo thư mục làm việc mới từ Kế hoạch mẫu")
    p.add_argument("dir", help="thư mục làm việc")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="Chạy toàn bộ quy trình trên dữ liệu mẫu")
    p.add_argument("dir", nargs="?", default="ddci-demo", help="thư mục để tạo (mặc định: ddci-demo)")
    p.add_argument("--force", action="store_true", help="xóa thư mục demo cũ (nếu có) rồi tạo lại")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("changes", help="Biến động điểm số, thứ hạng các chỉ số thành phần")
    p.add_argument("dir", help="thư mục làm việc")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_changes)
    return parser


def _log_crash(args: argparse.Namespace | None) -> Path:
    import datetime as dt
    import tempfile

    folder = None
    if args is not None and getattr(args, "dir", None):
        candidate = Path(args.dir) / ".ddci" / "logs"
        if candidate.parent.is_dir():
            folder = candidate
    folder = folder or Path(tempfile.gettempdir()) / "ddci-logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except MasterDataError as exc:
        _err(f"Lỗi: {exc.message}")
        return exc.exit_code
    except DdciError as exc:
        _err(f"Lỗi: {exc.message}")
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head`
        return 0
    except KeyboardInterrupt:
        _err("Đã dừng theo yêu cầu.")
        return 130
    except Exception:
        log = _log_crash(args)
        _err(f"Lỗi không mong đợi. Chi tiết kỹ thuật đã ghi vào: {log}. Hãy gửi tệp này cho bộ phận CNTT.")
        return EXIT_UNREADABLE
