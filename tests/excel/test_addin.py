"""The Excel add-in, checked link by link because no Excel runs here.

ribbon onAction -> VBA Sub(control As IRibbonControl) -> ``DdciRun "<function>"`` ->
its guards -> RunPython string -> ``xl_addin.buttons`` function; and the built ``.xlam``
really contains those sources (read back with oletools, an independent VBA reader),
carries its settings sheet, is named DDCI and locked for viewing (decoded with
ms-ovba-crypto, an independent MS-OVBA implementation), and opens in LibreOffice.
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

#: The eight buttons of issue #12; more may be added (each test reads the ribbon itself).
KNOWN_FUNCTIONS = (
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
#: imageMso names in Excel's own control lists for Office 2013, 2016, 2019 and Microsoft 365
#: (OfficeDev/office-fluent-ui-command-identifiers, excelcontrols.xlsx). Word/Access names such as
#: ExportWord or CreateReport are not there and may show a blank icon.
EXCEL_IMAGE_MSO = frozenset(
    (
        "FileNew",
        "FileNewDefault",
        "TableStyleNew",
        "DataValidation",
        "ErrorChecking",
        "TraceError",
        "Consolidate",
        "AutoSum",
        "ChartInsert",
        "PivotChartInsert",
        "ChartTypeColumnInsertGallery",
        "ChartTypeLineInsertGallery",
        "ChartTypeAllInsertDialog",
        "ChartTrendline",
        "FileSaveAs",
        "FileSaveAsOtherFormats",
        "FileSaveAsPdfOrXps",
        "FilePrintPreview",
        "FileDocumentInspect",
        "FileProperties",
        "FileOpen",
        "FileOpenUsingBackstage",
        "Help",
        "AccessibilityChecker",
        "ReviewTrackChangesMenu",
        "OutlineSubtotals",
        "SortDialog",
        "HyperlinkInsert",
        # Gửi biểu mẫu, Nhắc nộp, Năm mới (in OfficeDev's Excel control lists, Office 2013 to Microsoft 365)
        "FileSendAsAttachment",
        "ReviewNewComment",
        "HeaderFooterCurrentDate",
    )
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
_DDCIRUN_RE = re.compile(r'^\s*DdciRun\s+"(\w+)"(\s*,\s*True)?\s*$')
_CONST_RE = re.compile(r'^Private Const (MSG_\w+) As String = "([^"]*)"', re.MULTILINE)


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


def _button_functions() -> list[str]:
    """The function each ribbon Sub hands to DdciRun, in ribbon order."""
    subs = _subs()
    out = []
    for button in _buttons():
        _, _, body = subs[button.get("onAction", "").rpartition(".")[2]]
        lines = [ln for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
        match = _DDCIRUN_RE.match(lines[0]) if len(lines) == 1 else None
        assert match, f'{button.get("onAction")}: the Sub must be one line, DdciRun "<function>"'
        out.append(match.group(1))
    return out


def _python_call() -> str:
    text = "".join(p.read_text("ascii") for p in _bas_files())
    match = re.search(r'^Private Const PYTHON_CALL As String = "([^"]*)"', text, re.MULTILINE)
    assert match, "PYTHON_CALL constant missing"
    return match.group(1)


def _runpython_commands() -> list[str]:
    """The Python each button runs: ``PYTHON_CALL & func & "()"``, as DdciRun builds it."""
    return [f"{_python_call()}{func}()" for func in _button_functions()]


def _ddcirun_body() -> str:
    subs = _subs()
    assert "DdciRun" in subs, "macros/*.bas must define DdciRun"
    return subs["DdciRun"][2]


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
    assert len(buttons) >= len(KNOWN_FUNCTIONS)
    ids = [b.get("id") for b in buttons]
    assert len(set(ids)) == len(ids), "button ids must be unique"
    for button in buttons:
        label = button.get("label") or ""
        assert button.get("size") == "large", label
        assert button.get("imageMso") in EXCEL_IMAGE_MSO, f"{label}: imageMso {button.get('imageMso')} not Excel's"
        assert button.get("screentip") and button.get("supertip"), label
        assert not (label + (button.get("supertip") or "")).isascii(), f"{label}: expected Vietnamese text"
    labels = {b.get("label") for b in buttons}
    assert {"Tạo biểu mẫu", "Gửi biểu mẫu", "Kiểm tra", "Nhắc nộp", "Tổng hợp", "Biến động chỉ số", "Năm mới"} <= labels
    assert {"Xuất Kế hoạch", "Xuất Báo cáo", "Mở thư mục", "Chẩn đoán"} <= labels


def test_every_on_action_has_a_ribbon_sub() -> None:
    subs = _subs()
    actions = [b.get("onAction") for b in _ribbon_root().iter() if b.get("onAction") is not None]
    assert len(actions) == len(_buttons())
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
    assert set(KNOWN_FUNCTIONS) <= set(called), called
    assert len(set(called)) == len(called), "one button per function"
    assert re.search(r"^\s*If RunPython\(PYTHON_CALL & func & \"\(\)\"\) <> 0 Then", _ddcirun_body(), re.MULTILINE)


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
    for name, (_, params, body) in _subs().items():
        if "IRibbonControl" not in params:
            continue
        lines = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
        assert len(lines) == 1, f"Sub {name} must be a one-line shim, has {len(lines)} lines"
        assert not lines[0].endswith(" _"), f"Sub {name}: no line continuations"


def test_bas_files_have_crlf_line_ends() -> None:
    for path in _bas_files():
        data = path.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 0, f"{path.name}: every line must end in CRLF"


def test_ddcirun_guards_what_python_cannot_see() -> None:
    """No workbook, Protected View, never saved: a message box before RunPython, never VBA error 91."""
    body = _ddcirun_body()
    steps = [
        r"On Error Resume Next",
        r"Set wb = Application\.ActiveWorkbook",
        r"Set pv = Application\.ActiveProtectedViewWindow",
        r"On Error GoTo 0",
        r"If wb Is Nothing Then",
        r"If anyBook Then",
        r"Set lent = Application\.Workbooks\.Add",
        r"ElseIf Not pv Is Nothing Then",
        r"ShowW U\(MSG_PROTECTED_VIEW\)",
        r"Exit Sub",
        r"ShowW U\(MSG_NO_BOOK\)",
        r"Exit Sub",
        r"ElseIf Len\(wb\.Path\) = 0 And Not anyBook Then",
        r"ShowW U\(MSG_UNSAVED\)",
        r"Exit Sub",
        r"On Error GoTo Failed",
        r'exe = GetConfig\("INTERPRETER_WIN", ""\)',
        r'If exe = "" Then exe = GetConfig\("INTERPRETER", "python"\)',
        r"Not FileExists\(exe\)",
        r"ShowW U\(MSG_NO_PYTHON\)",
        r"If RunPython\(",
        r"ShowW U\(MSG_PYTHON_FAILED\)",
        r"Finish:",
        r"lent\.Close False",
        r"Exit Sub",
        r"Failed:",
        r"Case 70",
        r"ShowW U\(MSG_BLOCKED\)",
        r"Case 62",
        r"ShowW U\(MSG_CONF\)",
        r"Case 52, 53, 75, 76",
        r"ShowW U\(MSG_PATH\)",
        r"Case Else",
        r"ShowW U\(MSG_VBA_ERROR\)",
        r"Resume Finish",
    ]
    pos = 0
    for step in steps:
        match = re.compile(step).search(body, pos)
        assert match, f"DdciRun: expected {step!r} after position {pos}"
        pos = match.end()


def test_vba_messages_are_vietnamese_and_shown_unicode_safe() -> None:
    import unicodedata

    text = "".join(p.read_text("ascii") for p in _bas_files())
    consts = dict(_CONST_RE.findall(text))
    assert {"MSG_NO_BOOK", "MSG_PROTECTED_VIEW", "MSG_UNSAVED", "MSG_BLOCKED", "MSG_CONF"} <= set(consts)
    for name, escaped in consts.items():
        assert len(escaped) < 1000, f"{name}: VBA lines stop at 1023 characters"
        decoded = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)
        assert unicodedata.is_normalized("NFC", decoded) and not decoded.isascii(), name
        assert f"U({name})" in text, f"{name} is never shown"
    assert not re.search(r"^\s*MsgBox\b", text, re.MULTILINE | re.IGNORECASE), "MsgBox turns Vietnamese into ?"
    assert "Declare PtrSafe Function MessageBoxW" in text


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
    # The add-in reads the "xlwings.conf" sheet, then ~/.xlwings/xlwings.conf (setup_excel, doctor).
    assert re.search(r'PROJECT_NAME As String = "xlwings"', modules["xlwings"])
    for name, code in modules.items():
        assert code.count("\n") == code.count("\r\n"), f"module {name}: LF-only line ends"
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
    assert book.sheetnames == ["xlwings.conf"]


# ---------------------------------------------------------------------------
# settings sheet, project identity and lock, the packaged copy
# ---------------------------------------------------------------------------


def test_built_addin_has_the_settings_sheet_xlwings_reads(built: Path) -> None:
    import python_calamine as pc

    from xl_addin.excel.addin_conf import BUILT_IN_CONF, CONF_SHEET, read_addin_conf

    book = pc.CalamineWorkbook.from_path(str(built))  # an independent reader of the sheet
    assert book.sheet_names == [CONF_SHEET]
    assert [tuple(row) for row in book.get_sheet_by_name(CONF_SHEET).to_python()] == list(BUILT_IN_CONF)
    assert read_addin_conf(built) == dict(BUILT_IN_CONF)
    assert "INTERPRETER_WIN" not in dict(BUILT_IN_CONF), "an empty key would hide the user file's interpreter"


def _project_stream(addin: Path) -> str:
    from pyopenvba.cfb import CFB

    with zipfile.ZipFile(addin) as z:
        return CFB.from_bytes(z.read("xl/vbaProject.bin")).get_stream("PROJECT").decode("cp1252")


def test_vba_project_is_named_ddci(built: Path) -> None:
    from pyopenvba import ExcelFile

    project = _project_stream(built)
    assert re.search(r'^Name="DDCI"$', project, re.MULTILINE)
    with ExcelFile(built) as book:
        names = {n.lower() for n in book.vba_project().module_names()}
    assert "ddci" not in names, "a module named like its project does not compile"
    import olefile  # oletools' OLE reader, not pyOpenVBA's
    from oletools.olevba import decompress_stream

    with zipfile.ZipFile(built) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
    dir_stream = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    assert b"\x04\x00\x04\x00\x00\x00DDCI\x05\x00" in dir_stream, "dir stream PROJECTNAME record"


def test_vba_project_is_locked_for_viewing(built: Path) -> None:
    """Decoded with ms-ovba-crypto (not our code): CMG = fVBEProtected, GC = not visible, DPB = SHA-1 hash."""
    import hashlib

    from ms_ovba_crypto import MsOvbaCrypto

    from xl_addin.excel.vba_project import VBA_PASSWORD

    project = _project_stream(built)
    fields = dict(re.findall(r'^(ID|CMG|DPB|GC)="([^"]+)"', project, re.MULTILINE))
    assert fields["ID"] == "{00000000-0000-0000-0000-000000000000}", "MS-OVBA 2.3.1.2: zero ID with a password"
    key = sum(fields["ID"].encode()) & 0xFF
    for name in ("CMG", "DPB", "GC"):
        raw = bytes.fromhex(fields[name])
        assert raw[0] ^ raw[2] == key, f"{name}: ProjKey must be the sum of the ID's characters"
    assert MsOvbaCrypto.decrypt(bytes.fromhex(fields["CMG"])) == (4).to_bytes(4, "little")
    assert MsOvbaCrypto.decrypt(bytes.fromhex(fields["GC"])) == b"\x00"
    dpb = MsOvbaCrypto.decrypt(bytes.fromhex(fields["DPB"]))
    assert len(dpb) == 29 and dpb[0] == 0xFF and dpb[-1] == 0
    flags, salt, digest = int.from_bytes(dpb[1:4], "big"), bytearray(dpb[4:8]), bytearray(dpb[8:28])
    for i in range(24):  # a clear bit: that byte was 0x00, stored as 0x01
        if not flags & (0x800000 >> i):
            (salt if i < 4 else digest)[i if i < 4 else i - 4] = 0
    assert hashlib.sha1(VBA_PASSWORD.encode("cp1252") + bytes(salt)).digest() == bytes(digest)


def test_committed_addin_and_packaged_copy_are_the_same() -> None:
    assert packaged_addin_path().is_file(), f"the wheel ships {packaged_addin_path()}; {REBUILD_HINT}"
    assert packaged_addin_path().read_bytes() == repo_addin_path().read_bytes(), REBUILD_HINT


def test_building_the_source_tree_addin_writes_the_packaged_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import xl_addin.excel.addin as addin

    monkeypatch.setattr(addin, "repo_addin_path", lambda: tmp_path / "workbooks" / "ddci.xlam")
    monkeypatch.setattr(addin, "packaged_addin_path", lambda: tmp_path / "pkg" / "data" / "ddci.xlam")
    addin.build_addin(tmp_path / "workbooks" / "ddci.xlam")
    assert (tmp_path / "pkg" / "data" / "ddci.xlam").read_bytes() == (tmp_path / "workbooks" / "ddci.xlam").read_bytes()
    addin.build_addin(tmp_path / "elsewhere.xlam")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.xlam", "pkg", "workbooks"]
