"""Render the ND30 Word documents from docxtpl templates, and check data against a template first.

Why this module looks the way it does:

* **Templates, not code, hold the layout.** ``docx_templates`` builds the defaults; a workspace
  may override them with ``<workspace>/templates/<name>`` restyled in Word. ``choose_template``
  picks the override, else the copy in the repository's ``templates/`` folder, else builds the
  default into a per-version cache (an installed wheel does not ship ``templates/``).
* **Autoescaping is on.** Values such as "Sở Kế hoạch & Đầu tư" would otherwise produce
  broken XML; ``InlineImage`` implements ``__html__`` so images still pass through.
* **Jinja errors become ``TemplateError``** with a Vietnamese message that quotes the text
  around the broken tag (docxtpl attaches it as ``docx_context``), because a clerk who
  mistyped a tag in Word needs to find the place, not a Python traceback.
* **preflight** parses the Jinja source of every part docxtpl renders (body, headers,
  footers, footnotes) itself: docxtpl's ``get_undeclared_template_variables`` only returns
  top-level names and misses loop variables. It follows ``{% for x in a.b %}`` so
  ``x.c`` is checked in every item of ``a.b``; variables used only under ``{% if v %}``
  are optional. It reports, in Vietnamese, data the template needs but the context lacks,
  and data keys the template never uses (usually a typo on one side).
* **Writes are atomic:** the document is saved to a temporary file in the target folder and
  moved over the target (``files.atomic.atomic_write``), so a crash or a file locked by Word never
  leaves a half-written ``.docx``.

Images: ``render_document(..., images={key: png_path})`` replaces a context value with a
docxtpl ``InlineImage`` 160 mm wide. ``key`` is a dotted path (``"appendix.chart"``) or a
top-level name (``"chart"``); ``"appendix_chart"`` (first ``_`` read as ``.``) is accepted
when ``appendix`` is a dict in the context. The caller's context is never mutated.

Context contract (strings arrive final and formatted; ``tests/docs_samples.py`` has full samples):

* both: ``agency{parent_agency, issuing_agency_lines[], name}`` (``name`` feeds the file's
  Author property), ``doc{number_line, place_date, kind_title, subject_lines[]}``,
  ``signer{authority_lines[], name}``, ``recipients[]`` (complete lines, last "- Lưu: …").
* ke_hoach.docx: ``basis, context_paragraph, purpose_items[], requirement, section2_title,
  indicators[{number, title, score_sentence, rank_label, rank_sentence, assessment}],
  section3_intro, groups[{heading, items[{number, title, leader, leader_rest,
  weakness_label, weaknesses, tasks[{text, assignment}]}]}], organisation[{before, bold,
  after}], closing``. ``task.assignment`` may be empty: no brackets are printed then.
* bao_cao.docx: ``addressee, period_name`` (printed in "II. KẾT QUẢ THỰC HIỆN TRONG …",
  upper-cased by the template), ``basis, leadership[], results_intro, results[{number, title,
  counts_sentence, items[]}], difficulties[], next_tasks[], proposals[], closing,
  appendix{number_line, progress_title, progress_rows[{stt, task, lead, status, percent,
  result}], change_title, base_year, year, change_rows[{stt, name, score_base, score,
  score_delta, rank_base, rank, rank_delta, group}], chart_title, chart}``; ``chart`` (and
  its title) is optional and normally comes from ``images={"appendix_chart": png}``.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes

from xl_addin.core.errors import DdciError, TemplateError
from xl_addin.documents.word_templates import TEMPLATE_NAMES, TEMPLATE_VERSION, build_templates
from xl_addin.files.atomic import atomic_write

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = [
    "DEFAULT_TEMPLATE_DIR",
    "IMAGE_WIDTH_MM",
    "choose_template",
    "preflight",
    "render_document",
]

#: Built defaults in a source checkout (``<repo>/templates``).
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
IMAGE_WIDTH_MM = 160

_JINJA_GLOBALS = frozenset({"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
                            "true", "false", "none", "True", "False", "None", "self", "caller",
                            "varargs", "kwargs"})
_LIST = "[]"
_CORE_PROPS = ("author", "comments", "identifier", "language", "subject", "title")

# ---------------------------------------------------------------------------------------------
# Template choice
# ---------------------------------------------------------------------------------------------


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "xl_addin" / "templates" / f"v{TEMPLATE_VERSION}"


def _build_cached(fname: str) -> Path:
    """Build the defaults into the cache (or a temp dir if the cache is not writable)."""
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / "xl_addin-templates" / f"v{TEMPLATE_VERSION}"):
        target = folder / fname
        if target.is_file():
            return target
        try:
            build_templates(folder)
        except OSError:
            continue
        return target
    raise TemplateError(f"Không tạo được mẫu mặc định «{fname}» (không ghi được thư mục tạm).")


def choose_template(workspace_dir: Path | None, name: str) -> Path:
    """``<workspace>/templates/<name>`` if present, else the packaged default (built if needed)."""
    fname = name if name.lower().endswith(".docx") else f"{name}.docx"
    if workspace_dir is not None:
        custom = Path(workspace_dir) / "templates" / fname
        if custom.is_file():
            return custom
    if fname not in TEMPLATE_NAMES:
        known = ", ".join(TEMPLATE_NAMES)
        raise TemplateError(f"Không có mẫu văn bản «{fname}». Các mẫu có sẵn: {known}.")
    packaged = DEFAULT_TEMPLATE_DIR / fname
    if packaged.is_file():
        return packaged
    return _build_cached(fname)


# ---------------------------------------------------------------------------------------------
# Loading, Jinja sources, error messages
# ---------------------------------------------------------------------------------------------


def _jinja_env() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


def _load(template: Path) -> DocxTemplate:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if not template.is_file():
        raise TemplateError(f"Không tìm thấy tệp mẫu «{template}».")
    tpl = DocxTemplate(str(template))
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            f"Tệp mẫu «{template.name}» không phải tài liệu Word (.docx) hợp lệ: {exc}"
        ) from exc
    return tpl


def _jinja_sources(tpl: DocxTemplate) -> Iterator[tuple[str, str]]:
    """(part name, Jinja source) for every part docxtpl renders, patched exactly as docxtpl does."""
    yield "word/document.xml", tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _rel, part in tpl.get_headers_footers(uri):
            yield str(part.partname).lstrip("/"), tpl.patch_xml(tpl.get_part_xml(part))
    for part in tpl.docx.part.package.parts:
        if part.content_type.endswith("footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            yield str(part.partname).lstrip("/"), tpl.patch_xml(blob)
    props = tpl.docx.core_properties
    for attr in _CORE_PROPS:
        value = getattr(props, attr) or ""
        if "{{" in value or "{%" in value:
            yield f"docProps/core.xml ({attr})", value


def _one_line_per_paragraph(src: str) -> str:
    """docxtpl renders with one paragraph per line; do the same so line numbers agree."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src)


