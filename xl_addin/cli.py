"""``ddci``: the command-line front end. Thin: parse, call an action, present, exit.

Domain errors become a Vietnamese message on stderr and an exit code
(``core.errors.ExitCode``: 1 something to fix, 2 usage, 3 workspace missing or
unreadable, 4 busy, 5 unexpected); an unexpected error, a Rust panic from a reader
included, writes its traceback to a log file and says where, never a raw traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from xl_addin import __version__
from xl_addin.core.contracts import Category, Group, Severity
from xl_addin.core.errors import DdciError, ExitCode, OutputExistsError

Handler = Callable[[argparse.Namespace], int]

# argparse's own words, in Vietnamese (it looks them up through gettext at call time).
_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
}


@contextlib.contextmanager
def _vietnamese_argparse() -> Iterator[None]:
    """argparse's messages in Vietnamese while ``ddci`` parses (argparse looks them up through ``_`` at call time).

    Scoped to the parse, and restored after it, so importing ``xl_addin.cli`` changes no
    other program's argparse.
    """
    saved = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: _ARGPARSE_VI.get(text, saved(text))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]


def _out(text: str = "") -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _progress(message: str, done: int = 0, total: int = 0) -> None:
    from xl_addin.excel.ports import progress_text

    if sys.stderr.isatty() or total:
        _err(progress_text(message, done, total))


def _port(args: argparse.Namespace):
    from xl_addin.excel.ports import FilePort

    return FilePort(Path(args.dir), _progress if not getattr(args, "json", False) else None)


def cmd_init(args: argparse.Namespace) -> int:
    from xl_addin.actions import init_workspace

    result = init_workspace(Path(args.dir))
    _out(f"Đã tạo thư mục làm việc: {result.workspace.root}")
    _out(f"  Bảng tính chính: {result.master}")
    _out(f"  Thư mục nhận báo cáo: {result.workspace.inbox}")
    return 0


def _print_changes(result) -> None:
    _out(f"BIẾN ĐỘNG CHỈ SỐ THÀNH PHẦN NĂM {result.year} SO VỚI NĂM {result.base_year}")
    if result.to_enter:
        _out("CÒN THIẾU SỐ LIỆU:")
        for line in result.to_enter:
            _out(f"  - {line}")
    if result.overall:
        _out(f"Xếp hạng chung: {result.overall}.")
    for c in result.changes:
        _out("")
        group = Group(c.group).label if c.has_data or c.group != c.group_computed else "chưa xác định (thiếu số liệu)"
        _out(f"{c.code}. Chỉ số “{c.name}” — nhóm: {group}")
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


def cmd_templates(args: argparse.Namespace) -> int:
    from xl_addin.actions import make_templates

    result = make_templates(_port(args), args.period, shared=args.shared)
    _out(f"Đã tạo {len(result.files)} biểu mẫu {result.period.name} trong {result.folder}:")
    for path in result.files:
        _out(f"  {path.name}")
    return 0


def _severity(severity: Severity) -> str:
    """``LỖI`` stands out in a terminal list; warnings keep their case."""
    return severity.label.upper() if severity == Severity.ERROR else severity.label


def _print_findings(outcome) -> None:
    result = outcome.result
    by_file: dict[str, list] = {}
    for f in result.findings:
        by_file.setdefault(f.file or "(không có tệp)", []).append(f)
    _out(f"KIỂM TRA BÁO CÁO {result.period.name.upper()} — {len(result.files)} tệp")
    for label, items in by_file.items():
        _out("")
        _out(f"{label}")
        for f in items:
            where = "!".join(x for x in (f.sheet, f.cell) if x)
            unit = f"[{f.unit}] " if f.unit else ""
            place = f"{where}: " if where else ""
            _out(f"  {_severity(f.severity):<9} {unit}{place}{f.message} ({f.rule})")
    _out("")
    _out("Tình trạng nộp:")
    for u in result.units:
        when = f" — nhận {u.received:%H:%M %d/%m/%Y}" if u.received else ""
        _out(f"  {u.unit:<8} {u.state.label:<16} {u.name}{when}")
    _out("")
    _out(f"Tổng cộng: {len(result.errors)} lỗi, {len(result.warnings)} cảnh báo.")
    if outcome.findings_file:
        _out(f"Danh sách lỗi: {outcome.findings_file}")
    if outcome.returned:
        _out(f"Tệp trả lại đơn vị (đã tô màu ô lỗi): {outcome.returned[0].parent}")


def cmd_validate(args: argparse.Namespace) -> int:
    from xl_addin.actions import validate_submissions

    outcome = validate_submissions(_port(args), args.period, write_outputs=not args.json)
    if args.json:
        print(json.dumps([f.as_dict() for f in outcome.result.findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(outcome)
    return 1 if outcome.has_errors else 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    from xl_addin.actions import consolidate_submissions

    outcome = consolidate_submissions(_port(args), args.period)
    cons = outcome.consolidation
    if args.json:
        data = {
            "period": cons.period_code,
            "output": str(outcome.output),
            "by_indicator": json.loads(cons.by_indicator.to_json(orient="records", force_ascii=False)),
            "by_unit": json.loads(cons.by_unit.to_json(orient="records", force_ascii=False, date_format="iso")),
            "rows": cons.row_count,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    result = outcome.validation.result
    _out(
        f"TỔNG HỢP {cons.period_name.upper()}: {cons.row_count} dòng báo cáo từ {len(result.accepted)} đơn vị "
        f"(bỏ qua tệp có lỗi)."
    )
    for rec in cons.table["by_indicator"].records():  # plain values: no pandas for the printout
        counts = ", ".join(f"{k.label.lower()} {rec[k]}" for k in Category if rec[k])
        _out(f"  {rec['indicator']}: {rec['tasks']} nhiệm vụ ({counts})")
    _out(f"Lưu trữ: {outcome.archived_new} bản mới, {outcome.archived_known} bản đã có.")
    _out(f"Đã ghi: {outcome.output}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from xl_addin.history_actions import export_originals, history

    if args.export:
        exported = export_originals(_port(args), Path(args.export))
        _out(f"Đã chép {len(exported.written)} tệp gốc đã lưu trữ vào {args.export}.")
        for path in exported.written:
            _out(f"  {path}")
        if exported.missing:
            _out(f"Không còn bản gốc của {len(exported.missing)} tệp: {', '.join(exported.missing)}.")
        return 0
    items = history(_port(args))
    if not items:
        _out("Chưa có báo cáo nào được lưu trữ (chạy “ddci consolidate” để lưu).")
        return 0
    _out(f"{'Kỳ':<9} {'Đơn vị':<8} {'Tình trạng':<12} {'Nhận lúc':<17} Tệp")
    for s in items:
        state = "hiện hành" if s.current else "đã thay thế"
        _out(f"{s.period:<9} {s.unit:<8} {state:<12} {s.received_at:%H:%M %d/%m/%Y} {s.file_name}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from xl_addin.actions import make_report

    date = None
    if args.date:
        try:
            date = dt.datetime.strptime(args.date, "%d/%m/%Y").date()
        except ValueError:
            _err(f"Lỗi: ngày “{args.date}” không đúng dạng ngày/tháng/năm, VD: 05/02/2024.")
            return ExitCode.USAGE
    outcome = make_report(
        _port(args),
        args.kind,
        args.period,
        out=Path(args.out) if args.out else None,
        force=args.force,
        pdf=args.pdf,
        number=args.number,
        date=date,
    )
    for note in outcome.notes:
        _err(f"Lưu ý mẫu văn bản: {note}")
    _out(f"Đã tạo văn bản: {outcome.output}")
    if outcome.pdf:
        _out(f"Bản PDF: {outcome.pdf}")
    return 0


def _print_outbox(outcome, what: str) -> None:
    _out(f"Đã tạo {len(outcome.files)} thư nháp {what} trong {outcome.folder}:")
    for draft, path in zip(outcome.drafts, outcome.files, strict=True):
        to = ", ".join(draft.to) or "(chưa có địa chỉ)"
        attached = f" + {draft.attachment.name}" if draft.attachment else ""
        state = f"[{draft.state.label}] " if draft.state else ""
        _out(f"  {state}{path.name} → {to}{attached}")
    if outcome.zalo:
        _out(f"Tin nhắn Zalo: {outcome.zalo}")
    if outcome.without_address:
        _out(f"Chưa có địa chỉ email (gõ khi gửi, hoặc nhắn Zalo): {', '.join(outcome.without_address)}.")
    for w in outcome.warnings:
        _err(f"Cảnh báo: {w}")
    _out("Mở từng tệp .eml (Outlook mở thành thư nháp), xem lại rồi bấm Gửi.")


def cmd_send(args: argparse.Namespace) -> int:
    from xl_addin.routine_actions import send_templates

    outcome = send_templates(_port(args), args.period, force=args.force)
    _print_outbox(outcome, "gửi biểu mẫu")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from xl_addin.routine_actions import remind_units

    outcome = remind_units(_port(args), args.period, force=args.force)
    if not outcome.drafts:
        _out(f"Không có đơn vị nào cần nhắc: tất cả đã nộp đúng hạn, không có lỗi ({outcome.folder.parent.name}).")
    else:
        _print_outbox(outcome, "nhắc nộp, trả lại")
    for label in outcome.unrouted:
        _out(f"Tệp có lỗi không rõ của đơn vị nào (xem danh sách lỗi, liên hệ người gửi): {label}")
    return 0


def cmd_new_year(args: argparse.Namespace) -> int:
    from xl_addin.routine_actions import start_new_year

    outcome = start_new_year(_port(args), args.year, Path(args.out))
    nxt = outcome.next_year
    _out(f"Đã tạo thư mục làm việc cho Kế hoạch năm {nxt.plan.settings.plan_year}: {outcome.workspace.root}")
    _out(f"  Bảng tính chính: {outcome.workspace.master}")
    _out(f"  Chỉ số: năm gốc {nxt.base_year}, năm đánh giá {nxt.score_year} (chưa có số liệu).")
    _out(f"  Kỳ báo cáo hiện tại: {nxt.plan.settings.current_period}; thư mục cũ {args.dir} giữ nguyên.")
    for path in outcome.word_templates:
        _out(f"  Mẫu Word riêng đã chép: {path.name}")
    _out("Việc cần làm tiếp:")
    for n, line in enumerate(nxt.todo, start=1):
        _out(f"  {n}. {line}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from xl_addin.tools.doctor import all_ok, format_checklist, run_checks

    checks = run_checks(Path(args.dir) if args.dir else None)
    _out(format_checklist(checks))
    return 0 if all_ok(checks) else 1


def cmd_setup_excel(args: argparse.Namespace) -> int:
    from xl_addin.excel.install import setup_excel

    for line in setup_excel(args.python, dry_run=args.dry_run):
        _out(line)
    return 0


def cmd_build_addin(args: argparse.Namespace) -> int:
    from xl_addin.excel.addin import build_addin

    out = build_addin(Path(args.out))
    _out(f"Đã tạo add-in: {out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from xl_addin.tools.bench import format_benches, run_benches

    if any(n < 1 for n in args.units) or (args.repeat is not None and args.repeat < 1):
        _err("Lỗi: số đơn vị và số lần đo phải từ 1 trở lên.")
        return ExitCode.USAGE
    results = run_benches(
        Path(args.dir),
        args.units,
        progress=None if args.json else _progress,
        repeat=args.repeat,
        commands=not args.no_commands,
    )
    if args.json:
        data = [asdict(r) for r in results]
        print(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2, default=str))
    else:
        _out(format_benches(results))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from xl_addin.tools.demo import run_demo

    result = run_demo(Path(args.dir), progress=_progress, force=args.force)
    _out("Chạy thử trên dữ liệu mẫu (Kế hoạch DDCI 2024 của Sở Tài nguyên và Môi trường tỉnh Lạng Sơn):")
    for label, path in result.outputs:
        _out(f"  {label}: {path}")
    for line in result.notes:
        _out(f"  {line}")
    return 0


def _workspace_command(
    sub, name: str, help_text: str, func: Handler, *, period: bool = False, json: bool = False
) -> argparse.ArgumentParser:
    """A sub-command on a workspace folder, with the usual --period / --json options."""
    p = sub.add_parser(name, help=help_text)
    p.add_argument("dir", metavar="THƯ_MỤC", help="thư mục làm việc")
    if period:
        p.add_argument("--period", help="mã kỳ, VD: 2024-03, 2024-Q1, 2024-H1, 2024 (mặc định: kỳ hiện tại)")
    if json:
        p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=func)
    return p


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
    p.add_argument("dir", metavar="THƯ_MỤC", help="thư mục làm việc")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="Chạy toàn bộ quy trình trên dữ liệu mẫu")
    p.add_argument(
        "dir", metavar="THƯ_MỤC", nargs="?", default="ddci-demo", help="thư mục để tạo (mặc định: ddci-demo)"
    )
    p.add_argument("--force", action="store_true", help="xóa thư mục demo cũ (nếu có) rồi tạo lại")
    p.set_defaults(func=cmd_demo)

    _workspace_command(sub, "changes", "Biến động điểm số, thứ hạng các chỉ số thành phần", cmd_changes, json=True)
    p = _workspace_command(sub, "templates", "Tạo biểu mẫu báo cáo cho các phòng, đơn vị", cmd_templates, period=True)
    p.add_argument("--shared", action="store_true", help="một tệp chung, mỗi đơn vị một trang")
    _workspace_command(sub, "validate", "Kiểm tra các tệp trong thư mục nop/", cmd_validate, period=True, json=True)
    _workspace_command(
        sub, "consolidate", "Tổng hợp các báo cáo hợp lệ và lưu trữ", cmd_consolidate, period=True, json=True
    )
    p = _workspace_command(
        sub, "send", "Thư nháp gửi biểu mẫu cho từng đơn vị (.eml) và tin Zalo", cmd_send, period=True
    )
    p.add_argument("--force", action="store_true", help="ghi đè thư nháp của lần chạy trước")
    p = _workspace_command(
        sub, "remind", "Sau khi kiểm tra: thư nhắc đơn vị chưa nộp, nộp muộn, có lỗi", cmd_remind, period=True
    )
    p.add_argument("--force", action="store_true", help="ghi đè thư nhắc đã tạo trong ngày")
    p = _workspace_command(sub, "new-year", "Tạo thư mục làm việc cho Kế hoạch năm sau", cmd_new_year)
    p.add_argument("--year", type=int, required=True, help="năm của Kế hoạch mới (năm liền sau)")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC_MỚI", help="thư mục làm việc mới (chưa có)")
    p = _workspace_command(sub, "history", "Lịch sử các kỳ và đơn vị đã nộp", cmd_history)
    p.add_argument("--export", metavar="THƯ_MỤC_CHÉP", help="chép các tệp gốc đã lưu trữ ra thư mục này, theo kỳ")
    p = _workspace_command(
        sub, "report", "Xuất Kế hoạch hoặc Báo cáo (Word, Nghị định 30/2020/NĐ-CP)", cmd_report, period=True
    )
    p.add_argument("--kind", required=True, choices=["ke-hoach", "bao-cao"], help="loại văn bản")
    p.add_argument("--out", help="tệp .docx sẽ tạo (mặc định: trong thư mục bao_cao/)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    p.add_argument("--pdf", action="store_true", help="chuyển thêm sang PDF (cần LibreOffice)")
    p.add_argument("--number", type=int, help="số văn bản (để trống để điền khi ký)")
    p.add_argument("--date", help="ngày văn bản dạng ngày/tháng/năm (để trống để điền khi ký)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("doctor", help="Chẩn đoán cài đặt (Python, xlwings, add-in, thư mục, phông chữ)")
    p.add_argument("dir", metavar="THƯ_MỤC", nargs="?", help="thư mục làm việc (không bắt buộc)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("setup-excel", help="Cài add-in DDCI vào Excel và cấu hình xlwings (Windows)")
    p.add_argument("--python", help="đường dẫn python.exe (mặc định: Python đang chạy)")
    p.add_argument("--dry-run", action="store_true", help="chỉ liệt kê việc sẽ làm")
    p.set_defaults(func=cmd_setup_excel)

    p = sub.add_parser("build-addin", help="Đóng gói add-in ddci.xlam từ thư mục macros/")
    p.add_argument("--out", default="ddci.xlam", help="tệp add-in sẽ tạo")
    p.set_defaults(func=cmd_build_addin)

    p = sub.add_parser("bench", help="Đo tốc độ trên dữ liệu giả lập N đơn vị, so với cách đọc thông thường")
    p.add_argument("dir", metavar="THƯ_MỤC", help="thư mục để tạo dữ liệu giả lập")
    p.add_argument(
        "--units", type=int, nargs="+", default=[10, 100, 1000], help="số đơn vị, một hay nhiều (mặc định 10 100 1000)"
    )
    p.add_argument("--repeat", type=int, help="số lần đo mỗi bước (mặc định 3)")
    p.add_argument("--no-commands", action="store_true", help="chỉ đo các bước trong một tiến trình, không đo cả lệnh")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_bench)
    return parser


def _log_crash(args: argparse.Namespace | None) -> Path:
    from xl_addin.files.runlog import write_traceback

    return write_traceback(_workspace_root(args))


def _workspace_root(args: argparse.Namespace | None) -> Path | None:
    root = getattr(args, "dir", None) if args is not None else None
    return Path(root) if root else None


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = None
    try:
        with _vietnamese_argparse():
            args = build_parser().parse_args(argv)
        from xl_addin.files.runlog import routed_to_log

        with routed_to_log(_workspace_root(args)):
            return int(args.func(args))
    except OutputExistsError as exc:
        other = ", hoặc --out để chọn tên khác" if hasattr(args, "out") else ""
        _err(f"Lỗi: {exc.message} Dùng --force để ghi đè{other}.")
        return exc.exit_code
    except DdciError as exc:
        _err(f"Lỗi: {exc.message}")
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head`
        return ExitCode.CLEAN
    except KeyboardInterrupt:
        _err("Đã dừng theo yêu cầu.")
        return 130
    except SystemExit:  # argparse: --help, --version, or a usage error (code 2), already printed
        raise
    except BaseException:  # anything else, a Rust panic from a reader (PanicException) included
        log = _log_crash(args)
        _err(f"Lỗi không mong đợi. Chi tiết kỹ thuật đã ghi vào: {log}. Hãy gửi tệp này cho bộ phận CNTT.")
        return ExitCode.CRASH
