"""HTML of the referral form, the summary to print and the e-mail text."""

from __future__ import annotations

import time
from typing import Any

from bot.storage.referral_drafts import Referral
from bot.web.referral.fields import Field, Section, all_fields, answer_text
from bot.web.render import esc, link, page


def when(ts: float) -> str:
    """A timestamp as words, e.g. '3 March 2026 at 14:05'."""
    t = time.localtime(ts)
    return f"{t.tm_mday} {time.strftime('%B %Y at %H:%M', t)}"


def _error(f: Field, errors: dict[str, str]) -> str:
    if f.name not in errors:
        return ""
    return (
        f'<p id="{f.name}-error" class="error-message">'
        f'<span class="visually-hidden">Error:</span> {esc(errors[f.name])}</p>'
    )


def _hint(f: Field) -> str:
    return f'<div id="{f.name}-hint" class="hint">{esc(f.hint)}</div>' if f.hint else ""


def _described_by(f: Field, errors: dict[str, str]) -> str:
    ids = [f"{f.name}-hint"] if f.hint else []
    if f.name in errors:
        ids.append(f"{f.name}-error")
    return f' aria-describedby="{" ".join(ids)}"' if ids else ""


def _choices(f: Field, value: Any, errors: dict[str, str]) -> str:
    kind = "checkbox" if f.kind == "checkboxes" else "radio"
    chosen = set(value) if isinstance(value, list) else {value}
    items = []
    for i, (key, label) in enumerate(f.options):
        input_id = f.name if i == 0 else f"{f.name}-{i + 1}"
        checked = " checked" if key in chosen else ""
        items.append(
            f'<div class="choice"><input class="choice__input" id="{input_id}" name="{f.name}" '
            f'type="{kind}" value="{esc(key)}"{checked}>'
            f'<label class="choice__label" for="{input_id}">{esc(label)}</label></div>'
        )
    return (
        f'<fieldset class="fieldset"{_described_by(f, errors)}>'
        f'<legend class="fieldset__legend">{esc(f.label)}</legend>'
        f'{_hint(f)}{_error(f, errors)}<div class="choices">{"".join(items)}</div></fieldset>'
    )


def _input(f: Field, value: Any, errors: dict[str, str], max_chars: int) -> str:
    invalid = ' aria-invalid="true"' if f.name in errors else ""
    label = f'<label class="label" for="{f.name}">{esc(f.label)}</label>'
    if f.kind == "textarea":
        control = (
            f'<textarea class="textarea" id="{f.name}" name="{f.name}" rows="5" '
            f'maxlength="{max_chars}"{_described_by(f, errors)}{invalid}>{esc(value)}</textarea>'
        )
    else:
        control = (
            f'<input class="input" id="{f.name}" name="{f.name}" type="text" maxlength="200" '
            f'value="{esc(value)}"{_described_by(f, errors)}{invalid}>'
        )
    return f"{label}{_hint(f)}{_error(f, errors)}{control}"


def field_html(f: Field, value: Any, errors: dict[str, str], max_chars: int) -> str:
    """One question in the GOV.UK pattern: label or legend, hint, error, control."""
    group = "form-group form-group--error" if f.name in errors else "form-group"
    inner = (
        _choices(f, value, errors)
        if f.kind in ("radios", "checkboxes")
        else _input(f, value, errors, max_chars)
    )
    return f'<div class="{group}">{inner}</div>'


def error_summary(errors: dict[str, str]) -> str:
    """The error summary at the top of the page, linking to each question."""
    items = "".join(f'<li><a href="#{name}">{esc(msg)}</a></li>' for name, msg in errors.items())
    return (
        '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" '
        'tabindex="-1" id="error-summary">'
        '<h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>'
        f'<ul class="error-summary__list">{items}</ul></div>'
    )


def form_page(
    ref: Referral,
    sections: tuple[Section, ...],
    values: dict[str, Any],
    errors: dict[str, str],
    max_chars: int,
) -> str:
    """The pre-filled form the person checks and completes."""
    title = "Prepare your service request"
    body = error_summary(errors) if errors else ""
    body += (
        f"<h1>{esc(title)}</h1>"
        '<p class="lead">We have filled in what you told the assistant. Check it, add what is '
        "missing, then continue to a summary you can print or save as a PDF.</p>"
        '<div class="inset">'
        f"<p>This page and your answers will be deleted on {esc(when(ref.expires))}, or sooner "
        "if you choose to delete them. Reference: "
        f"<strong>{esc(ref.reference)}</strong>.</p></div>"
        f'<form method="post" action="/referral/{esc(ref.token)}" novalidate>'
    )
    for section in sections:
        body += f'<div class="section"><h2>{esc(section.title)}</h2>'
        body += "".join(
            field_html(f, values.get(f.name, ""), errors, max_chars) for f in section.fields
        )
        body += "</div>"
    body += '<button type="submit" class="button">Continue</button></form>'
    body += delete_form(ref)
    return page(("Error: " if errors else "") + title, body, scripts=("/static/referral.js",))


