"""Turning content into the messages the assistant sends.

Every reply that states a fact is built here from the council's content file,
so the domain file holds only the conversation's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.guidance.content.schema import Contact, Content, Dspl, Outcome, SupportGroup, Topic
from bot.guidance.dspl import DsplResult, area_name
from bot.guidance.parsing import ROLE_LABELS, describe_age
from bot.guidance.referral import UNSURE, Answers, Assessment, area_labels
from bot.guidance.support_groups import Page


@dataclass
class Reply:
    """One message: text, optional quick-reply buttons, optional custom payload."""

    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None


def button(title: str, payload: str) -> dict[str, str]:
    """A quick-reply button."""
    return {"title": title, "payload": payload}


# The buttons the replies built here offer (title, payload).
CHECK_BUTTON = ("Can I refer?", "/check_referral")
PERSON_BUTTON = ("Talk to a person", "/request_human")
DSPL_BUTTON = ("Find my DSPL area", "/find_dspl")
SHOW_MORE_BUTTON = ("Show more", "/show_more")  # the next page of a list


def contact_line(contact: Contact) -> str:
    """'Name: phone 0300 ..., email ..., website ...' with its note."""
    parts = [value if kind == "url" else f"{kind} {value}" for kind, value in contact.ways()]
    if contact.hours:
        parts.append(contact.hours)
    line = f"• {contact.name}"
    if parts:
        line += ": " + ", ".join(parts)
    if contact.note:
        line += f" ({contact.note})"
    return line


def contacts_block(content: Content, ids: list[str]) -> str:
    """Several contact lines, one per line."""
    return "\n".join(contact_line(content.contacts[cid]) for cid in ids)


def contact_short(contact: Contact) -> str:
    """One line with the best way to reach them: '• Name: 0300 ...', a link named for them,
    or '• Name: email'."""
    if contact.phone:
        return f"• {contact.name}: {contact.phone}"
    if contact.url:
        return f"• [{contact.name}]({contact.url})"
    return f"• {contact.name}: {contact.email}" if contact.email else f"• {contact.name}"


def read_more(url: str) -> str:
    """The 'read more' link under an answer."""
    return f"[Read more]({url})"


def topic_text(content: Content, topic: Topic, extra: str | None = None) -> str:
    """A topic's short answer: its text, and the first contact in one line.

    A topic with a longer part (``more``) gives the rest, every contact in full and the
    'read more' link with "Tell me more" (:func:`more_text`); one without gives them here.
    """
    parts = [topic.text.strip()]
    if extra:
        parts.append(extra)
    if topic.more:
        if topic.contacts:
            parts.append(contact_short(content.contacts[topic.contacts[0]]))
        return "\n\n".join(parts)
    if topic.contacts:
        parts.append(contacts_block(content, topic.contacts))
    if topic.link:
        parts.append(read_more(topic.link))
    return "\n\n".join(parts)


def more_text(content: Content, topic: Topic) -> str:
    """The rest of a topic's answer, with its contacts in full and its link."""
    parts = [(topic.more or "").strip()]
    if topic.contacts:
        parts.append(contacts_block(content, topic.contacts))
    if topic.link:
        parts.append(read_more(topic.link))
    return "\n\n".join(p for p in parts if p)


def tell_more_button(topic_key: str) -> dict[str, str]:
    """The "Tell me more" quick reply for a topic that has more to say."""
    return button("Tell me more", f'/show_more{{"topic":"{topic_key}"}}')


def choice_button(title: str, choice: str) -> dict[str, str]:
    """A quick reply that answers the check's question with one of its choices."""
    return button(title, f'/inform{{"choice":"{choice}"}}')


def concern_buttons(content: Content) -> list[dict[str, str]]:
    """The council's areas of need as quick replies, then "Not sure"."""
    return [*(choice_button(area.label, area.key) for area in content.eligibility.areas_of_need),
            choice_button("Not sure", UNSURE)]


def no_dspl_reply(content: Content) -> Reply:
    """The answer to a DSPL question in a council without DSPLs."""
    assert content.no_dspl is not None  # the schema asks for it when there are no DSPLs
    return Reply(text=topic_text(content, content.no_dspl))


