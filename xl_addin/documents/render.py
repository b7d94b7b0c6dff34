"""Render the ND30 Word documents from docxtpl templates, and check data against a template first.

Why this module looks the way it does:

* **Templates, not code, hold the layout.** ``word_templates`` builds the defaults; a workspace
  may override them with ``<workspace>/templates/<name>`` restyled in Word
  (``template_files.choose_template``).
* **Autoescaping is on.** Values such as "Sở Kế hoạch & Đầu tư" would otherwise produce
  broken XML; ``InlineImage`` implements ``__html__`` so images still pass through.
* **Jinja errors become ``TemplateError``** with a Vietnamese message that quotes the text
  around the broken tag (docxtpl attaches it as ``docx_context``), because a clerk who
  mistyped a tag in Word needs to find the place, not a Python traceback.
* **preflight** (``documents.preflight``) checks the data against the template first.
* **Writes are atomic:** the document is saved to a temporary file in the target folder and
  moved over the target (``files.atomic.atomic_write``), so a crash or a file locked by Word never
  leaves a half-written ``.docx``.

Images: ``render_document(..., images={key: png_path})`` replaces a context value with a
docxtpl ``InlineImage`` as wide as the chart is drawn (``chart.WIDTH_MM``). ``key`` is a
dotted path (``"appendix.chart"``) or a top-level name (``"chart"``); ``"appendix_chart"``
(first ``_`` read as ``.``) is accepted when ``appendix`` is a dict in the context. The
caller's context is never mutated.

Context contract (values arrive final and formatted, the sentences around them are the template's;
``tests/support/docs_samples.py`` has full samples):

* both: ``agency{parent_agency, issuing_agency_lines[], name, short_name, province_committee}``
  (``name`` feeds the file's Author property), ``doc{number_line, place_date}``,
  ``signer{authority_lines[], name}``, ``recipients[]`` (complete lines, last "- Lưu: …"),
  ``extra{I, II, …}`` (the office's own paragraphs of each mục, master table NoiDungBoSung).
* ke_hoach.docx: ``plan{year, basis, announced, overall, detail_deadline, focal_unit},
  ddci{year, base_year, indicators}, indicators[{number, name, score_sentence, rank_block,
  rank_sentence, assessment}], keep{count, items[{code, name}]}, fix{…}, groups[{number, keep,
  count, items[{number, code, name, leader, leader_title, weaknesses, tasks[{text,
  assignment}]}]}]``. ``task.assignment`` may be empty: no brackets are printed then.
* bao_cao.docx: ``doc{…, ref_number, ref_date}`` (the appendix's "Kèm theo Báo cáo số …"),
  ``period{name, year}, basis, counts{leaders, indicators, tasks}, sent{count, expected,
  late, missing, missing_count}, categories, results[{number, name, count, categories,
  items[]}], difficulties[], next_tasks[{task, lead}], proposals[], ddci{year, base_year},
  appendix{progress_rows[{stt, task, lead, status, percent, results}], change_rows[{stt,
  name, score_base, score, score_delta, rank_base, rank, rank_delta, group}], chart}``;
  ``results`` of a row holds one line per unit joined by "\\a" (docxtpl's new paragraph);
  ``chart`` is optional and normally comes from ``images={"appendix_chart": png}``. A quarter,
  6 months or a year also fills ``months[{name, has_data, sent, expected, late, rejected,
  missing}], as_of, completed[{task, lead, month, date}], trails[{task, lead, trail}],
  annual{done, carried, next_year, overall, indicators[{name, score_sentence,
  rank_sentence}]}`` (``documents.period_context``); a month leaves them empty.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from xl_addin.core.errors import DdciError, TemplateError
from xl_addin.documents.chart import WIDTH_MM
from xl_addin.documents.preflight import with_values
from xl_addin.documents.template_files import CORE_PROPS, jinja_env, load, template_error
from xl_addin.files.atomic import atomic_write

__all__ = ["IMAGE_WIDTH_MM", "render_document"]

IMAGE_WIDTH_MM = WIDTH_MM

# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render_document(
    template: Path, context: Mapping[str, Any], out: Path, *, images: Mapping[str, Path] | None = None
) -> Path:
    """Render ``template`` with ``context`` to ``out`` (atomic write) and return ``out``."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    template, out = Path(template), Path(out)
    tpl = load(template)
    inline: dict[str, Any] = {}
    for key, png in (images or {}).items():
        png = Path(png)
        if not png.is_file():
            raise TemplateError(f"Không tìm thấy ảnh «{png}» cần chèn vào văn bản ({key}).")
        inline[key] = InlineImage(tpl, str(png), width=Mm(IMAGE_WIDTH_MM))
    ctx = with_values(context, inline)
    try:
        tpl.render(ctx, jinja_env())
    except jinja2.TemplateError as exc:
        around = [str(x).strip() for x in getattr(exc, "docx_context", []) or []]
        part = getattr(tpl.current_rendering_part, "partname", None)
        raise template_error(template, exc, [t for t in around if t], part) from exc
    # docxtpl renders core properties with the same autoescaping env; python-docx escapes again.
    props = tpl.docx.core_properties
    for attr in CORE_PROPS:
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
