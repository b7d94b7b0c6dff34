"""Check data against a Word template before rendering: what it needs and lacks, what it never uses.

docxtpl's ``get_undeclared_template_variables`` only returns top-level names and misses
loop variables, so this parses the Jinja source of every part docxtpl renders (body,
headers, footers, footnotes) itself. It follows ``{% for x in a.b %}`` so ``x.c`` is
checked in every item of ``a.b``; variables used only under ``{% if v %}`` are optional.
The messages are Vietnamese: data the template needs but the context lacks, and data
keys the template never uses (usually a typo on one side).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes

from xl_addin.documents.template_files import (
    context_from_source,
    jinja_env,
    jinja_sources,
    load,
    one_line_per_paragraph,
    template_error,
)

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = ["Path_", "preflight", "with_values"]

_JINJA_GLOBALS = frozenset(
    {
        "loop",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "self",
        "caller",
        "varargs",
        "kwargs",
    }
)
_LIST = "[]"

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


def _walk(
    node: nodes.Node,
    scope: dict[str, Path_ | None],
    guards: frozenset[Path_],
    out: _Collector,
    *,
    in_test: bool = False,
) -> None:
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


def _check_missing(
    data: Any, path: Path_, done: Path_, index: int | None, whole: bool
) -> Iterator[tuple[str, str, int | None]]:
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
            yield from _check_missing(item, rest, (*done, _LIST), number if index is None else index, whole)
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
    env = jinja_env()
    out = _Collector()
    for part, src in jinja_sources(tpl):
        src = one_line_per_paragraph(src)
        try:
            ast = env.parse(src)
        except jinja2.TemplateSyntaxError as exc:
            raise template_error(template, exc, context_from_source(src, exc.lineno), part) from exc
        _walk(ast, {}, frozenset(), out)
    return out


def preflight(template: Path, context: Mapping[str, Any], *, images: Mapping[str, Path] | None = None) -> list[str]:
    """Vietnamese messages: data the template needs but ``context`` lacks, and unused data keys.

    An empty list means the data fits the template. Raises ``TemplateError`` when the
    template itself has a Jinja syntax error. ``images`` (as for ``render_document``) count
    as present.
    """
    template = Path(template)
    tpl = load(template)
    uses = _collect_uses(template, tpl).uses
    ctx = with_values(context, {k: "<ảnh>" for k in (images or {})})
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
            messages.append(f"Thiếu dữ liệu «{label}»{at}: mẫu {name} dùng biến này nhưng dữ liệu không có.")

    unused: list[str] = []
    _check_unused(ctx, _build_tree(uses), (), unused)
    messages.extend(
        f"Dữ liệu thừa «{label}»: mẫu {name} không dùng khóa này (kiểm tra lại tên biến trong mẫu hoặc trong dữ liệu)."
        for label in unused
    )
    return messages


def image_path(key: str, context: Mapping[str, Any]) -> Path_:
    if "." in key:
        return tuple(key.split("."))
    head, sep, rest = key.partition("_")
    if sep and isinstance(context.get(head), Mapping) and key not in context:
        return (head, rest)
    return (key,)


def with_values(context: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``context`` with ``values`` set at their image paths (copying only that branch)."""
    result = dict(context)
    for key, value in values.items():
        path = image_path(key, context)
        node = result
        for part in path[:-1]:
            child = node.get(part)
            child = dict(child) if isinstance(child, Mapping) else {}
            node[part] = child
            node = child
        node[path[-1]] = value
    return result
