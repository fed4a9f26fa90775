"""Small HTML helpers: the page layout and escaping. Every value passes through ``esc``."""

from __future__ import annotations

import functools
import html
from pathlib import Path
from string import Template
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


@functools.lru_cache(maxsize=16)
def template(name: str) -> Template:
    """A template file from bot/web/templates."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def site_facts() -> dict[str, str]:
    """Council and service names and the Local Offer address, from the council content."""
    facts = {
        "council_name": "Local Offer",
        "service_name": "Early Years SEND specialists",
        "local_offer_url": "",
        "form_page_url": "",
    }
    try:
        from bot.guidance.content import load_content

        content = load_content()
        facts.update(
            council_name=content.council.name,
            service_name=content.council.service_name,
            local_offer_url=content.council.local_offer_url,
            form_page_url=content.referral.form_page_url,
        )
    except Exception:  # content not there yet: neutral words, no invented facts
        pass
    return facts


def link(href: str, label: str, new_tab: bool = False) -> str:
    """An escaped link; external ones open in a new tab with a warning for screen readers."""
    if new_tab:
        return (
            f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(label)}'
            '<span class="visually-hidden"> (opens in a new tab)</span></a>'
        )
    return f'<a href="{esc(href)}">{esc(label)}</a>'


def page(
    title: str,
    body: str,
    *,
    breadcrumbs: list[tuple[str, str]] | None = None,
    scripts: tuple[str, ...] = (),
    head: str = "",
) -> str:
    """A whole HTML page. ``body`` must already be safe HTML."""
    facts = site_facts()
    crumbs = ""
    if breadcrumbs:
        items = "".join(
            f'<li class="breadcrumbs__item">{link(href, label) if href else esc(label)}</li>'
            for href, label in breadcrumbs
        )
        crumbs = f'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>{items}</ol></nav>'
    return template("layout.html").substitute(
        title=esc(title),
        head=head,
        site_name=esc(facts["council_name"]),
        section_name="Local Offer",
        breadcrumbs=crumbs,
        body=body,
        footer=esc(
            "Demonstration of the Early Years SEND assistant. "
            "The assistant gives general information, not professional advice."
        ),
        scripts="".join(f'<script src="{esc(s)}" defer></script>' for s in scripts),
    )


def index_page() -> str:
    """The demo Local Offer page with the widget on it."""
    facts = site_facts()
    links = []
    if facts["form_page_url"]:
        links.append(link(facts["form_page_url"], f"{facts['service_name']} (council page)", True))
    if facts["local_offer_url"]:
        links.append(link(facts["local_offer_url"], "The Local Offer", True))
    body = template("index.html").substitute(
        service_name=esc(facts["service_name"]),
        links="".join(f"<li>{item}</li>" for item in links)
        or "<li>Links appear here when the council content is available.</li>",
    )
    return page(
        facts["service_name"],
        body,
        breadcrumbs=[("/", "Home"), ("/", "Local Offer"), ("", "Early years (0 to 5)")],
        scripts=("/widget.js",),
    )


def message_page(
    title: str, paragraphs: list[str], links: tuple[tuple[str, str], ...] | list = ()
) -> str:
    """A simple page with a heading, some escaped paragraphs and links."""
    body = f"<h1>{esc(title)}</h1>" + "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    body += "".join(f"<p>{link(h, t)}</p>" for h, t in links)
    return page(title, body)