def delete_form(ref: Referral) -> str:
    """The 'Delete my answers' button."""
    return (
        f'<form method="post" action="/referral/{esc(ref.token)}/delete" class="no-print">'
        '<button type="submit" class="button button--warning">Delete my answers</button></form>'
    )


def summary_rows(ref: Referral, sections: tuple[Section, ...]) -> list[tuple[Field, str]]:
    """Each question with its answer as words."""
    answers = ref.answers or {}
    return [(f, answer_text(f, answers.get(f.name))) for f in all_fields(sections)]


def _next_steps(handoff: dict[str, Any]) -> str:
    html = ""
    if handoff.get("outcome_title"):
        html += f"<p><strong>{esc(handoff['outcome_title'])}</strong></p>"
    steps = handoff.get("next_steps") or []
    if steps:
        html += '<ol class="list list--number">' + "".join(f"<li>{esc(s)}</li>" for s in steps)
        html += "</ol>"
    form_name = handoff.get("form_name") or "official form"
    if handoff.get("form_page_url"):
        html += (
            f"<p>Send this summary with the {esc(form_name)}. You can find the form on the "
            f"{link(handoff['form_page_url'], 'council page for the service', True)}.</p>"
        )
    else:
        html += f"<p>Send this summary with the {esc(form_name)}.</p>"
    contacts = handoff.get("contacts") or []
    if contacts:
        html += '<h3>Contacts</h3><ul class="list">'
        for c in contacts:
            parts = [esc(c["name"])]
            if c.get("phone"):
                parts.append(f"phone {esc(c['phone'])}")
            if c.get("email"):
                parts.append(f"email {esc(c['email'])}")
            if c.get("url"):
                parts.append(link(c["url"], "website", True))
            if c.get("note"):
                parts.append(esc(c["note"]))
            html += f"<li>{', '.join(parts)}</li>"
        html += "</ul>"
    return html


def summary_page(ref: Referral, sections: tuple[Section, ...], notice: str = "") -> str:
    """The answers to check and print, with what to do next."""
    title = "Your service request summary"
    rows = "".join(
        '<div class="summary-list__row">'
        f'<dt class="summary-list__key">{esc(f.label)}</dt>'
        f'<dd class="summary-list__value">{esc(value) or "Not answered"}</dd>'
        f'<dd class="summary-list__actions no-print"><a href="/referral/{esc(ref.token)}#{f.name}">'
        f'Change<span class="visually-hidden"> {esc(f.label.lower())}</span></a></dd></div>'
        for f, value in summary_rows(ref, sections)
    )
    service = ref.handoff.get("service_name") or "the service"
    body = notice
    body += (
        f"<h1>{esc(title)}</h1>"
        f"<p>Reference <strong>{esc(ref.reference)}</strong>, prepared on "
        f"{esc(when(ref.created))}. This is not a service request on its own.</p>"
        f'<dl class="summary-list">{rows}</dl>'
        f"<h2>What to do next</h2>{_next_steps(ref.handoff)}"
        '<div class="actions no-print">'
        '<button type="button" class="button js-print" hidden>Print or save as PDF</button>'
        '<p class="hint js-no-print">To print or save as a PDF, use your browser\'s print '
        "option.</p>"
    )
    if ref.sent:
        body += f"<p>A copy was passed to {esc(service)} on {esc(when(ref.sent))}.</p>"
    else:
        body += (
            f'<form method="post" action="/referral/{esc(ref.token)}/send">'
            f'<button type="submit" class="button button--secondary">Send a copy to '
            f"{esc(service)}</button></form>"
        )
    body += "</div>" + delete_form(ref)
    body += f'<p class="no-print">Your answers will be deleted on {esc(when(ref.expires))}.</p>'
    return page(title, body, scripts=("/static/referral.js",))


def email_text(ref: Referral, sections: tuple[Section, ...]) -> str:
    """The summary as plain text for the service's inbox."""
    lines = [
        "Service request summary prepared with the Early Years SEND assistant.",
        f"Reference: {ref.reference}",
        f"Prepared: {when(ref.created)}",
        "The person will also send the official form quoting this reference.",
        "",
    ]
    for f, value in summary_rows(ref, sections):
        lines += [f"{f.label}", f"  {value or 'Not answered'}", ""]
    for key in ("outcome_title", "dspl_area"):
        if ref.handoff.get(key):
            lines.append(f"{key.replace('_', ' ').capitalize()}: {ref.handoff[key]}")
    return "\n".join(lines) + "\n"
