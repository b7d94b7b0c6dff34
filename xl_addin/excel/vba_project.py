"""The VBA project's identity and lock: its name, its ID, and "locked for viewing" (MS-OVBA).

pyOpenVBA copies the project name and the protection lines byte for byte, so they are set here,
on ``vbaProject.bin`` itself, as the last build step:

* the name: ``Name="…"`` in the ``PROJECT`` stream and the PROJECTNAME record of the ``dir``
  stream (MS-OVBA 2.3.1.7, 2.3.4.2.1.6), which must agree;
* the lock, as EPPlus writes it (``ExcelVbaProtection.SetPassword``): ``ID`` all zeros,
  ``CMG`` = fVBEProtected, ``DPB`` = the password hash structure (2.4.4.1: SHA-1 of the password
  and a 4-byte key, zero bytes flagged), ``GC`` = 0x00 (not visible); each value obfuscated with
  the "Data Encryption" of 2.4.3.2, whose key is the sum of the ``ID=`` line's characters.

The lock only keeps clerks out of the code behind a Debug button: the password is published in
the Windows guide, and the source stays readable to tools such as olevba.
"""

from __future__ import annotations

import hashlib
import re
import struct

__all__ = ["LOCKED_PROJECT_ID", "VBA_PASSWORD", "VBA_PROJECT_NAME", "encrypt_data", "set_identity"]

VBA_PROJECT_NAME = "DDCI"
VBA_PASSWORD = "ddci"  # deterrence only; printed in docs/huong-dan-windows.md
LOCKED_PROJECT_ID = "{00000000-0000-0000-0000-000000000000}"  # MUST with a password (2.3.1.2)
PROTECTED_VBE = 4  # ProjectProtectionState: fVBEProtected
_PROJECTNAME = 0x0004
# Fixed "random" bytes, so the same sources always give the same add-in.
_SEEDS = {"CMG": 0x35, "DPB": 0x9A, "GC": 0x4C}
_SALT = bytes.fromhex("5d1c0e07")


def _project_key(project_id: str) -> int:
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt_data(project_id: str, data: bytes, seed: int) -> str:
    """MS-OVBA 2.4.3.2 Encryption of ``data``, as the upper-case hex the PROJECT stream holds."""
    version, key = 2, _project_key(project_id)
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted1, encrypted1, encrypted2 = key, seed ^ key, seed ^ version

    def put(byte: int) -> None:
        nonlocal unencrypted1, encrypted1, encrypted2
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte

    for n in range((seed & 6) // 2):  # ignored bytes
        put((seed * 7 + n) & 0xFF)
    for byte in struct.pack("<I", len(data)):
        put(byte)
    for byte in data:
        put(byte)
    return out.hex().upper()


def password_hash_structure(password: str, salt: bytes, codepage: str = "cp1252") -> bytes:
    """2.4.4.1 Hash Data Structure: 0xFF, null-byte flags, key, SHA-1(password + key), 0x00."""
    key = bytearray(salt)
    digest = bytearray(hashlib.sha1(password.encode(codepage) + bytes(salt)).digest())
    flags = bytearray(3)
    for i in range(24):  # a set bit: that byte is not 0x00; a 0x00 byte is stored as 0x01
        target, index = (key, i) if i < 4 else (digest, i - 4)
        if target[index] == 0:
            target[index] = 1
        else:
            flags[i // 8] |= 0x80 >> (i % 8)
    return bytes([0xFF, *flags, *key, *digest, 0x00])


def _dir_with_name(dir_stream: bytes, name: bytes) -> bytes:
    """The decompressed ``dir`` stream with its PROJECTNAME record replaced."""
    pos = 0
    while pos + 6 <= len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, pos)
        if record_id == _PROJECTNAME:
            record = struct.pack("<HI", _PROJECTNAME, len(name)) + name
            return dir_stream[:pos] + record + dir_stream[pos + 6 + size :]
        if record_id == 0x0009:  # PROJECTVERSION has a size field that lies (Reserved = 4, then 6 bytes)
            pos += 12
            continue
        pos += 6 + size
    raise ValueError("the dir stream has no PROJECTNAME record")


def _set_line(project: str, key: str, value: str) -> str:
    new, count = re.subn(rf"^{key}=.*$", lambda _: f"{key}={value}", project, count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"the PROJECT stream has no {key}= line")
    return new


def set_identity(vba_project_bin: bytes, *, name: str = VBA_PROJECT_NAME, password: str | None = VBA_PASSWORD) -> bytes:
    """``vbaProject.bin`` renamed to ``name`` and, with a password, locked for viewing."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_project_bin)
    project = cfb.get_stream("PROJECT").decode("cp1252")
    dir_stream = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    cfb.write_stream_in_storage("VBA", "dir", compress(_dir_with_name(dir_stream, name.encode("ascii"))))
    project = _set_line(project, "Name", f'"{name}"')
    if password is not None:
        project = _set_line(project, "ID", f'"{LOCKED_PROJECT_ID}"')
        project_id = LOCKED_PROJECT_ID
        cmg = struct.pack("<I", PROTECTED_VBE)
        dpb = password_hash_structure(password, _SALT)
        gc = b"\x00"
    else:
        project_id = re.search(r'^ID="([^"]+)"', project, re.MULTILINE).group(1)  # type: ignore[union-attr]
        cmg, dpb, gc = struct.pack("<I", 0), b"\x00", b"\xff"
    for key, data in (("CMG", cmg), ("DPB", dpb), ("GC", gc)):
        project = _set_line(project, key, f'"{encrypt_data(project_id, data, _SEEDS[key])}"')
    cfb.write_stream("PROJECT", project.encode("cp1252"))
    return cfb.to_bytes()
