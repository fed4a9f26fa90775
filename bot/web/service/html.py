"""HTML pieces for pages built from the council content: paragraphs, contacts, sources."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from bot.web.render import esc, link

HOURS_UNKNOWN = "Opening hours are not published."


def paragraphs(text: str) -> str:
    """Content text as HTML: blank lines split paragraphs, lines starting '- ' are a list."""
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        items = [line[2:] for line in lines if line.startswith("- ")]
        lead = [line for line in lines if not line.startswith("- ")]
        if lead:
            out.append(f"<p>{esc(' '.join(lead))}</p>")
        if items:
            out.append('<ul class="list">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    return "".join(out)


def _tel(phone: str) -> str:
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def _way_html(kind: str, value: str, name: str) -> str:
    """One way to reach a contact as a link: a phone number, an e-mail address, a website."""
    if kind == "phone":
        return f'Phone: <a href="{esc(_tel(value))}">{esc(value)}</a>'
    if kind == "email":
        return f'Email: <a href="mailto:{esc(value)}">{esc(value)}</a>'
    return link(value, f"{name} website", True)


def contact_html(contact: Any, show_hours: bool = False) -> str:
    """One contact: name, then phone, e-mail and website as links, its note and hours."""
    parts = [f"<strong>{esc(contact.name)}</strong>"]
    ways = [_way_html(kind, value, contact.name) for kind, value in contact.ways()]
    if ways:
        parts.append("<br>" + "<br>".join(ways))
    if contact.note:
        parts.append(f"<br>{esc(contact.note)}")
    if contact.hours:
        parts.append(f"<br>When they answer: {esc(contact.hours)}")
    elif show_hours and contact.phone:
        parts.append(f"<br>{esc(HOURS_UNKNOWN)}")
    return "".join(parts)


def contacts_list(contacts: list[Any], show_hours: bool = False) -> str:
    """Several contacts as a list."""
    if not contacts:
        return ""
    items = "".join(f'<li class="contact">{contact_html(c, show_hours)}</li>' for c in contacts)
    return f'<ul class="contacts">{items}</ul>'


def when(date: dt.date) -> str:
    """A date as words, e.g. '25 November 2026'."""
    return f"{date.day} {date.strftime('%B %Y')}"


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def source_note(item: Any) -> str:
    """Where a fact comes from and when it was checked."""
    published = f", published {esc(item.published)}" if getattr(item, "published", None) else ""
    return (
        f'<p class="source">Source: {link(item.source, _host(item.source), True)}'
        f"{published}. Checked on {esc(when(item.checked))}.</p>"
    )
