"""Build ``ddci.xlam``, the Excel add-in whose "DDCI" ribbon tab calls Python.

Why it is built this way: no Excel runs on the build machine, and an ``.xlam``
written from scratch risks Excel's "we found a problem" repair prompt. So we
start from the add-in xlwings ships (``quickstart_addin_ribbon.xlam``, BSD 3-clause
licence, (c) Zoomer Analytics; its package parts were saved by Excel, its VBA project
last written by Aspose.Cells in xlwings' build), and change only what we must:

* VBA modules: our ``macros/*.bas`` are added or replaced with pyOpenVBA (MIT),
  the quickstart's demo module is removed, and xlwings' own module (which holds
  ``RunPython``) and its ``Dictionary`` class stay. One constant in the xlwings
  module changes: ``PROJECT_NAME`` becomes ``"xlwings"``, so its settings come from
  the add-in's own ``xlwings.conf`` sheet, then ``%USERPROFILE%\\.xlwings\\xlwings.conf``
  (the quickstart would read ``.myaddin\\myaddin.conf``); its line ends become CRLF.
* Settings sheet: the quickstart's ``_myaddin.conf`` becomes ``xlwings.conf`` holding
  only the settings every install wants (:data:`~xl_addin.excel.addin_conf.BUILT_IN_CONF`);
  ``setup-excel`` fills in the rest (see :mod:`xl_addin.excel.addin_conf`).
* VBA project: named ``DDCI`` and locked for viewing (:mod:`xl_addin.excel.vba_project`),
  as the very last step.
* Ribbon: the quickstart's ``customUI/customUI.xml`` is dropped and
  ``macros/customUI.xml`` goes in as the Office 2010+ part
  ``customUI/customUI14.xml`` (or as ``customUI/customUI.xml`` for a 2006/01 file).
* Versions: ``DDCI_ADDIN_VERSION`` and ``XLWINGS_VERSION`` are stored as custom
  document properties, so ``doctor`` reads them with :mod:`zipfile` alone, without
  the build-time tools (pyopenvba, oletools live in the ``dev`` extra).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from xl_addin.core.errors import DdciError
from xl_addin.excel.addin_conf import BUILT_IN_CONF, CONF_SHEET, rewrite_conf_sheet
from xl_addin.files.atomic import atomic_write

ADDIN_VERSION = "0.1.0"
ADDIN_FILENAME = "ddci.xlam"

#: Add-ins shipped inside the xlwings package, best first. Both were saved by Excel.
BASE_ADDIN_CANDIDATES = ("quickstart_addin_ribbon.xlam", "quickstart_addin.xlam")
#: xlwings' VBA module that provides ``RunPython``; never removed.
XLWINGS_MODULE = "xlwings"
#: Value given to the xlwings module's ``PROJECT_NAME``: selects ``~/.xlwings/xlwings.conf``.
XLWINGS_PROJECT_NAME = "xlwings"
#: The quickstart's settings sheet; renamed to the one GetConfig reads in the add-in.
QUICKSTART_CONF_SHEET = "_myaddin.conf"

VERSION_CONST = "DDCI_ADDIN_VERSION"
PROP_ADDIN_VERSION = "DDCI_ADDIN_VERSION"
PROP_XLWINGS_VERSION = "XLWINGS_VERSION"
PROP_BASE = "DDCI_BASE_ADDIN"

NS_CUSTOMUI_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
NS_CUSTOMUI_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
REL_UI_2010 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_UI_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_PART_2010 = "customUI/customUI14.xml"
RIBBON_PART_2007 = "customUI/customUI.xml"
RIBBON_PARTS = (RIBBON_PART_2010, RIBBON_PART_2007)

NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CT_CUSTOM_PROPS = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_PART = "docProps/custom.xml"
NS_CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID_USER = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same sources give the same bytes
_VB_NAME_RE = re.compile(r'^Attribute\s+VB_Name\s*=\s*"([^"]+)"', re.MULTILINE)
_PROJECT_NAME_RE = re.compile(r'(Public\s+Const\s+PROJECT_NAME\s+As\s+String\s*=\s*)"[^"]*"')
_XLWINGS_VERSION_RE = re.compile(r'Public\s+Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"')
_VERSION_CONST_RE = re.compile(rf'Public\s+Const\s+{VERSION_CONST}\s+As\s+String\s*=\s*"([^"]+)"')


def project_root() -> Path:
    """The source tree that holds ``macros/`` and ``workbooks/`` (one level above the package)."""
    return Path(__file__).resolve().parents[2]


def macros_dir() -> Path:
    """Folder with ``*.bas`` and ``customUI.xml``: the add-in's only hand-written sources."""
    return project_root() / "macros"