def _text_lines(lines: Sequence[str]) -> list[str]:
    out = []
    for line in lines:
        text = re.sub(r"<[^>]+>", "", line).strip()
        if text:
            out.append(text)
    return out


def _context_from_source(src: str, lineno: int | None) -> list[str]:
    if lineno is None:
        return []
    start = max(lineno - 4, 0)
    return _text_lines(src.splitlines()[start : start + 7])


_KIND = {
    jinja2.TemplateSyntaxError: "lỗi cú pháp thẻ",
    jinja2.UndefinedError: "thiếu dữ liệu cho một biến",
}


def _part_label(partname: str | None) -> str:
    """Where in the document a part is, in words a clerk understands."""
    name = (partname or "").lstrip("/")
    if not name or name.endswith("document.xml"):
        return "thân văn bản"
    for key, label in (("header", "đầu trang"), ("footer", "chân trang"), ("footnotes", "chú thích"),
                       ("docProps", "thuộc tính tệp")):
        if key in name:
            return f"{label}, {name}"
    return name


def _template_error(template: Path, exc: jinja2.TemplateError, around: Sequence[str],
                    part: str | None = None) -> TemplateError:
    kind = next((v for k, v in _KIND.items() if isinstance(exc, k)), "lỗi khi điền dữ liệu")
    lines = [f"Mẫu «{template.name}» có {kind} ở phần {_part_label(part)}. "
             f"Chi tiết kỹ thuật: {exc.message or exc}."]
    if around:
        lines.append("Đoạn văn bản quanh chỗ lỗi:")
        lines.extend(f"    | {text}" for text in around)
    lines.append("Hãy mở mẫu trong Word, sửa thẻ {{ … }} hoặc {% … %} ở chỗ này (mỗi thẻ phải "
                 "nằm liền một mạch, cùng một kiểu chữ) rồi chạy lại.")
    return TemplateError("\n".join(lines))


