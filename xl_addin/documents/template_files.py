"""The Word templates on disk: which one to use, loading it, and Jinja errors a clerk can act on.

``choose_template`` picks ``<workspace>/templates/<name>`` (restyled in Word by the
office), else the copy in the repository's ``templates/`` folder, else builds the
default into a per-version cache (an installed wheel does not ship ``templates/``).
A broken tag becomes a ``TemplateError`` quoting the text around it, because a clerk
who mistyped a tag in Word needs to find the place, not a Python traceback.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from xl_addin.core.errors import TemplateError
from xl_addin.documents.word_templates import TEMPLATE_NAMES, TEMPLATE_VERSION, build_templates
from xl_addin.files.workspace import Workspace

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = ["DEFAULT_TEMPLATE_DIR", "choose_template", "jinja_env", "jinja_sources", "load", "template_error"]

#: Built defaults in a source checkout (``<repo>/templates``).
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
#: Core properties docxtpl renders too (the PDF/Word metadata names the agency).
CORE_PROPS = ("author", "comments", "identifier", "language", "subject", "title")


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
        custom = Workspace(Path(workspace_dir)).word_templates / fname
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


def jinja_env() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


def load(template: Path) -> DocxTemplate:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if not template.is_file():
        raise TemplateError(f"Không tìm thấy tệp mẫu «{template}».")
    tpl = DocxTemplate(str(template))
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"Tệp mẫu «{template.name}» không phải tài liệu Word (.docx) hợp lệ: {exc}") from exc
    return tpl


def jinja_sources(tpl: DocxTemplate) -> Iterator[tuple[str, str]]:
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
    for attr in CORE_PROPS:
        value = getattr(props, attr) or ""
        if "{{" in value or "{%" in value:
            yield f"docProps/core.xml ({attr})", value


def one_line_per_paragraph(src: str) -> str:
    """docxtpl renders with one paragraph per line; do the same so line numbers agree."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src)


def _text_lines(lines: Sequence[str]) -> list[str]:
    out = []
    for line in lines:
        text = re.sub(r"<[^>]+>", "", line).strip()
        if text:
            out.append(text)
    return out


def context_from_source(src: str, lineno: int | None) -> list[str]:
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
    for key, label in (
        ("header", "đầu trang"),
        ("footer", "chân trang"),
        ("footnotes", "chú thích"),
        ("docProps", "thuộc tính tệp"),
    ):
        if key in name:
            return f"{label}, {name}"
    return name


def template_error(
    template: Path, exc: jinja2.TemplateError, around: Sequence[str], part: str | None = None
) -> TemplateError:
    kind = next((v for k, v in _KIND.items() if isinstance(exc, k)), "lỗi khi điền dữ liệu")
    lines = [f"Mẫu «{template.name}» có {kind} ở phần {_part_label(part)}. Chi tiết kỹ thuật: {exc.message or exc}."]
    if around:
        lines.append("Đoạn văn bản quanh chỗ lỗi:")
        lines.extend(f"    | {text}" for text in around)
    lines.append(
        "Hãy mở mẫu trong Word, sửa thẻ {{ … }} hoặc {% … %} ở chỗ này (mỗi thẻ phải "
        "nằm liền một mạch, cùng một kiểu chữ) rồi chạy lại."
    )
    return TemplateError("\n".join(lines))