def repo_addin_path() -> Path:
    """The built add-in kept in the source tree (``workbooks/ddci.xlam``)."""
    return project_root() / "workbooks" / ADDIN_FILENAME


def packaged_addin_path() -> Path:
    """The copy shipped in the wheel as package data (``xl_addin/excel/data/ddci.xlam``).

    ``build_addin`` writes it together with ``workbooks/ddci.xlam``, byte for byte the same.
    """
    return Path(__file__).resolve().parent / "data" / ADDIN_FILENAME


def default_addin_path() -> Path:
    """The add-in ``setup_excel`` installs: the packaged copy if present, else the source tree's."""
    packaged = packaged_addin_path()
    return packaged if packaged.is_file() else repo_addin_path()


def find_base_addin() -> Path:
    """Return the Excel-authored add-in shipped by the installed xlwings package."""
    try:
        import xlwings
    except ImportError as exc:
        raise DdciError(
            "Chưa cài thư viện xlwings nên không có add-in gốc để dựng ddci.xlam. "
            'Cài bằng: pip install "xl_addin[dev]".'
        ) from exc
    package_dir = Path(xlwings.__file__).resolve().parent
    for name in BASE_ADDIN_CANDIDATES:
        candidate = package_dir / name
        if candidate.is_file():
            return candidate
    found = sorted(p.name for p in package_dir.rglob("*.xlam"))
    raise DdciError(
        f"Không thấy {' hoặc '.join(BASE_ADDIN_CANDIDATES)} trong gói xlwings ({package_dir}); "
        f"các tệp .xlam có: {', '.join(found) or 'không có'}. Hãy cài xlwings bản có quickstart add-in."
    )


