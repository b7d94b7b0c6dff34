"""The Excel add-in, checked link by link because no Excel runs here.

ribbon onAction -> VBA Sub(control As IRibbonControl) -> RunPython string ->
``xl_addin.buttons`` function; and the built ``.xlam`` really contains those
sources (read back with oletools, an independent VBA reader), and opens in
LibreOffice.
"""

from __future__ import annotations

import ast
import importlib
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from xl_addin.core.errors import DdciError
from xl_addin.excel.addin import (
    ADDIN_VERSION,
    CUSTOM_PROPS_PART,
    NS_CUSTOMUI_2006,
    NS_CUSTOMUI_2009,
    PROP_ADDIN_VERSION,
    PROP_XLWINGS_VERSION,
    REL_CUSTOM_PROPS,
    REL_UI_2007,
    REL_UI_2010,
    RIBBON_PART_2007,
    RIBBON_PART_2010,
    build_addin,
    macros_dir,
    packaged_addin_path,
    read_addin_properties,
    read_addin_ribbon,
    repo_addin_path,
)

BUTTON_FUNCTIONS = (
    "tao_bieu_mau",
    "gui_bieu_mau",
    "kiem_tra",
    "nhac_nop",
    "tong_hop",
    "bien_dong_chi_so",
    "nam_moi",
    "xuat_ke_hoach",
    "xuat_bao_cao",
    "mo_thu_muc",
    "chan_doan",
)
MACROS = macros_dir()
RIBBON = MACROS / "customUI.xml"
REBUILD_HINT = (
    "workbooks/ddci.xlam is stale; rebuild it with "
    '`python -c "from pathlib import Path; from xl_addin.excel.addin import build_addin; '
    "build_addin(Path('workbooks/ddci.xlam'))\"` (or `ddci build-addin --out workbooks/ddci.xlam`)"
)

_SUB_RE = re.compile(
    r"^(?:(?:Public|Private)\s+)?Sub\s+(\w+)\s*\(([^)]*)\)\s*$(.*?)^End\s+Sub\s*$",
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
_RUNPYTHON_RE = re.compile(r'\bRunPython\s*\(?\s*"((?:[^"]|"")*)"')


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _bas_files() -> list[Path]:
    files = sorted(MACROS.glob("*.bas"))
    assert files, "macros/ holds no .bas file"
    return files


def _module_name(path: Path) -> str:
    match = re.search(r'^Attribute\s+VB_Name\s*=\s*"([^"]+)"', path.read_text("ascii"), re.MULTILINE)
    return match.group(1) if match else path.stem


def _subs() -> dict[str, tuple[str, str, str]]:
    """``{sub name: (module, parameters, body)}`` across macros/*.bas."""
    subs: dict[str, tuple[str, str, str]] = {}
    for path in _bas_files():
        text = path.read_text("ascii").replace("\r\n", "\n")
        for match in _SUB_RE.finditer(text):
            name, params, body = match.groups()
            assert name not in subs, f"Sub {name} is defined twice"
            subs[name] = (_module_name(path), params, body)
    return subs


def _ribbon_root() -> ET.Element:
    return ET.fromstring(RIBBON.read_bytes())


def _ns(root: ET.Element) -> str:
    return root.tag.split("}")[0].lstrip("{")


def _buttons() -> list[ET.Element]:
    root = _ribbon_root()
    return list(root.iter(f"{{{_ns(root)}}}button"))


def _runpython_commands() -> list[str]:
    commands = []
    for path in _bas_files():
        commands += [m.group(1).replace('""', '"') for m in _RUNPYTHON_RE.finditer(path.read_text("ascii"))]
    return commands


def _called_function(command: str) -> str:
    """``import xl_addin.buttons as b; b.kiem_tra()`` -> ``kiem_tra`` (only that exact shape is allowed)."""
    tree = ast.parse(command)
    assert len(tree.body) == 2, command
    imp, call = tree.body
    assert isinstance(imp, ast.Import) and len(imp.names) == 1, command
    assert imp.names[0].name == "xl_addin.buttons", command
    alias = imp.names[0].asname or "xl_addin.buttons"
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call), command
    func = call.value.func
    assert isinstance(func, ast.Attribute) and ast.unparse(func.value) == alias, command
    assert not call.value.args and not call.value.keywords, command
    return func.attr


