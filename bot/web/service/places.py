"""The guide's DSPL finder and support group list: plain GET forms that work without JS."""

from __future__ import annotations

from urllib.parse import urlencode

from bot.guidance.content.schema import Content, DsplArea, SupportGroup
from bot.guidance.dspl import DsplResult, area_name, lookup
from bot.guidance.support_groups import matching_groups, needs_in_text, page_of
from bot.web.render import esc, link
from bot.web.service.guide import CONTACT_PATH, GROUPS_PATH
from bot.web.service.html import contact_html, contacts_list, paragraphs, source_note

MAX_PLACE_CHARS = 100
GROUPS_PER_PAGE = 10
NEED_LABELS = {
    "any": "Any need",
    "autism": "Autism",
    "adhd": "ADHD",
    "hearing": "Hearing",
    "vision": "Vision",
    "down_syndrome": "Down syndrome",
    "speech_language": "Speech and language",
    "physical": "Physical needs",
    "behaviour": "Behaviour",
    "carers": "Support for carers",
    "learning_disability": "Learning disability or delay",
    "general": "Meeting other parents",
}


def error_summary(field: str, message: str) -> str:
    """The GOV.UK error summary for one field."""
    return (
        '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" '
        'tabindex="-1" id="error-summary"><h2 class="error-summary__title" '
        'id="error-summary-title">There is a problem</h2><ul class="error-summary__list">'
        f'<li><a href="#{field}">{esc(message)}</a></li></ul></div>'
    )


def _area(content: Content, area_id: int) -> DsplArea | None:
    assert content.dspl is not None
    return next((a for a in content.dspl.areas if a.id == area_id), None)


def _area_html(content: Content, area: DsplArea) -> str:
    html = f"<p><strong>{esc(area.name)}</strong> covers {esc(', '.join(area.towns))}.</p>"
    if area.website:
        html += f"<p>{link(area.website, f'{area.name} website', True)}</p>"
    if area.notes:
        html += f"<p>{esc(area.notes)}</p>"
    html += (
        f'<p><a href="{GROUPS_PATH}?{urlencode({"area": area.id})}">Support groups in '
        f"{esc(area.name)}</a></p>"
    )
    return html


def dspl_result_html(content: Content, result: DsplResult) -> str:
    """What the lookup found, in words, with how to confirm when it is unsure."""
    assert content.dspl is not None
    confirm = contact_html(content.contacts[content.dspl.confirm_contact])
    where = result.place or result.postcode_district or "That place"
    confirm_html = (
        "<p>To confirm, ask your child's nursery or pre-school, which knows its DSPL, or:</p>"
        f'<ul class="contacts"><li class="contact">{confirm}</li></ul>'
    )
    if result.status == "found":
        area = _area(content, result.areas[0])
        lead = "is in" if result.stated else "is most likely in"
        name = area_name(content.dspl, result.areas[0])
        html = f'<h2 id="result">{esc(where)} {lead} {esc(name)}</h2>'
        if area:
            html += _area_html(content, area)
        if not result.stated or result.note:
            note = result.note or "This is based on nearby towns, not a published list."
            html += f"<p>{esc(note)}</p>{confirm_html}"
        return html
    if result.status in ("uncertain", "ask"):
        html = f'<h2 id="result">{esc(where)} could be in more than one DSPL area</h2>'
        if result.options:
            html += "<p>Which of these is nearest?</p><ul class=\"list\">" + "".join(
                f'<li><a href="?{urlencode({"place": o})}">{esc(o.title())}</a></li>'
                for o in result.options
            ) + "</ul>"
        for area_id in result.areas:
            area = _area(content, area_id)
            if area:
                html += _area_html(content, area)
        return html + confirm_html
    if result.status == "outside":
        council = result.council or "another council"
        return (
            f'<h2 id="result">{esc(where)} looks to be outside {esc(content.council.name)}'
            "</h2>"
            f"<p>It is covered by {esc(council)}. DSPL areas are a "
            f"{esc(content.council.name)} arrangement, so please look at {esc(council)}'s SEND "
            "Local Offer for support near you.</p>" + confirm_html
        )
    return ""