# ---------------------------------------------------------------------------------------------
# preflight: which data paths does the template use?
# ---------------------------------------------------------------------------------------------

Path_ = tuple[str, ...]


@dataclass
class _Use:
    required: bool = False  # used outside an {% if %} guard on itself
    whole: bool = False  # printed / filtered / called: all of its content counts as used


@dataclass
class _Collector:
    uses: dict[Path_, _Use] = field(default_factory=dict)

    def add(self, path: Path_, *, required: bool, whole: bool) -> None:
        use = self.uses.setdefault(path, _Use())
        use.required |= required
        use.whole |= whole


def _chain(expr: nodes.Node, scope: Mapping[str, Path_ | None]) -> Path_ | None:
    """The data path of ``a``, ``a.b``, ``a['b']``, ``a[0]`` (None if not rooted in data)."""
    if isinstance(expr, nodes.Name):
        if expr.name in scope:
            return scope[expr.name]
        return None if expr.name in _JINJA_GLOBALS else (expr.name,)
    if isinstance(expr, nodes.Getattr):
        base = _chain(expr.node, scope)
        return None if base is None else (*base, expr.attr)
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        base = _chain(expr.node, scope)
        if base is None:
            return None
        if isinstance(expr.arg.value, str):
            return (*base, expr.arg.value)
        return (*base, _LIST)
    return None


def _guarded(path: Path_, guards: frozenset[Path_]) -> bool:
    return any(path[: len(g)] == g for g in guards)


def _tested_paths(test: nodes.Node, scope: Mapping[str, Path_ | None]) -> set[Path_]:
    """Paths whose truthiness an ``{% if %}`` test checks (``a``, ``a and b``, ``a.b is defined``)."""
    if isinstance(test, nodes.And):
        return _tested_paths(test.left, scope) | _tested_paths(test.right, scope)
    if isinstance(test, nodes.Test) and test.name in ("defined", "none"):
        test = test.node
    path = _chain(test, scope)
    return {path} if path else set()