def _crlf(text: str) -> str:
    """VBA stores modules with CRLF; the repository may hold LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n")


def read_macro_modules(macros: Path | None = None) -> dict[str, str]:
    """Read ``macros/*.bas`` as ``{module name: CRLF source}``; refuse non-ASCII text.

    VBA source is stored in the project's ANSI code page, so any non-ASCII
    letter would be mangled on a machine with another locale; every word the
    user sees comes from Python instead.
    """
    folder = Path(macros) if macros is not None else macros_dir()
    modules: dict[str, str] = {}
    for path in sorted(folder.glob("*.bas")):
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise DdciError(
                f"Tệp {path.name} có ký tự ngoài ASCII ở vị trí {exc.start}; mã VBA chỉ được dùng ASCII, "
                "chữ tiếng Việt phải nằm trong Python hoặc customUI.xml."
            ) from exc
        match = _VB_NAME_RE.search(text)
        name = match.group(1) if match else path.stem
        if name in modules:
            raise DdciError(f"Hai tệp .bas cùng khai báo mô-đun {name!r}.")
        modules[name] = _crlf(text)
    if not modules:
        raise DdciError(f"Không có tệp .bas nào trong {folder}.")
    return modules


def ribbon_xml(macros: Path | None = None) -> bytes:
    """The ribbon definition, exactly as stored in the repository."""
    folder = Path(macros) if macros is not None else macros_dir()
    path = folder / "customUI.xml"
    if not path.is_file():
        raise DdciError(f"Không thấy tệp ribbon {path}.")
    return path.read_bytes()


def ribbon_part_for(xml: bytes) -> tuple[str, str]:
    """Return (part name, relationship type) that match the ribbon's namespace."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise DdciError(f"customUI.xml không phải XML hợp lệ: {exc}") from exc
    if root.tag == f"{{{NS_CUSTOMUI_2009}}}customUI":
        return RIBBON_PART_2010, REL_UI_2010
    if root.tag == f"{{{NS_CUSTOMUI_2006}}}customUI":
        return RIBBON_PART_2007, REL_UI_2007
    raise DdciError(f"customUI.xml phải dùng không gian tên {NS_CUSTOMUI_2009} hoặc {NS_CUSTOMUI_2006}.")


def _version_in_modules(modules: Mapping[str, str]) -> str | None:
    found = [m.group(1) for src in modules.values() for m in _VERSION_CONST_RE.finditer(src)]
    if len(found) > 1:
        raise DdciError(f"Hằng {VERSION_CONST} được khai báo {len(found)} lần trong macros/*.bas.")
    return found[0] if found else None


def _patch_xlwings_module(source: str) -> tuple[str, str]:
    """Point xlwings' config lookup at ``xlwings.conf``; return (new source, XLWINGS_VERSION)."""
    if "Function RunPython(" not in source:
        raise DdciError("Mô-đun VBA xlwings của add-in gốc không có RunPython; bản xlwings này không dùng được.")
    patched, count = _PROJECT_NAME_RE.subn(rf'\1"{XLWINGS_PROJECT_NAME}"', source, count=1)
    if count != 1:
        raise DdciError("Không tìm thấy hằng PROJECT_NAME trong mô-đun VBA xlwings của add-in gốc.")
    version = _XLWINGS_VERSION_RE.search(source)
    return _crlf(patched), version.group(1) if version else ""


def _edit_vba(src: Path, dest: Path, modules: Mapping[str, str]) -> str:
    """Write ``dest``: ``src`` with our modules in and demo modules out; return XLWINGS_VERSION."""
    try:
        from pyopenvba import ExcelFile, VBAModuleKind
    except ImportError as exc:
        raise DdciError(
            'Cần thư viện pyopenvba để dựng add-in (công cụ lúc build): pip install "xl_addin[dev]".'
        ) from exc

    with ExcelFile(src) as book:
        project = book.vba_project()
        existing = {name.casefold(): name for name in project.module_names()}
        if XLWINGS_MODULE.casefold() not in existing:
            raise DdciError("Add-in gốc không có mô-đun VBA 'xlwings' (nơi có RunPython).")
        xlwings_name = existing[XLWINGS_MODULE.casefold()]
        patched, xlwings_version = _patch_xlwings_module(book.get_module(xlwings_name))
        book.set_module(xlwings_name, patched)

        # The quickstart's demo (RibbonMyAddin) goes. Our first modules take over its slot by a
        # rename, which keeps the PROJECT stream exactly as Excel laid it out; pyOpenVBA's
        # add_module appends the [Workspace] entry after Excel's trailing blank line instead.
        keep = {XLWINGS_MODULE.casefold(), *(name.casefold() for name in modules)}
        demos = [
            module.name
            for module in project.modules
            if module.kind == VBAModuleKind.standard and module.name.casefold() not in keep
        ]
        for name, source in modules.items():
            if name.casefold() in existing:
                book.set_module(existing[name.casefold()], source)
            elif demos:
                project.rename_module(demos.pop(0), name)
                book.set_module(name, source)
            else:
                project.add_module(name, source, kind=VBAModuleKind.standard)
        for name in demos:
            project.delete_module(name)
        book.save(dest, allow_invalidate_signature=True)
    return xlwings_version


def _attrs(element: ET.Element) -> str:
    return "".join(f' {key}="{escape(value, {chr(34): "&quot;"})}"' for key, value in element.attrib.items())


def _edit_rels(data: bytes, ribbon_part: str, ribbon_rel: str) -> bytes:
    """Package relationships: one ribbon part (ours) and the custom properties part.

    Written by hand rather than by ElementTree, which cannot emit a default
    namespace with unqualified attributes.
    """
    rels = ET.fromstring(data).findall(f"{{{NS_RELS}}}Relationship")
    used_ids = {rel.get("Id") for rel in rels}
    ui_ids = [rel.get("Id") for rel in rels if rel.get("Type") in (REL_UI_2010, REL_UI_2007)]
    kept = [rel for rel in rels if rel.get("Type") not in (REL_UI_2010, REL_UI_2007, REL_CUSTOM_PROPS)]

    def new_id() -> str:
        n = 1
        while f"rId{n}" in used_ids:
            n += 1
        used_ids.add(f"rId{n}")
        return f"rId{n}"

    lines = [f"<Relationship{_attrs(rel)}/>" for rel in kept]
    lines.append(f'<Relationship Id="{ui_ids[0] if ui_ids else new_id()}" Type="{ribbon_rel}" Target="{ribbon_part}"/>')
    lines.append(f'<Relationship Id="{new_id()}" Type="{REL_CUSTOM_PROPS}" Target="{CUSTOM_PROPS_PART}"/>')
    return _XML_DECL + f'<Relationships xmlns="{NS_RELS}">{"".join(lines)}</Relationships>'.encode()


def _edit_content_types(data: bytes) -> bytes:
    """Declare the custom properties part; ribbon parts use the ``xml`` default."""
    root = ET.fromstring(data)
    drop = {f"/{part}" for part in (CUSTOM_PROPS_PART, *RIBBON_PARTS)}
    lines = [f"<Default{_attrs(d)}/>" for d in root.findall(f"{{{NS_TYPES}}}Default")]
    lines += [
        f"<Override{_attrs(o)}/>" for o in root.findall(f"{{{NS_TYPES}}}Override") if o.get("PartName") not in drop
    ]
    lines.append(f'<Override PartName="/{CUSTOM_PROPS_PART}" ContentType="{CT_CUSTOM_PROPS}"/>')
    return _XML_DECL + f'<Types xmlns="{NS_TYPES}">{"".join(lines)}</Types>'.encode()


def custom_properties_xml(props: Mapping[str, str]) -> bytes:
    """``docProps/custom.xml`` as Excel writes it (string properties, pid from 2)."""
    items = "".join(
        f'<property fmtid="{FMTID_USER}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    body = f'<Properties xmlns="{NS_CUSTOM_PROPS}" xmlns:vt="{NS_VT}">{items}</Properties>'
    return _XML_DECL + body.encode("utf-8")


def _rewrite_package(src: Path, dest: Path, ribbon: bytes, props: Mapping[str, str]) -> None:
    """Copy the package with the ribbon, relationships, content types, properties, settings sheet and
    VBA project identity replaced."""
    from xl_addin.excel.vba_project import set_identity

    ribbon_part, ribbon_rel = ribbon_part_for(ribbon)
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        parts: dict[str, bytes] = {}
        for name in names:
            if name in RIBBON_PARTS or name == CUSTOM_PROPS_PART:
                continue
            parts[name] = zin.read(name)
    parts["_rels/.rels"] = _edit_rels(parts["_rels/.rels"], ribbon_part, ribbon_rel)
    parts["[Content_Types].xml"] = _edit_content_types(parts["[Content_Types].xml"])
    workbook = parts.get("xl/workbook.xml", b"")
    old_sheet = f'name="{QUICKSTART_CONF_SHEET}"'.encode()
    if old_sheet not in workbook or "xl/worksheets/sheet1.xml" not in parts:
        raise DdciError(f"Add-in gốc không có trang cấu hình {QUICKSTART_CONF_SHEET} (xl/worksheets/sheet1.xml).")
    parts["xl/workbook.xml"] = workbook.replace(old_sheet, f'name="{CONF_SHEET}"'.encode())
    parts["xl/worksheets/sheet1.xml"] = rewrite_conf_sheet(parts["xl/worksheets/sheet1.xml"], BUILT_IN_CONF)
    parts["xl/vbaProject.bin"] = set_identity(parts["xl/vbaProject.bin"])
    parts[ribbon_part] = ribbon
    parts[CUSTOM_PROPS_PART] = custom_properties_xml(props)

    order = ["[Content_Types].xml", *(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, parts[name])


def build_addin(out: Path, *, macros: Path | None = None, base: Path | None = None) -> Path:
    """Build the add-in at ``out`` (written atomically) and return ``out``.

    ``macros`` defaults to the repository's ``macros/`` folder and ``base`` to
    the quickstart add-in of the installed xlwings package. Building the source tree's
    ``workbooks/ddci.xlam`` also writes the packaged copy the wheel ships.
    """
    out = Path(out)
    modules = read_macro_modules(macros)
    declared = _version_in_modules(modules)
    if declared is not None and declared != ADDIN_VERSION:
        raise DdciError(
            f"Phiên bản trong macros ({VERSION_CONST} = {declared}) khác ADDIN_VERSION = {ADDIN_VERSION} "
            "trong xl_addin/addin.py; hãy sửa cho khớp."
        )
    ribbon = ribbon_xml(macros)
    ribbon_part_for(ribbon)  # fail early on a bad ribbon, before any file is touched
    base_path = Path(base) if base is not None else find_base_addin()

    with tempfile.TemporaryDirectory(prefix="ddci-addin-") as tmp:
        work = Path(tmp)
        source = work / "base.xlam"
        shutil.copyfile(base_path, source)
        edited = work / "vba.xlam"
        xlwings_version = _edit_vba(source, edited, modules)
        props = {
            PROP_ADDIN_VERSION: ADDIN_VERSION,
            PROP_XLWINGS_VERSION: xlwings_version,
            PROP_BASE: f"xlwings {base_path.name}",
        }
        outputs = [out]
        if out.resolve() == repo_addin_path().resolve():
            outputs.append(packaged_addin_path())
        for path in outputs:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(path) as target:
                _rewrite_package(edited, target, ribbon, props)
                target.chmod(0o644)  # mkstemp makes 0600; the add-in is a shared, read-only artefact
    return out


def read_addin_properties(path: Path) -> dict[str, str]:
    """Custom document properties of a built add-in (``{}`` if none); needs only :mod:`zipfile`."""
    try:
        with zipfile.ZipFile(path) as z:
            data = z.read(CUSTOM_PROPS_PART)
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return {}
    props: dict[str, str] = {}
    for prop in root.findall(f"{{{NS_CUSTOM_PROPS}}}property"):
        value = prop.find(f"{{{NS_VT}}}lpwstr")
        if prop.get("name") and value is not None:
            props[prop.get("name", "")] = value.text or ""
    return props


def read_addin_ribbon(path: Path) -> bytes | None:
    """The ribbon part stored in an add-in, or None (used by tests and ``doctor``)."""
    with zipfile.ZipFile(path) as z:
        for name in RIBBON_PARTS:
            if name in z.namelist():
                return z.read(name)
    return None