def need_line(content: Content, need: str, area_keys: list[str]) -> str | None:
    """'Autism would usually come under ...' for a need named in a question."""
    labels = {a.key: a.label.lower() for a in content.eligibility.areas_of_need}
    names = [labels[key] for key in area_keys if key in labels]
    if not names or not content.eligibility.need_line:
        return None
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return content.eligibility.need_line.format(need=need[:1].upper() + need[1:], areas=joined)


def safeguarding_reply(content: Content, in_form: bool = False) -> Reply:
    """The safeguarding signpost, always first and always complete: the advice, then every
    number in one line each, then the procedures page."""
    topic = content.safeguarding
    lines = "\n".join(contact_short(content.contacts[cid]) for cid in topic.contacts)
    text = f"{topic.text.strip()}\n\n{lines}"
    if topic.link:
        text += f"\n\n{read_more(topic.link)}"
    if in_form:
        text += "\n\nWhen you're ready, we can carry on with the questions, or type 'stop'."
    return Reply(text=text)


def human_route_reply(content: Content) -> Reply:
    """How to reach a person, from the content file."""
    topic = content.topics["human_route"]
    lines = "\n".join(contact_short(content.contacts[cid]) for cid in content.human_route)
    return Reply(text=f"{topic.text.strip()}\n\n{lines}")


WHY_PAYLOAD = '/show_more{"topic":"why"}'
SUMMARY_PAYLOAD = "/request_handoff"
SUMMARY_BUTTON = ("Get a summary for the form", SUMMARY_PAYLOAD)


def outcome_reply(content: Content, assessment: Assessment) -> Reply:
    """The check's outcome as one message: what it means, the next step and where to go;
    "Why?" gives the reasons (:func:`why_reply`)."""
    outcome: Outcome = content.referral.outcomes[assessment.outcome]
    parts = [outcome.title, outcome.text.strip()]
    if outcome.offer_handoff:
        parts.append(f"The {content.referral.form_name} is on [the "
                     f"{content.council.service_name} page]({content.referral.form_page_url}).")
    elif outcome.contacts:
        parts.append(contact_short(content.contacts[outcome.contacts[0]]))
    parts.append(f"This is guidance only: {content.referral.decided_by} decides.")
    buttons = [button("Why?", WHY_PAYLOAD)]
    if outcome.offer_handoff:
        buttons.append(button(*SUMMARY_BUTTON))
    buttons.append(button(*PERSON_BUTTON))
    return Reply(text="\n\n".join(parts), buttons=buttons)


def why_reply(content: Content, assessment: Assessment) -> Reply:
    """The reasons behind an outcome, the rest of its advice and its contacts."""
    outcome: Outcome = content.referral.outcomes[assessment.outcome]
    lines = ["Based on what you told me:", *(f"• {r}" for r in assessment.reasons)]
    parts = ["\n".join(lines)]
    if outcome.more:
        parts.append(outcome.more.strip())
    if outcome.contacts:
        parts.append(contacts_block(content, outcome.contacts))
    buttons = [button(*SUMMARY_BUTTON)] if outcome.offer_handoff else []
    return Reply(text="\n\n".join(parts), buttons=[*buttons, button(*PERSON_BUTTON)])


def answer_rows(answers: Answers, content: Content) -> list[tuple[str, str]]:
    """What the check knows, as (label, value) rows: for its opening and the summary."""
    yes_no = {"yes": "yes", "no": "no", "unsure": "not sure yet"}
    rows: list[tuple[str, str | None]] = [
        ("Asking as", answers.relation or (ROLE_LABELS.get(answers.requester_role or "")
                                           or "").lower() or None),
        ("Child's age", describe_age(answers.child_age_months)
         if answers.child_age_months is not None
         else ("not known" if "child_age_months" in answers.unknown else None)),
        ("Goes to a setting", _setting_text(answers)),
        ("Worries about", ", ".join(area_labels(answers.concern_areas or [], content)).lower()
         or ("not sure yet" if answers.concern_areas == ["unsure"] else None)),
        ("Diagnosis mentioned", ", ".join(answers.diagnoses) or None),
        ("Setting has tried extra support", yes_no.get(answers.setting_support_tried or "")),
        ("Parents agree", yes_no.get(answers.parental_consent or "")),
    ]
    return [(label, value) for label, value in rows if value]