def _walk(node: nodes.Node, scope: dict[str, Path_ | None], guards: frozenset[Path_],
          out: _Collector, *, in_test: bool = False) -> None:
    """Record every data path used under ``node``."""
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
        path = _chain(node, scope)
        if path is not None:
            out.add(path, required=not in_test and not _guarded(path, guards), whole=not in_test)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                _walk(node.arg, scope, guards, out, in_test=in_test)
            return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
        # ``a.items()`` / ``a.get('x')``: a method call uses ``a`` as a whole.
        base = _chain(node.node.node, scope)
        if base is not None:
            out.add(base, required=not _guarded(base, guards), whole=True)
            for child in (*node.args, *node.kwargs):
                _walk(child, scope, guards, out, in_test=in_test)
            return
    if isinstance(node, nodes.For):
        it = _chain(node.iter, scope)
        if it is None:
            _walk(node.iter, scope, guards, out, in_test=in_test)
        else:  # iterating does not use the list "as a whole": its items are checked one by one
            out.add(it, required=not _guarded(it, guards), whole=False)
        inner = dict(scope)
        inner["loop"] = None
        target = node.target
        names = [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))
        for name in names:
            inner[name.name] = (*it, _LIST) if it is not None and len(names) == 1 else None
        if node.test is not None:
            _walk(node.test, inner, guards, out, in_test=True)
        for child in node.body:
            _walk(child, inner, guards, out)
        for child in node.else_:
            _walk(child, scope, guards, out)
        return
    if isinstance(node, nodes.If):
        _walk(node.test, scope, guards, out, in_test=True)
        inner_guards = guards | frozenset(_tested_paths(node.test, scope))
        for child in node.body:
            _walk(child, scope, inner_guards, out)
        for child in (*node.elif_, *node.else_):
            _walk(child, scope, guards, out)
        return
    if isinstance(node, nodes.Assign):
        _walk(node.node, scope, guards, out)
        for name in node.target.find_all(nodes.Name):
            scope[name.name] = _chain(node.node, scope) if isinstance(node.target, nodes.Name) else None
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        inner = dict(scope)
        for arg in getattr(node, "args", []):
            inner[arg.name] = None
        for child in node.body:
            _walk(child, inner, guards, out)
        return
    for child in node.iter_child_nodes():
        _walk(child, scope, guards, out, in_test=in_test)


def _display(path: Path_) -> str:
    text = ""
    for part in path:
        text += part if part == _LIST else (f".{part}" if text else part)
    return text


def _get(value: Any, key: str) -> tuple[bool, Any]:
    if isinstance(value, Mapping):
        return (key in value, value.get(key))
    if hasattr(value, key) and not callable(getattr(value, key)):
        return True, getattr(value, key)
    return False, None


def _check_missing(data: Any, path: Path_, done: Path_, index: int | None,
                   whole: bool) -> Iterator[tuple[str, str, int | None]]:
    """Walk ``path`` through ``data``; yield (label, kind, 1-based index in the outermost list)."""
    if not path:
        if data is None and whole:
            yield _display(done), "none", index
        return
    head, rest = path[0], path[1:]
    if head == _LIST:
        if isinstance(data, str | bytes | Mapping) or not isinstance(data, Sequence):
            yield _display(done), "list", index
            return
        for number, item in enumerate(data, start=1):
            yield from _check_missing(item, rest, (*done, _LIST), number if index is None else index,
                                      whole)
        return
    present, value = _get(data, head)
    if not present:
        yield _display((*done, head, *rest)), "missing", index
        return
    yield from _check_missing(value, rest, (*done, head), index, whole)


def _build_tree(uses: Mapping[Path_, _Use]) -> dict[str, Any]:
    tree: dict[str, Any] = {"whole": False, "kids": {}}
    for path, use in uses.items():
        node = tree
        for part in path:
            node = node["kids"].setdefault(part, {"whole": False, "kids": {}})
        node["whole"] |= use.whole
    return tree


def _check_unused(data: Any, node: Mapping[str, Any], done: Path_, found: list[str]) -> None:
    if node["whole"]:
        return
    if isinstance(data, Mapping):
        for key, value in data.items():
            kid = node["kids"].get(str(key))
            if kid is None:
                label = _display((*done, str(key)))
                if label not in found:
                    found.append(label)
            else:
                _check_unused(value, kid, (*done, str(key)), found)
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes) and _LIST in node["kids"]:
        for item in data:
            _check_unused(item, node["kids"][_LIST], (*done, _LIST), found)


def _collect_uses(template: Path, tpl: DocxTemplate) -> _Collector:
    env = _jinja_env()
    out = _Collector()
    for part, src in _jinja_sources(tpl):
        src = _one_line_per_paragraph(src)
        try:
            ast = env.parse(src)
        except jinja2.TemplateSyntaxError as exc:
            raise _template_error(template, exc, _context_from_source(src, exc.lineno), part) from exc
        _walk(ast, {}, frozenset(), out)
    return out


