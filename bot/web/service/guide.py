"""The guide's pages of text: the same answers as the chat, from the council content file.

Only the grouping of topics into pages lives here; every fact is read from the content.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.guidance.content.schema import Content
from bot.web.render import esc, link
from bot.web.service.html import contacts_list, paragraphs, source_note

CHECK_PATH = "/guide/can-i-refer"
DSPL_PATH = "/guide/find-your-dspl"
GROUPS_PATH = "/guide/support-groups"
CONTACT_PATH = "/contact"


@dataclass(frozen=True)
class GuidePage:
    """A page of the guide made of content topics."""

    slug: str
    title: str
    summary: str
    topics: tuple[str, ...]


TOPIC_PAGES = (
    GuidePage(
        "who-the-service-is-for",
        "Who the service is for",
        "Ages, needs, and whether a diagnosis is needed.",
        ("who_for", "diagnosis", "not_in_setting", "over_age"),
    ),
    GuidePage(
        "how-to-refer",
        "How to ask for support",
        "The service request form, consent, and what the setting tries first.",
        ("how_to_refer", "consent", "graduated_approach", "baseline_form"),
    ),
    GuidePage(
        "evidence",
        "Evidence, by who is asking",
        "What parents, settings and health professionals need to provide.",
        ("evidence_parent", "evidence_setting"),
    ),
    GuidePage(
        "after-a-referral",
        "After a request",
        "Who decides, what happens next, home visits and EHC plans.",
        ("after_referral", "home_visits", "ehcp"),
    ),
    GuidePage(
        "the-team",
        "The team",
        "Who is in the team, the Specialist Development Centres and behaviour support.",
        ("team", "centres", "behaviour", "funding"),
    ),
)
ROLE_HEADINGS = {
    "parent": "If you are a parent or carer",
    "setting": "If you work in a nursery, pre-school or school",
    "childminder": "If you are a childminder",
    "health": "If you are a health professional",
    "other": "If you are someone else",
}


def page_by_slug(slug: str) -> GuidePage | None:
    """The topic page with this address, if any."""
    return next((p for p in TOPIC_PAGES if p.slug == slug), None)


def topic_section(content: Content, key: str, level: int = 2) -> str:
    """One content topic: heading, text, its contacts, 'read more' and its source."""
    topic = content.topics.get(key)
    if topic is None:
        return ""
    html = f"<h{level}>{esc(topic.title)}</h{level}>{paragraphs(topic.text)}"
    if topic.contacts:
        html += contacts_list([content.contacts[c] for c in topic.contacts])
    if topic.link and topic.link != content.referral.form_page_url:
        html += f"<p>{link(topic.link, f'Read more: {topic.title}', True)}</p>"
    return html + source_note(topic)


def next_steps_section(content: Content) -> str:
    """The next steps by who is asking (the same lists as the chat's summary)."""
    steps = content.referral.next_steps
    if not steps:
        return ""
    html = "<h2>Next steps, by who is asking</h2>"
    for role, items in steps.items():
        heading = ROLE_HEADINGS.get(role, role.replace("_", " ").capitalize())
        html += f"<h3>{esc(heading)}</h3><ol class=\"list\">"
        html += "".join(f"<li>{esc(step)}</li>" for step in items) + "</ol>"
    return html


def topic_page_body(content: Content, page: GuidePage) -> str:
    """A whole topic page."""
    body = f'<span class="caption">{esc(content.council.service_name)}</span>'
    body += f"<h1>{esc(page.title)}</h1>"
    body += "".join(topic_section(content, key) for key in page.topics)
    if page.slug in ("evidence", "how-to-refer"):
        body += next_steps_section(content)
    if page.slug == "how-to-refer":
        body += (
            f"<p>{link(content.referral.form_page_url, 'The ' + content.referral.form_name, True)}"
            f" is on the council's page.</p>"
            f'<p>Not sure whether to ask? <a href="{CHECK_PATH}">Answer a few questions: '
            "Can I refer?</a></p>"
        )
    return body


def index_body(content: Content) -> str:
    """The guide's front page."""
    links = [(f"/guide/{p.slug}", p.title, p.summary) for p in TOPIC_PAGES]
    links += [
        (CHECK_PATH, "Can I refer?", "Answer a few questions, one at a time, and get a "
         "summary to print."),
        (DSPL_PATH, "Find your DSPL area", "Type a town, village or postcode."),
        (GROUPS_PATH, "Support groups", "Groups and networks by area and need."),
        (CONTACT_PATH, "Contact a person", "Who to talk to, and how."),
    ]
    items = "".join(
        f'<li><a href="{esc(href)}">{esc(title)}</a><p class="hint">{esc(summary)}</p></li>'
        for href, title, summary in links
    )
    return (
        f'<span class="caption">{esc(content.council.name)}</span>'
        f"<h1>{esc(content.council.service_name)}: a guide</h1>"
        '<p class="lead">Information for parents, carers and early years practitioners about '
        "support for young children with special educational needs and disabilities (SEND). "
        "These pages give the same answers as the assistant, without chat.</p>"
        f'<ul class="guide-links">{items}</ul>'
        f"<p>Prefer to ask questions? <a href=\"/\">Use the {esc(content.council.assistant_name)}"
        "</a>.</p>"
    )


def contact_body(content: Content) -> str:
    """'Contact a person': the human route and the safeguarding contacts, with hours."""
    topic = content.topics["human_route"]
    route = [content.contacts[c] for c in content.human_route]
    safety = content.safeguarding
    body = (
        "<h1>Contact a person</h1>"
        f"{paragraphs(topic.text)}"
        "<h2>Ways to reach a person</h2>"
        f"{contacts_list(route, show_hours=True)}"
        f'<h2 id="safety">{esc(safety.title)}</h2>{paragraphs(safety.text)}'
        f"{contacts_list([content.contacts[c] for c in safety.contacts], show_hours=True)}"
        f"{source_note(topic)}"
    )
    return body