def _setting_text(answers: Answers) -> str | None:
    if "attends_setting" in answers.unknown:
        return "not sure"
    if answers.in_setting is None:
        return None
    if not answers.in_setting:
        return "no"
    return f"yes ({answers.setting_kind})" if answers.setting_kind else "yes"


def noted_lines(answers: Answers, content: Content) -> str:
    """The check's answers so far as bullet lines ('' when nothing is known yet)."""
    return "\n".join(f"• {label}: {value}" for label, value in answer_rows(answers, content))


def handoff_text(payload: dict[str, Any]) -> str:
    """The readable version of the handoff summary."""
    lines = ["Here is a summary to take to the " + payload["form_name"] + ":", ""]
    rows = [
        ("Asking as", payload.get("requester_role_label")),
        ("Child's age", payload.get("child_age_text")),
        ("In a setting",
         {True: "Yes", False: "No", None: None}.get(payload.get("attends_setting"))),
        ("Worries about", ", ".join(payload.get("concern_area_labels") or []) or None),
        ("Setting has tried extra support", _yes_no_label(payload.get("setting_support_tried"))),
        ("Parents agree", _yes_no_label(payload.get("parental_consent"))),
        ("What you've noticed", payload.get("noticed")),
        ("Support tried so far", payload.get("support_details")),
        ("Local DSPL area", payload.get("dspl_area")),
        ("Suggested next step", payload.get("outcome_title")),
    ]
    lines.extend(f"• {label}: {value}" for label, value in rows if value)
    if payload.get("next_steps"):
        lines.extend(["", "What to do next:"])
        lines.extend(f"{i}. {step}" for i, step in enumerate(payload["next_steps"], start=1))
    lines.extend(
        ["", f"The form is linked from: {payload['form_page_url']}",
         f"The decision is made by {payload['decided_by']}."]
    )
    return "\n".join(lines)


def _yes_no_label(value: str | None) -> str | None:
    return {"yes": "Yes", "no": "No", "unsure": "Not sure yet"}.get(value or "")


def dspl_reply(content: Content, result: DsplResult) -> Reply:
    """Tell the person their DSPL area, or what to do when it is unclear."""
    dspl = content.dspl
    assert dspl is not None
    confirm = contact_line(content.contacts[dspl.confirm_contact])
    where = result.place or result.postcode_district or "there"
    if result.status == "outside":
        name = content.council.name
        council = result.council
        covered = f" (it's covered by {council})" if council else ""
        offer = f"{council}'s SEND Local Offer" if council else (
            "the SEND Local Offer of the council where you live"
        )
        return Reply(
            text=(
                f"{where} looks to be outside {name}'s area{covered}. DSPLs are only "
                f"in {name}'s area. For support near you, look at {offer}. If your child's "
                f"setting is in our area, it can tell you its DSPL. Or you can ask:\n{confirm}"
            )
        )
    names = [area_name(dspl, a) for a in result.areas]
    if result.status == "found":
        area = next(a for a in dspl.areas if a.id == result.areas[0])
        lead = "is in" if result.stated else "is most likely in"
        text = f"{where} {lead} {area.name} (covers {', '.join(area.towns)})."
        if area.website:
            text += f"\nWebsite: {area.website}"
        if area.notes:
            text += f"\n{area.notes}"
        if not result.stated or result.note:
            text += (
                f"\n\n{result.note or 'This is based on nearby towns, not a published list.'} "
                f"To confirm, ask your child's setting or:\n{confirm}"
            )
        return Reply(text=text, buttons=[button("Support groups near me",
                                                "/find_support_groups")])
    if result.status == "uncertain":
        return Reply(
            text=(
                f"{where} could be in {' or '.join(names)}: no published list settles it. "
                f"Your child's setting will know which DSPL it works with, or you can ask:\n"
                f"{confirm}"
            )
        )
    return Reply(text="I couldn't find that place.")


