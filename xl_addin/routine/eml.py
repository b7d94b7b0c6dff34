"""A draft as a standard ``.eml`` file (RFC 5322, MIME, UTF-8), with the standard library only.

``X-Unsent: 1`` makes Outlook open the file as an editable draft (a compose window with
the attachment, ready to press Send); Thunderbird and other clients open it as a
message and offer "Edit as new". Lines end in CRLF, the body is quoted-printable
UTF-8 text, the subject and the attachment's name are encoded as MIME requires, so the
Vietnamese survives any client.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path

from xl_addin.core.errors import DdciError
from xl_addin.files.atomic import atomic_write
from xl_addin.routine.drafts import Draft

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MESSAGE_ID_DOMAIN = "ddci.invalid"  # RFC 6761: never a real host


class DraftPolicy(EmailPolicy):
    """``policy.SMTP``, except that a Vietnamese subject is encoded whole, as ``email.header.Header`` does.

    The modern folder may end one encoded word and start the next at a space it leaves
    outside both, and decoders drop the space between two encoded words (CPython
    gh-92081): “hạn nộp” came back as “hạnnộp”. ``Header`` keeps every space inside the
    encoded words.
    """

    def fold(self, name: str, value: str) -> str:
        text = str(value)
        if name.lower() != "subject" or text.isascii():
            return super().fold(name, value)
        encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep, maxlinelen=self.max_line_length)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() != "subject" or str(value).isascii():
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


DRAFT_POLICY = DraftPolicy(linesep="\r\n")


def build_message(draft: Draft, sender: str | None = None, *, now: dt.datetime | None = None) -> EmailMessage:
    """The MIME message of ``draft`` (the attachment is read from disk)."""
    msg = EmailMessage(policy=DRAFT_POLICY)
    if sender:
        msg["From"] = sender
    if draft.to:
        msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime((now or dt.datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid(domain=MESSAGE_ID_DOMAIN)
    msg["X-Unsent"] = "1"
    msg.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    if draft.attachment is not None:
        path = draft.attachment
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DdciError(f"Không đọc được tệp đính kèm “{path}” ({type(exc).__name__}).") from exc
        kind = XLSX_TYPE if path.suffix.lower() == ".xlsx" else mimetypes.guess_type(path.name)[0]
        maintype, _, subtype = (kind or "application/octet-stream").partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def write_eml(draft: Draft, path: Path, sender: str | None = None) -> Path:
    """Write ``draft`` to ``path`` atomically."""
    data = build_message(draft, sender).as_bytes()
    with atomic_write(path) as tmp:
        tmp.write_bytes(data)
    return path
