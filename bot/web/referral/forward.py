"""Passing a prepared summary to the service: by e-mail when SMTP is set up, else to an outbox."""

from __future__ import annotations

import asyncio
import smtplib
import time
from email.message import EmailMessage
from pathlib import Path

from bot.web.config import SmtpSettings


def build_message(subject: str, body: str, smtp: SmtpSettings) -> EmailMessage:
    """A plain-text e-mail."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = smtp.sender or "assistant@localhost"
    msg["To"] = smtp.to or "outbox@localhost"
    msg.set_content(body)
    return msg


def _send_smtp(msg: EmailMessage, smtp: SmtpSettings) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=15) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(msg)


def write_outbox(msg: EmailMessage, outbox: Path, reference: str) -> Path:
    """Save the e-mail as an .eml file in the outbox folder."""
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{time.strftime('%Y%m%dT%H%M%S')}-{reference}.eml"
    path.write_bytes(bytes(msg))
    return path


async def forward(subject: str, body: str, reference: str, smtp: SmtpSettings, outbox: Path) -> str:
    """Send by SMTP if configured, otherwise write to the outbox; return where it went."""
    msg = build_message(subject, body, smtp)
    if smtp.enabled:
        await asyncio.to_thread(_send_smtp, msg, smtp)
        return "smtp"
    await asyncio.to_thread(write_outbox, msg, outbox, reference)
    return "outbox"
