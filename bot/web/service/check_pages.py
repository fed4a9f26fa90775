"""HTML of the guide's "Can I refer?" pages (GOV.UK question-page pattern)."""

from __future__ import annotations

from typing import Any

from bot.guidance.content.schema import Content
from bot.guidance.referral import Answers, Assessment
from bot.web.render import esc, link
from bot.web.service.check import (
    PARAMS,
    Question,
    answer_text,
    field_value,
    params_of,
    query,
    questions,
)
from bot.web.service.guide import CHECK_PATH, ROLE_HEADINGS
from bot.web.service.html import contacts_list, paragraphs


def hidden_fields(answers: Answers, skip: str = "") -> str:
    """The answers so far as hidden inputs (all but the one being asked)."""
    return "".join(
        f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">'
        for k, v in params_of(answers).items()
        if k != PARAMS.get(skip)
    )


def start_body(content: Content) -> str:
    """What the check is, before the first question."""
    return (
        f'<span class="caption">{esc(content.council.service_name)}</span>'
        "<h1>Can I refer?</h1>"
        "<p>Answer up to 6 short questions, one at a time, to see whether asking the "
        f"{esc(content.council.service_name)} for support looks like the right next step.</p>"
        "<p>We do not ask for any names or contact details, and nothing is stored until you "
        "choose to prepare a summary.</p>"
        f'<div class="inset"><p>This is guidance only. Whether a request is accepted is '
        f"decided by {esc(content.referral.decided_by)}.</p></div>"
        f'<a class="button button--start" href="{CHECK_PATH}/requester_role" role="button">'
        "Start now</a>"
    )


def _control(q: Question, value: Any, error: str) -> str:
    described = " ".join(
        x for x in (f"{q.slot}-hint" if q.hint else "", f"{q.slot}-error" if error else "") if x
    )
    aria = f' aria-describedby="{described}"' if described else ""
    hint = f'<div id="{q.slot}-hint" class="hint">{esc(q.hint)}</div>' if q.hint else ""
    err = (
        f'<p id="{q.slot}-error" class="error-message"><span class="visually-hidden">Error:'
        f"</span> {esc(error)}</p>"
        if error
        else ""
    )
    if q.kind == "text":
        invalid = ' aria-invalid="true"' if error else ""
        return (
            f'<h1><label class="label label--page" for="{q.slot}">{esc(q.title)}</label></h1>'
            f'{hint}{err}<input class="input input--20" id="{q.slot}" name="{q.slot}" '
            f'type="text" maxlength="100" value="{esc(value)}"{aria}{invalid}>'
        )
    kind = "checkbox" if q.kind == "checkboxes" else "radio"
    chosen = set(value) if isinstance(value, list) else {value}
    ids = [q.slot if i == 0 else f"{q.slot}-{i + 1}" for i in range(len(q.options))]
    items = "".join(
        f'<div class="choice"><input class="choice__input" id="{input_id}"'
        f' name="{q.slot}" type="{kind}" value="{esc(key)}"{" checked" if key in chosen else ""}>'
        f'<label class="choice__label" for="{input_id}">{esc(label)}</label></div>'
        for input_id, (key, label) in zip(ids, q.options, strict=True)
    )
    extra = ""
    if q.kind == "checkboxes":
        extra = (
            '<div class="form-group form-group--inner"><label class="label" for="concern_words">'
            "Or describe it in your own words (optional)</label>"
            '<input class="input" id="concern_words" name="concern_words" type="text" '
            'maxlength="100"></div>'
        )
    return (
        f'<fieldset class="fieldset"{aria}><legend class="fieldset__legend fieldset__legend--page">'
        f"<h1 class=\"fieldset__heading\">{esc(q.title)}</h1></legend>{hint}{err}"
        f'<div class="choices">{items}</div></fieldset>{extra}'
    )