def preflight(template: Path, context: Mapping[str, Any], *,
              images: Mapping[str, Path] | None = None) -> list[str]:
    """Vietnamese messages: data the template needs but ``context`` lacks, and unused data keys.

    An empty list means the data fits the template. Raises ``TemplateError`` when the
    template itself has a Jinja syntax error. ``images`` (as for ``render_document``) count
    as present.
    """
    template = Path(template)
    tpl = _load(template)
    uses = _collect_uses(template, tpl).uses
    ctx = _with_values(context, {k: "<ảnh>" for k in (images or {})})
    name = template.name
    messages: list[str] = []

    problems: dict[tuple[str, str], set[int]] = {}
    for path, use in sorted(uses.items()):
        if use.required:
            for label, kind, index in _check_missing(ctx, path, (), None, use.whole):
                found = problems.setdefault((label, kind), set())
                if index is not None:
                    found.add(index)
    for (label, kind), indexes in problems.items():
        at = f" (ở mục thứ {', '.join(map(str, sorted(indexes)))})" if indexes else ""
        if kind == "none":
            messages.append(f"Dữ liệu «{label}»{at} đang rỗng (None): văn bản sẽ in chữ «None».")
        elif kind == "list":
            messages.append(f"Dữ liệu «{label}»{at} phải là một danh sách vì mẫu {name} lặp qua nó.")
        else:
            messages.append(f"Thiếu dữ liệu «{label}»{at}: mẫu {name} dùng biến này nhưng dữ liệu "
                            "không có.")

    unused: list[str] = []
    _check_unused(ctx, _build_tree(uses), (), unused)
    messages.extend(
        f"Dữ liệu thừa «{label}»: mẫu {name} không dùng khóa này (kiểm tra lại tên biến trong mẫu "
        "hoặc trong dữ liệu)."
        for label in unused
    )
    return messages


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _image_path(key: str, context: Mapping[str, Any]) -> Path_:
    if "." in key:
        return tuple(key.split("."))
    head, sep, rest = key.partition("_")
    if sep and isinstance(context.get(head), Mapping) and key not in context:
        return (head, rest)
    return (key,)


def _with_values(context: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``context`` with ``values`` set at their image paths (copying only that branch)."""
    result = dict(context)
    for key, value in values.items():
        path = _image_path(key, context)
        node = result
        for part in path[:-1]:
            child = node.get(part)
            child = dict(child) if isinstance(child, Mapping) else {}
            node[part] = child
            node = child
        node[path[-1]] = value
    return result


def render_document(template: Path, context: Mapping[str, Any], out: Path, *,
                    images: Mapping[str, Path] | None = None) -> Path:
    """Render ``template`` with ``context`` to ``out`` (atomic write) and return ``out``."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    template, out = Path(template), Path(out)
    tpl = _load(template)
    inline: dict[str, Any] = {}
    for key, png in (images or {}).items():
        png = Path(png)
        if not png.is_file():
            raise TemplateError(f"Không tìm thấy ảnh «{png}» cần chèn vào văn bản ({key}).")
        inline[key] = InlineImage(tpl, str(png), width=Mm(IMAGE_WIDTH_MM))
    ctx = _with_values(context, inline)
    try:
        tpl.render(ctx, _jinja_env())
    except jinja2.TemplateError as exc:
        around = [str(x).strip() for x in getattr(exc, "docx_context", []) or []]
        part = getattr(tpl.current_rendering_part, "partname", None)
        raise _template_error(template, exc, [t for t in around if t], part) from exc
    # docxtpl renders core properties with the same autoescaping env; python-docx escapes again.
    props = tpl.docx.core_properties
    for attr in _CORE_PROPS:
        value = getattr(props, attr)
        if value and "&" in value:
            setattr(props, attr, html.unescape(value))

    try:
        with atomic_write(out) as tmp:
            tpl.save(tmp)
    except PermissionError as exc:
        raise DdciError(
            f"Không ghi được «{out}»: tệp đang mở trong Word hoặc thư mục không cho phép ghi. "
            "Hãy đóng tệp rồi chạy lại."
        ) from exc
    return out
