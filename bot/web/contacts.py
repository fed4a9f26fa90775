"""The human route (phone, e-mail, web page) to offer when the assistant is unavailable.

Facts are never written in code: they come from the council content file
(``bot/guidance/content/<council>.yml``: ``human_route`` ids looked up in ``contacts``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from bot import settings
from bot.web.texts import text

log = logging.getLogger(__name__)

CONTACT_FIELDS = ("name", "phone", "email", "url", "hours", "note")


def _as_dict(contact: Any) -> dict[str, str]:
    if hasattr(contact, "dict"):
        contact = contact.dict()
    if not isinstance(contact, dict):
        return {}
    return {k: str(contact[k]) for k in CONTACT_FIELDS if contact.get(k)}


def _from_yaml(path: Path) -> list[dict[str, str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    contacts = raw.get("contacts") or {}
    safety = (raw.get("safeguarding") or {}).get("contacts") or []
    return _grouped(raw.get("human_route") or [], safety, contacts.get)


def _grouped(route: list[str], safety: list[str], lookup: Any) -> list[dict[str, str]]:
    """Human-route contacts, then safeguarding ones marked ``group: safety`` (no repeats)."""
    out: list[dict[str, str]] = []
    for group, ids in (("", route), ("safety", [i for i in safety if i not in route])):
        for cid in ids:
            contact = _as_dict(lookup(cid))
            if contact:
                out.append({**contact, "group": group} if group else contact)
    return out


def human_route_contacts(council: str | None = None) -> list[dict[str, str]]:
    """The council's human-route and safeguarding contacts, or [] if the content is unreadable."""
    try:
        from bot.guidance.content import load_content

        content = load_content(council)
        return _grouped(
            list(content.human_route),
            list(content.safeguarding.contacts),
            content.contacts.get,
        )
    except Exception as err:  # content package missing or broken: fall back to the raw file
        log.warning("content package unavailable for contacts (%s); reading YAML", err)
    name = council or settings.BOT_COUNCIL.read()
    try:
        from bot.guidance.content import content_dir  # no validation: only the path

        return _from_yaml(content_dir() / f"{name}.yml")
    except (OSError, yaml.YAMLError, AttributeError) as err:
        log.warning("no human-route contacts available: %s", err)
        return []


def concern_options(council: str | None = None) -> list[tuple[str, str]]:
    """Areas of need (key, label) from the council content, or [] when unavailable."""
    try:
        from bot.guidance.content import load_content

        areas = load_content(council).eligibility.areas_of_need
        return [(a.key, a.label) for a in areas]
    except Exception as err:
        log.warning("areas of need unavailable: %s", err)
        return []


def format_contact(contact: dict[str, str]) -> str:
    """One contact as a line of plain text, e.g. ``Name: phone 0300 ...; website https://...``."""
    parts = []
    if contact.get("phone"):
        parts.append(f"{text('contact_phone')} {contact['phone']}")
    if contact.get("email"):
        parts.append(f"{text('contact_email')} {contact['email']}")
    if contact.get("url"):
        parts.append(f"{text('contact_web')} {contact['url']}")
    line = contact.get("name", "")
    if parts:
        line = f"{line}: {'; '.join(parts)}" if line else "; ".join(parts)
    if contact.get("hours"):
        line += f" ({contact['hours']})"
    if contact.get("note"):
        line += f". {contact['note']}"
    return line


def unavailable_text(contacts: list[dict[str, str]]) -> str:
    """The message shown when Rasa or the action server cannot answer."""
    route = [c for c in contacts if c.get("group") != "safety"]
    safety = [c for c in contacts if c.get("group") == "safety"]
    lines = [text("unavailable_intro"), ""]
    if route:
        lines.append(text("unavailable_contacts"))
        lines += [f"- {format_contact(c)}" for c in route]
    else:
        lines.append(text("unavailable_no_contacts"))
    if safety:
        lines += ["", text("unavailable_safety")]
        lines += [f"- {format_contact(c)}" for c in safety]
    return "\n".join(lines)
