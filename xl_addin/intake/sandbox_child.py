"""The reading child of ``intake.sandbox``: read one file per request, under a memory cap, until stdin closes.

Started as ``python -c "from xl_addin.intake.sandbox_child import main; main()" BUDGET READER``
(``BUDGET`` 0: no cap of its own, the parent's watchdog alone bounds it).
It imports the reader first, then caps its own memory (``intake.limits``), says it is ready,
and answers each length-prefixed pickled request ``(InboxFile, error_parts, data)`` with
``("ok", InboxFile)``. Whatever the reader raises, a Rust panic included, becomes a finding on
that file (``intake.workbook.reader_failure``); an allocation past the cap ends the process,
which the parent reports. The reply channel is a copy of the original stdout; stdout itself
then points at stderr, so nothing else a library prints can garble a reply.
"""

from __future__ import annotations

import importlib
import os
import pickle
import struct
import sys
from collections.abc import Callable
from typing import IO, Any

__all__ = ["main"]

_HEADER = struct.Struct("<Q")


def _load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _send(out: IO[bytes], message: object) -> None:
    try:
        blob = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # something in the result does not pickle: say so instead
        blob = pickle.dumps(("failed", type(exc).__name__))
    out.write(_HEADER.pack(len(blob)) + blob)
    out.flush()


def _receive(inp: IO[bytes]) -> Any:
    header = inp.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    body = inp.read(size)
    return pickle.loads(body) if len(body) == size else None


def main() -> None:
    from xl_addin.intake.limits import limit_own_memory
    from xl_addin.intake.workbook import PASS_THROUGH, reader_failure

    budget, reader = int(sys.argv[1]), _load(sys.argv[2])
    import python_calamine  # noqa: F401 - loaded before the cap, so the cap measures reading only

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    limited = limit_own_memory(budget) if budget > 0 else False
    _send(out, ("ready", limited))
    inp = sys.stdin.buffer
    while (request := _receive(inp)) is not None:
        item, error_parts, data = request
        try:
            reader(item, error_parts, data)
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # the last net: read_workbook contains its own failures
            reader_failure(item, exc)
        _send(out, ("ok", item))