def question_body(
    content: Content, slot: str, answers: Answers, back: str, error: str = "", typed: str = ""
) -> str:
    """One question page, with a Back link and the error summary when needed."""
    q = questions(content)[slot]
    value = typed if (error and q.kind == "text") else field_value(q, getattr(answers, slot))
    body = f'<a class="back-link" href="{esc(back)}">Back</a>'
    if error:
        first_id = q.slot
        body += (
            '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" '
            'tabindex="-1" id="error-summary"><h2 class="error-summary__title" '
            'id="error-summary-title">There is a problem</h2><ul class="error-summary__list">'
            f'<li><a href="#{first_id}">{esc(error)}</a></li></ul></div>'
        )
    group = "form-group form-group--error" if error else "form-group"
    body += (
        f'<form method="post" action="{CHECK_PATH}/{slot}" novalidate>'
        f"{hidden_fields(answers, slot)}"
        f'<div class="{group}">{_control(q, value, error)}</div>'
        '<button type="submit" class="button">Continue</button></form>'
    )
    return body


def check_answers_body(content: Content, answers: Answers, needed: list[str]) -> str:
    """'Check your answers' with a Change link for each."""
    qs = questions(content)
    rows = "".join(
        '<div class="summary-list__row">'
        f'<dt class="summary-list__key">{esc(qs[s].title)}</dt>'
        f'<dd class="summary-list__value">{esc(answer_text(qs[s], getattr(answers, s)))}</dd>'
        f'<dd class="summary-list__actions"><a href="{CHECK_PATH}/{s}{esc(query(answers))}">'
        f'Change<span class="visually-hidden"> {esc(qs[s].title.lower())}</span></a></dd></div>'
        for s in needed
    )
    return (
        f'<a class="back-link" href="{CHECK_PATH}/{needed[-1]}{esc(query(answers))}">Back</a>'
        "<h1>Check your answers</h1>"
        f'<dl class="summary-list">{rows}</dl>'
        f'<a class="button" href="{CHECK_PATH}/result{esc(query(answers))}" role="button">'
        "See what your answers suggest</a>"
    )


def result_body(content: Content, answers: Answers, assessment: Assessment) -> str:
    """The outcome, the reasons, who decides, the next steps and (if fitting) the summary."""
    outcome = content.referral.outcomes[assessment.outcome]
    role = answers.requester_role or "other"
    steps = content.referral.next_steps.get(role) or content.referral.next_steps.get("other", [])
    body = (
        f'<a class="back-link" href="{CHECK_PATH}/check{esc(query(answers))}">Back</a>'
        f'<span class="caption">Can I refer?</span><h1>{esc(outcome.title)}</h1>'
    )
    if assessment.reasons:
        body += "<h2>Based on your answers</h2><ul class=\"list\">" + "".join(
            f"<li>{esc(r)}</li>" for r in assessment.reasons
        ) + "</ul>"
    body += f"<h2>What this means</h2>{paragraphs(outcome.text)}"
    body += (
        f'<div class="inset"><p>This is guidance only: whether a request is accepted is '
        f"decided by {esc(content.referral.decided_by)}.</p></div>"
    )
    if outcome.contacts:
        body += "<h2>Who can help</h2>" + contacts_list(
            [content.contacts[c] for c in outcome.contacts]
        )
    if steps:
        heading = ROLE_HEADINGS.get(role, "Next steps")
        body += f"<h2>Next steps</h2><p>{esc(heading)}:</p><ol class=\"list\">" + "".join(
            f"<li>{esc(s)}</li>" for s in steps
        ) + "</ol>"
    if outcome.offer_handoff:
        body += (
            "<h2>Prepare a summary to send with the form</h2>"
            f"<p>We can fill in a summary of your answers for the {esc(content.referral.form_name)}"
            ". You can check it, add what you have noticed, and print it or save it as a PDF. "
            "It is deleted after a short time, or when you choose.</p>"
            f'<form method="post" action="{CHECK_PATH}/summary" novalidate>'
            f"{hidden_fields(answers)}"
            '<button type="submit" class="button">Prepare my summary</button></form>'
        )
    form_link = link(
        content.referral.form_page_url, f"The council page with the {content.referral.form_name}",
        True,
    )
    body += (
        f"<p>{form_link}</p>"
        f'<p><a href="{CHECK_PATH}">Start the questions again</a></p>'
    )
    return body
