"""Cleaning the handoff payload that the assistant sends, keeping only known, well-typed keys."""

from __future__ import annotations

from typing import Any

TEXT_KEYS = (
    "council",
    "council_name",
    "service_name",
    "requester_role",
    "requester_role_label",
    "child_age_text",
    "setting_support_tried",
    "parental_consent",
    "dspl_area",
    "outcome",
    "outcome_title",
    "form_name",
    "form_page_url",
    "created",
    "channel",  # where the draft was started: "guide" (the chat's drafts have none)
    "noticed",  # the person's own (redacted) words about the worries
    "support_details",  # and about the support tried
)
LIST_KEYS = ("concern_areas", "concern_area_labels", "next_steps", "diagnoses")
CONTACT_KEYS = ("name", "phone", "email", "url", "hours", "note")
URL_KEYS = ("form_page_url",)
MAX_TEXT = 500
MAX_ITEMS = 20


def is_web_url(value: object) -> bool:
    """True for an absolute http(s) URL without spaces."""
    return (
        isinstance(value, str)
        and value.startswith(("https://", "http://"))
        and not any(c.isspace() for c in value)
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()[:MAX_TEXT] or None
    return None


def _contacts(raw_contacts: Any) -> list[dict[str, str]]:
    """The contacts we are willing to store: named, with known keys and web links only."""
    contacts = []
    for item in raw_contacts[:MAX_ITEMS] if isinstance(raw_contacts, list) else []:
        if not isinstance(item, dict):
            continue
        contact = {k: v for k in CONTACT_KEYS if (v := _text(item.get(k)))}
        if "url" in contact and not is_web_url(contact["url"]):
            del contact["url"]
        if contact.get("name"):
            contacts.append(contact)
    return contacts


def clean_handoff(raw: Any) -> dict[str, Any]:
    """The handoff data we are willing to store; anything unexpected is dropped."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    for key in TEXT_KEYS:
        value = _text(raw.get(key))
        if value is not None and (key not in URL_KEYS or is_web_url(value)):
            out[key] = value
    months = raw.get("child_age_months")
    if isinstance(months, int) and not isinstance(months, bool) and 0 <= months <= 240:
        out["child_age_months"] = months
    if isinstance(raw.get("attends_setting"), bool):
        out["attends_setting"] = raw["attends_setting"]
    for key in LIST_KEYS:
        items = raw.get(key)
        if isinstance(items, list):
            out[key] = [t for t in map(_text, items[:MAX_ITEMS]) if t]
    contacts = _contacts(raw.get("contacts"))
    if contacts:
        out["contacts"] = contacts
    return out


def age_text(handoff: dict[str, Any]) -> str:
    """The child's age as words, from the text or the number of months."""
    if handoff.get("child_age_text"):
        return str(handoff["child_age_text"])
    months = handoff.get("child_age_months")
    if not isinstance(months, int):
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)