def dspl_body(content: Content, place: str | None) -> tuple[str, int, DsplResult | None]:
    """The finder page: (HTML, status code, result). ``place`` None means not asked yet."""
    dspl = content.dspl
    if dspl is None:
        topic = content.no_dspl
        body = "<h1>Find your DSPL area</h1>" + (paragraphs(topic.text) if topic else "")
        return body, 200, None
    value = (place or "").strip()[:MAX_PLACE_CHARS]
    result = lookup(value, dspl) if value else None
    error = ""
    if place is not None and not value:
        error = "Enter a town, village or postcode"
    elif result is not None and result.status == "not_found":
        error = "We could not find that place. Check the spelling, or try a nearby town"
    body = error_summary("place", error) if error else ""
    group = "form-group form-group--error" if error else "form-group"
    invalid = ' aria-invalid="true"' if error else ""
    described = "place-hint place-error" if error else "place-hint"
    body += (
        '<span class="caption">Delivering Special Provision Locally</span>'
        "<h1>Find your DSPL area</h1>"
        f"{paragraphs(dspl.intro)}"
        '<form method="get" action="" novalidate>'
        f'<div class="{group}"><label class="label" for="place">Town, village or postcode</label>'
        f'<div id="place-hint" class="hint">For example, {esc(dspl.example_place)} or '
        f"{esc(dspl.example_postcodes[0])}. Only the first part of a postcode is used.</div>"
        + (
            f'<p id="place-error" class="error-message"><span class="visually-hidden">Error:'
            f"</span> {esc(error)}</p>"
            if error
            else ""
        )
        + f'<input class="input input--20" id="place" name="place" type="text" '
        f'maxlength="{MAX_PLACE_CHARS}" value="{esc(value)}" autocomplete="postal-code" '
        f'aria-describedby="{described}"{invalid}></div>'
        '<button type="submit" class="button">Find my DSPL area</button></form>'
    )
    if result is not None and not error:
        body += dspl_result_html(content, result)
    body += "<h2>All DSPL areas</h2><ul class=\"list\">" + "".join(
        f"<li><strong>{esc(a.name)}</strong>: {esc(', '.join(a.towns))}</li>" for a in dspl.areas
    ) + "</ul>" + source_note(dspl)
    return body, (400 if error else 200), result


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str) -> str:
    opts = "".join(
        f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(t)}</option>'
        for v, t in options
    )
    return (
        f'<div class="form-group"><label class="label" for="{name}">{esc(label)}</label>'
        f'<select class="select" id="{name}" name="{name}">{opts}</select></div>'
    )


def _group_html(content: Content, group: SupportGroup) -> str:
    """One support group: name, summary, area, contact, any caution and its source."""
    body = f'<div class="group"><h3>{esc(group.name)}</h3><p>{esc(group.summary)}</p>'
    if group.areas and content.dspl:
        names = ", ".join(area_name(content.dspl, a) for a in group.areas)
        body += f"<p>Area: {esc(names)}</p>"
    else:
        body += "<p>Area: all of the county</p>"
    if group.contact:
        body += contacts_list([group.contact])
    if group.caution:
        body += f'<p class="caution">Please note: {esc(group.caution)}</p>'
    return body + source_note(group) + "</div>"


def groups_body(
    content: Content, area_id: int | None, need: str, words: str, offset: int
) -> str:
    """Support groups filtered by DSPL area and need, a page at a time."""
    if content.dspl is None or (area_id is not None and _area(content, area_id) is None):
        area_id = None
    needs = [need] if need in content.need_keywords else []
    words = words.strip()[:MAX_PLACE_CHARS]
    if words and not needs:
        needs = needs_in_text(words, content)
    groups = matching_groups(content, area_id, needs)
    page = page_of(groups, offset, GROUPS_PER_PAGE)
    areas = [("", "All areas")]
    if content.dspl:
        areas += [(str(a.id), f"{a.name} ({', '.join(a.towns[:3])})") for a in content.dspl.areas]
    need_opts = [("", "Any need")] + [
        (tag, NEED_LABELS.get(tag, tag.replace("_", " ").capitalize()))
        for tag in content.need_keywords
    ]
    body = (
        "<h1>Support groups</h1>"
        "<p>Groups, charities and services that families and settings can contact. Choose an "
        "area and a need, or leave them as they are to see everything.</p>"
        '<form method="get" action="" novalidate>'
        + _select("area", "DSPL area", areas, str(area_id or ""))
        + _select("need", "Need", need_opts, need if needs == [need] else "")
        + '<div class="form-group"><label class="label" for="words">Or describe it in your '
        'own words (optional)</label><div id="words-hint" class="hint">For example, '
        '"hearing" or "meeting other parents". This is not stored.</div>'
        f'<input class="input" id="words" name="words" type="text" maxlength="{MAX_PLACE_CHARS}"'
        f' value="{esc(words)}" aria-describedby="words-hint"></div>'
        '<button type="submit" class="button">Show groups</button></form>'
    )
    shown = f"{page.offset + 1} to {page.offset + len(page.groups)}" if page.groups else "0"
    body += f'<h2 id="results">{page.total} groups found</h2>'
    body += f"<p>Showing {shown} of {page.total}.</p>" if page.total else (
        f'<p>No groups match. Try "All areas", or <a href="{CONTACT_PATH}">contact a person'
        "</a>.</p>"
    )
    body += "".join(_group_html(content, group) for group in page.groups)
    if page.has_more or page.offset:
        nav = []
        query = {"area": str(area_id or ""), "need": need, "words": words}
        if page.offset:
            prev = max(0, page.offset - GROUPS_PER_PAGE)
            nav.append(f'<a href="?{esc(urlencode({**query, "offset": prev}))}">Previous</a>')
        if page.has_more:
            nxt = page.offset + GROUPS_PER_PAGE
            nav.append(f'<a href="?{esc(urlencode({**query, "offset": nxt}))}">Next</a>')
        body += '<nav class="pagination" aria-label="Results pages">' + " ".join(nav) + "</nav>"
    return body
