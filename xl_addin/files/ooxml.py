"""The few facts of the OOXML package format the readers and writers share.

A workbook is a ZIP of XML parts; which sheet lives in which part is written in
``xl/workbook.xml`` and its relationships. Read with regular expressions, never an
XML parser, so a hostile part cannot make us resolve an entity or a DTD.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from typing import Protocol

from xl_addin.core.vnformat import nfc

__all__ = ["inflate_member", "read_member", "sheet_parts", "xml_escape", "xml_unescape"]

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


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name (NFC) → its XML part, from workbook.xml and its relationships."""
    wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        rid = re.search(r'Id="([^"]+)"', tag)
        target = re.search(r'Target="([^"]+)"', tag)
        if rid and target:
            t = target.group(1).lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else f"xl/{t}"
    out = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", wb_xml):
        tag = sheet.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        rid = re.search(r'r:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[nfc(xml_unescape(name.group(1)))] = targets[rid.group(1)]
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