def dspl_examples(dspl: Dspl) -> dict[str, str]:
    """The examples the DSPL lookup's questions give, from the council's own places:
    ``examples`` a town or a postcode district, ``postcodes`` two districts."""
    quoted = [f'"{code}"' for code in dspl.example_postcodes]
    return {"examples": f'"{dspl.example_place}" or {quoted[0]}',
            "postcodes": " or ".join(quoted[:2])}


AREAS_PER_PAGE = 3


def areas_reply(content: Content, offset: int = 0) -> Reply:
    """The DSPL areas and their towns, three at a time, when a place could not be matched."""
    dspl = content.dspl
    assert dspl is not None
    page = dspl.areas[offset : offset + AREAS_PER_PAGE]
    lines = "\n".join(f"• {a.name}: {', '.join(a.towns)}" for a in page)
    if offset:
        text = f"More areas:\n{lines}"
    else:
        confirm = contact_short(content.contacts[dspl.confirm_contact])
        text = (
            "I couldn't match that to an area. Your child's setting can tell you its DSPL, "
            f"or you can ask:\n{confirm}\n\nThe areas and their main towns:\n{lines}"
        )
    more = offset + AREAS_PER_PAGE < len(dspl.areas)
    return Reply(text=text, buttons=[button(*SHOW_MORE_BUTTON)] if more else [])


GROUP_TOPIC = "group:"
"""The "topic" of a quick reply that asks about one support group: ``group:<id>``."""


def group_text(group: SupportGroup, content: Content) -> str:
    """One support group in full: name, what it does, where, how to contact it, and any
    caution about how current its details are."""
    lines = [f"{group.name}", group.summary.strip()]
    if group.areas and content.dspl:
        lines.append("Area: " + ", ".join(area_name(content.dspl, a) for a in group.areas))
    if group.contact:
        lines.append("Contact: " + contact_line(group.contact).lstrip("• "))
    if group.caution:
        lines.append(f"Please note: {group.caution}")
    return "\n".join(lines)


def group_line(group: SupportGroup) -> str:
    """One support group in a list: its name (linked to its website when it has one) and
    its one-line description."""
    url = group.contact.url if group.contact else None
    name = f"[{group.name}]({url})" if url else group.name
    return f"• {name}: {group.short.strip()}"


def groups_reply(content: Content, page: Page, intro: str) -> Reply:
    """A page of support groups, a line each: a button per group for its details (what it
    does, how to contact it, how current that is), and 'Show more' while more are left."""
    body = "\n".join(group_line(group) for group in page.groups)
    buttons = [button(group.name, f'/show_more{{"topic":"{GROUP_TOPIC}{group.id}"}}')
               for group in page.groups]
    if page.has_more:
        buttons.append(button(*SHOW_MORE_BUTTON))
    return Reply(text=f"{intro}\n\n{body}", buttons=buttons)


def group_reply(content: Content, topic: str, more_left: bool) -> Reply | None:
    """The details of the group a ``group:<id>`` quick reply names (None if it names none),
    with 'Show more' when the list it came from has more groups."""
    wanted = topic.removeprefix(GROUP_TOPIC)
    group = next((g for g in content.support_groups if g.id == wanted), None)
    if not topic.startswith(GROUP_TOPIC) or group is None:
        return None
    return Reply(text=group_text(group, content),
                 buttons=[button(*SHOW_MORE_BUTTON)] if more_left else [])


def groups_intro(
    content: Content, area: int | None, needs: list[str], offset: int, specific: bool
) -> str:
    """The line above a page of support groups: what they are for and where; ``specific``
    says whether any group is for the needs asked about."""
    if offset:
        return "Here are some more:"
    label = ", ".join(n.replace("_", " ") for n in needs)
    if needs and not specific:
        return (f"I don't know of a group just for {label}. These groups support families "
                "more widely and may know of one:")
    where = ""
    if area is not None and content.dspl is not None:
        where = f" in {area_name(content.dspl, area)}"
    if needs:
        return f"Here are groups that may help with {label}{where}:"
    return f"Here are some groups and networks that may help{where}:"
