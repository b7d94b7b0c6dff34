"""The few facts of the OOXML package format the readers and writers share.

A workbook is a ZIP of XML parts; which sheet lives in which part is written in the
workbook part (``xl/workbook.xml`` when Excel writes it) and its relationships. Office finds
the workbook part through the package's ``_rels/.rels`` (the officeDocument relationship) and
compares part names case-blind with either slash, so packages written by other programs may
keep it at the root, in another folder, or name it ``xl\\workbook.xml``; so do we. Read with
regular expressions, never an XML parser, so a hostile part cannot make us resolve an entity
or a DTD.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Protocol

from xl_addin.core.vnformat import nfc

__all__ = [
    "RELS_MAX",
    "inflate_member",
    "office_document",
    "part_key",
    "read_member",
    "relationships",
    "sheet_parts",
    "xml_escape",
    "xml_unescape",
]

_FAST_FLAGS = 0x0806  # deflate option bits and the UTF-8 name flag; any other flag takes zipfile's path
FAST_MEMBER_MAX = 8 * 2**20  # members declared up to this size inflate in one piece


class MemberInfo(Protocol):
    """The ``zipfile.ZipInfo`` attributes inflating a member needs."""

    filename: str
    orig_filename: str
    flag_bits: int
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int
    CRC: int


def inflate_member(whole: bytes, info: MemberInfo) -> bytes | None:
    """The member's bytes inflated straight from the in-memory archive, or None to use zipfile.

    Only a member that checks out completely is returned: a local header that matches the
    central directory the way ``ZipFile.open`` requires, no flags beyond deflate options and
    UTF-8 names (so no data descriptor, patch data or encryption), stored or deflated, and
    output of exactly the declared size with the declared CRC. Inflation stops one byte past
    the declared size, so a member that lies about its size costs no more than it declares.
    Anything else returns None and is judged by ``zf.open`` exactly as before.
    """
    if info.flag_bits & ~_FAST_FLAGS or info.file_size > FAST_MEMBER_MAX:
        return None
    start = info.header_offset
    if start < 0 or start + 30 > len(whole):
        return None
    sig, flags, name_len, extra_len = struct.unpack_from("<4s2xH18xHH", whole, start)
    if sig != b"PK\x03\x04":
        return None
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(whole):
        return None
    raw_name = whole[start + 30 : start + 30 + name_len]
    try:  # ASCII reads the same in UTF-8 and cp437, and decodes faster
        name = raw_name.decode("ascii" if raw_name.isascii() else "utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    raw = whole[begin:end]
    if info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            data = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    elif info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, whole: bytes | None = None) -> bytes:
    """``zf.read(info)``, inflated straight from ``whole`` (the archive's bytes) when it verifies there.

    Without ``ZipExtFile`` a sheet costs a third as much to scan; anything unusual goes
    through ``zf.read``, so a damaged part raises exactly as it would there.
    """
    if whole is not None:
        data = inflate_member(whole, info)
        if data is not None:
            return data
    return zf.read(info)


RELS_MAX = 2**20  # a relationships part is a few hundred bytes; one larger than this is not read
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)')"""


def _attr(tag: str, name: str) -> str | None:
    found = re.search(_ATTR.format(name), tag)
    return None if found is None else xml_unescape(found.group(1) if found.group(1) is not None else found.group(2))


def part_key(name: str) -> str:
    """A part name as Office compares them: forward slashes, no leading slash, case-blind."""
    return name.replace("\\", "/").lstrip("/").lower()


def relationships(rels: bytes, base: str) -> list[tuple[str, str, str]]:
    """(id, type, target part key) of each relationship; targets resolved against the folder ``base``."""
    out = []
    for found in _RELATIONSHIP.finditer(rels.decode("utf-8", "replace")):
        tag = found.group(0)
        rid, typ, target = _attr(tag, "Id"), _attr(tag, "Type"), _attr(tag, "Target")
        if rid is None or target is None or _attr(tag, "TargetMode") == "External":
            continue
        target = target.replace("\\", "/")
        joined = target if target.startswith("/") else posixpath.join("/", base, target)
        out.append((rid, typ or "", part_key(posixpath.normpath(joined))))
    return out


def office_document(keys: dict[str, str], read: Callable[[str], bytes | None]) -> str | None:
    """The member holding the package's main part, from ``_rels/.rels`` the way Office finds it.

    ``keys`` maps :func:`part_key` to member names; ``read`` returns a member's bytes (None when
    it is too large to be a relationships part). None when there is no such relationship or
    its target is not in the package.
    """
    rels_name = keys.get("_rels/.rels")
    data = read(rels_name) if rels_name is not None else None
    if data is None:
        return None
    for _rid, typ, target in relationships(data, ""):
        if typ.endswith("/relationships/officeDocument") and target in keys:
            return keys[target]
    return None


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name (NFC) → the member holding its XML, from the workbook part and its relationships."""
    keys = {part_key(n): n for n in zf.namelist()}
    main = "xl/workbook.xml" if "xl/workbook.xml" in zf.NameToInfo else None
    if main is None:
        main = office_document(keys, lambda n: zf.read(n) if zf.getinfo(n).file_size <= RELS_MAX else None)
        main = main or keys["xl/workbook.xml"]  # KeyError: no workbook part at all
    folder, base = posixpath.split(part_key(main))
    wb_xml = zf.read(main).decode("utf-8", "replace")
    rels = zf.read(keys[posixpath.join(folder, "_rels", base + ".rels")])
    targets = {rid: keys[target] for rid, _typ, target in relationships(rels, folder) if target in keys}
    out = {}
    for sheet in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb_xml):
        tag = sheet.group(0)
        name = _attr(tag, "name")
        rid = _attr(tag, "r:id") or _attr(tag, "id")
        if name is not None and rid is not None and rid in targets:
            out[nfc(name)] = targets[rid]
    return out


def xml_unescape(text: str) -> str:
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
    )


def xml_escape(text: str) -> str:
    """Text for an XML element's content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