def _normalise_vba(code: str) -> list[str]:
    lines = [line.rstrip() for line in code.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if not line.startswith("Attribute VB_Name")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _olevba_modules(path: Path) -> dict[str, str]:
    """Modules as oletools (independent of pyopenvba, which wrote them) reads them."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros(), f"no VBA project found in {path}"
        return {Path(vba_name).stem: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()


def _assert_vba_matches_sources(addin: Path) -> None:
    modules = _olevba_modules(addin)
    for path in _bas_files():
        name = _module_name(path)
        assert name in modules, f"module {name} missing from {addin.name}"
        assert _normalise_vba(modules[name]) == _normalise_vba(path.read_text("ascii")), (
            f"module {name} in {addin.name} differs from {path.name}"
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "ddci.xlam"
    assert build_addin(out) == out
    return out


# ---------------------------------------------------------------------------
# sources: ribbon <-> VBA <-> Python
# ---------------------------------------------------------------------------


def test_ribbon_has_ddci_tab_with_vietnamese_large_buttons() -> None:
    root = _ribbon_root()
    assert _ns(root) in (NS_CUSTOMUI_2009, NS_CUSTOMUI_2006)
    tabs = list(root.iter(f"{{{_ns(root)}}}tab"))
    assert [t.get("label") for t in tabs] == ["DDCI"]
    groups = [g.get("label") for g in root.iter(f"{{{_ns(root)}}}group")]
    assert {"Quy trình tháng", "Văn bản", "Tiện ích"} <= set(groups)
    buttons = _buttons()
    assert len(buttons) == len(BUTTON_FUNCTIONS)
    ids = [b.get("id") for b in buttons]
    assert len(set(ids)) == len(ids), "button ids must be unique"
    for button in buttons:
        label = button.get("label") or ""
        assert button.get("size") == "large", label
        assert button.get("imageMso"), label
        assert button.get("screentip") and button.get("supertip"), label
        assert not (label + (button.get("supertip") or "")).isascii(), f"{label}: expected Vietnamese text"
    labels = {b.get("label") for b in buttons}
    assert {"Tạo biểu mẫu", "Gửi biểu mẫu", "Kiểm tra", "Nhắc nộp", "Tổng hợp", "Biến động chỉ số", "Năm mới"} <= labels
    assert {"Xuất Kế hoạch", "Xuất Báo cáo", "Mở thư mục", "Chẩn đoán"} <= labels


def test_every_on_action_has_a_ribbon_sub() -> None:
    subs = _subs()
    actions = [b.get("onAction") for b in _ribbon_root().iter() if b.get("onAction") is not None]
    assert len(actions) == len(BUTTON_FUNCTIONS)
    for action in actions:
        module, _, sub = action.rpartition(".")
        assert sub in subs, f"onAction {action!r} names no Sub in macros/*.bas"
        sub_module, params, _ = subs[sub]
        if module:
            assert module == sub_module, f"onAction {action!r}: module {module}, Sub is in {sub_module}"
        assert re.fullmatch(r"\s*(ByRef\s+|ByVal\s+)?\w+\s+As\s+IRibbonControl\s*", params), (
            f"Sub {sub}({params}) must take exactly one IRibbonControl parameter"
        )


def test_every_ribbon_sub_is_wired_to_a_button() -> None:
    actions = {b.get("onAction", "").rpartition(".")[2] for b in _buttons()}
    ribbon_subs = {name for name, (_, params, _) in _subs().items() if "IRibbonControl" in params}
    assert ribbon_subs == actions


def test_runpython_strings_name_the_button_functions() -> None:
    called = [_called_function(command) for command in _runpython_commands()]
    assert sorted(called) == sorted(BUTTON_FUNCTIONS), "one RunPython per button function, no others"


def test_runpython_functions_exist_in_buttons_module() -> None:
    buttons = importlib.import_module("xl_addin.buttons")
    for name in (_called_function(c) for c in _runpython_commands()):
        assert hasattr(buttons, name), f"xl_addin.buttons has no {name}()"
        assert callable(getattr(buttons, name))


def test_bas_files_are_pure_ascii() -> None:
    for path in _bas_files():
        data = path.read_bytes()
        bad = [i for i, byte in enumerate(data) if byte > 0x7F]
        assert not bad, f"{path.name}: non-ASCII byte at offset {bad[0]}"


def test_each_sub_body_is_one_line() -> None:
    for name, (_, _, body) in _subs().items():
        lines = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
        assert len(lines) == 1, f"Sub {name} must be a one-line shim, has {len(lines)} lines"
        assert not lines[0].endswith(" _"), f"Sub {name}: no line continuations"


def test_version_constant_matches_addin_version() -> None:
    text = "\n".join(p.read_text("ascii") for p in _bas_files())
    found = re.findall(r'Public\s+Const\s+DDCI_ADDIN_VERSION\s+As\s+String\s*=\s*"([^"]+)"', text)
    assert found == [ADDIN_VERSION]


# ---------------------------------------------------------------------------
# the built add-in
# ---------------------------------------------------------------------------


def test_built_vba_matches_macros(built: Path) -> None:
    _assert_vba_matches_sources(built)


def test_built_addin_keeps_xlwings_runpython_and_drops_demo(built: Path) -> None:
    modules = _olevba_modules(built)
    assert "xlwings" in modules and "Function RunPython(" in modules["xlwings"]
    assert "Dictionary" in modules, "xlwings' Dictionary class (used on Mac) must stay"
    assert "RibbonMyAddin" not in modules, "the quickstart demo module must be removed"
    # The add-in must read ~/.xlwings/xlwings.conf, the file setup_excel writes and doctor checks.
    assert re.search(r'PROJECT_NAME As String = "xlwings"', modules["xlwings"])
    ours = {_module_name(p) for p in _bas_files()}
    documents = {"ThisWorkbook", "Sheet2"}
    assert set(modules) == {"xlwings", "Dictionary"} | ours | documents


def test_built_ribbon_part_equals_source(built: Path) -> None:
    assert read_addin_ribbon(built) == RIBBON.read_bytes()
    modern = _ns(_ribbon_root()) == NS_CUSTOMUI_2009
    expected_part = RIBBON_PART_2010 if modern else RIBBON_PART_2007
    expected_rel = REL_UI_2010 if modern else REL_UI_2007
    with zipfile.ZipFile(built) as z:
        names = set(z.namelist())
        assert z.testzip() is None
        rels = ET.fromstring(z.read("_rels/.rels"))
        types = z.read("[Content_Types].xml").decode()
    assert expected_part in names
    assert {RIBBON_PART_2010, RIBBON_PART_2007} & names == {expected_part}, "only our ribbon part"
    by_type: dict[str, list[str]] = {}
    for rel in rels:
        by_type.setdefault(rel.get("Type", ""), []).append(rel.get("Target", ""))
        assert rel.get("Target", "").lstrip("/") in names, f"dangling relationship {rel.attrib}"
    assert by_type.get(expected_rel) == [expected_part]
    assert {REL_UI_2010, REL_UI_2007} & set(by_type) == {expected_rel}
    assert by_type.get(REL_CUSTOM_PROPS) == [CUSTOM_PROPS_PART]
    assert f'PartName="/{CUSTOM_PROPS_PART}"' in types


def test_built_addin_records_versions(built: Path) -> None:
    import xlwings

    props = read_addin_properties(built)
    assert props[PROP_ADDIN_VERSION] == ADDIN_VERSION
    assert props[PROP_XLWINGS_VERSION] == xlwings.__version__


def test_built_project_passes_pyopenvba_integrity_checks(built: Path) -> None:
    from pyopenvba import ExcelFile, check_file

    assert check_file(built).issues == ()
    with ExcelFile(built) as book:
        assert book.validate() == []


def test_build_adds_extra_modules(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    macros.mkdir()
    for path in [RIBBON, *_bas_files()]:
        (macros / path.name).write_bytes(path.read_bytes())
    (macros / "Extra.bas").write_text('Attribute VB_Name = "Extra"\nSub Noop()\nEnd Sub\n', "ascii")
    modules = _olevba_modules(build_addin(tmp_path / "x.xlam", macros=macros))
    assert {"Extra", "xlwings"} | {_module_name(p) for p in _bas_files()} <= set(modules)
    assert "RibbonMyAddin" not in modules
    assert _normalise_vba(modules["Extra"]) == ["Sub Noop()", "End Sub"]


def test_build_is_reproducible(built: Path, tmp_path: Path) -> None:
    again = build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == built.read_bytes()


def test_build_failure_leaves_previous_file_untouched(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "customUI.xml").write_bytes(RIBBON.read_bytes())
    bad = 'Attribute VB_Name = "Bad"\nSub A()\n    MsgBox "Lỗi"\nEnd Sub\n'
    (macros / "Bad.bas").write_text(bad, "utf-8")
    out = tmp_path / "ddci.xlam"
    out.write_bytes(b"previous")
    with pytest.raises(DdciError, match="ASCII"):
        build_addin(out, macros=macros)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ddci.xlam", "macros"], "no temp file left behind"


def test_build_rejects_version_mismatch(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "customUI.xml").write_bytes(RIBBON.read_bytes())
    source = 'Attribute VB_Name = "V"\nPublic Const DDCI_ADDIN_VERSION As String = "9.9.9"\n'
    (macros / "V.bas").write_text(source, "ascii")
    with pytest.raises(DdciError, match="ADDIN_VERSION"):
        build_addin(tmp_path / "x.xlam", macros=macros)
    assert not (tmp_path / "x.xlam").exists()


def test_committed_addin_is_up_to_date() -> None:
    shipped = [repo_addin_path()] + ([packaged_addin_path()] if packaged_addin_path().is_file() else [])
    assert shipped[0].is_file(), REBUILD_HINT
    for committed in shipped:
        _assert_vba_matches_sources(committed)
        assert read_addin_ribbon(committed) == RIBBON.read_bytes(), f"{committed}: {REBUILD_HINT}"
        assert read_addin_properties(committed).get(PROP_ADDIN_VERSION) == ADDIN_VERSION, REBUILD_HINT


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_built_addin(built: Path, tmp_path: Path) -> None:
    from tests.support.libreoffice import libreoffice_convert

    # LibreOffice does not detect the .xlam extension by itself; name the OOXML+VBA import filter.
    converted = libreoffice_convert(built, tmp_path / "out", infilter="Calc MS Excel 2007 VBA XML")
    assert converted.name == "ddci.xlsx"
    import openpyxl

    book = openpyxl.load_workbook(converted)
    assert book.sheetnames == ["_xlwings.conf"]
