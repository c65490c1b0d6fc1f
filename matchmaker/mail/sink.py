"""The embedded SMTP sink: in the embedded default, mail is delivered to an SMTP server inside ``matchmaker serve``
(aiosmtpd on MAIL_SERVER:MAIL_PORT) that keeps every message in a Maildir of the instance folder, where staff
read it in the app. Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import mailbox
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger("matchmaker.mail.sink")

KEY_RE = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


def captured_mail_dir(app: Flask | None = None) -> Path:
    """Where the sink keeps captured messages (a Maildir in the instance folder)."""
    return Path((app or current_app).instance_path) / "captured-mail"


class MaildirHandler:
    """aiosmtpd handler storing each message, as received, in a Maildir."""

    def __init__(self, path: Path):
        self.path = path
        mailbox.Maildir(str(path), create=True)

    async def handle_DATA(self, server, session, envelope):
        """Keep the message; answer 250."""
        raw = envelope.original_content or envelope.content
        mailbox.Maildir(str(self.path), create=True).add(mailbox.MaildirMessage(raw))
        log.info("message captured", extra={"to": envelope.rcpt_tos, "bytes": len(raw)})
        return "250 2.0.0 captured"


def start_sink(app: Flask):
    """Start the SMTP sink on MAIL_SERVER:MAIL_PORT in a background thread; returns the aiosmtpd controller."""
    from aiosmtpd.controller import Controller

    host, port = app.config["MAIL_SERVER"], int(app.config["MAIL_PORT"])
    controller = Controller(MaildirHandler(captured_mail_dir(app)), hostname=host, port=port)
    try:
        controller.start()
    except Exception as exc:  # most often: the port is taken by another program
        raise RuntimeError(f"cannot start the SMTP sink on {host}:{port}: {exc}") from exc
    app.extensions["mail_sink"] = controller
    log.info("SMTP sink started", extra={"host": host, "port": port, "maildir": str(captured_mail_dir(app))})
    return controller


@dataclass
class CapturedSummary:
    """One captured message, as listed."""

    key: str
    received_at: datetime
    subject: str
    to: str
    sender: str
    message_id: str = ""


def _message_files(root: Path) -> list[tuple[float, str, Path]]:
    files = []
    for sub in ("new", "cur"):
        folder = root / sub
        if folder.is_dir():
            for entry in os.scandir(folder):
                if entry.is_file():
                    files.append((entry.stat().st_mtime, entry.name.split(":", 1)[0], Path(entry.path)))
    return sorted(files, key=lambda f: f[0], reverse=True)


def _parse(path: Path, headers_only: bool = False) -> EmailMessage:
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh, headersonly=headers_only)


def list_captured(limit: int = 100) -> tuple[list[CapturedSummary], int]:
    """The newest captured messages (headers only) and how many there are in all."""
    files = _message_files(captured_mail_dir())
    out = []
    for mtime, key, path in files[:limit]:
        try:
            msg = _parse(path, headers_only=True)
        except (OSError, ValueError):
            continue
        out.append(
            CapturedSummary(
                key,
                datetime.fromtimestamp(mtime, timezone.utc),
                str(msg.get("Subject", "")),
                str(msg.get("To", "")),
                str(msg.get("From", "")),
                str(msg.get("Message-ID", "")).strip(),
            )
        )
    return out, len(files)


def get_captured(key: str) -> EmailMessage | None:
    """One captured message by its Maildir key, or None."""
    if not KEY_RE.match(key):
        return None
    for _, found, path in _message_files(captured_mail_dir()):
        if found == key:
            return _parse(path)
    return None


def message_parts(msg: EmailMessage) -> tuple[str | None, str | None]:
    """The plain-text and HTML bodies of a message (either may be missing)."""
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return (text.get_content() if text is not None else None, html.get_content() if html is not None else None)
