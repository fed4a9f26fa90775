"""Routes of the guide, the contact page and the statements (server-rendered, no JS needed).

The handlers are module-level; what they are bound to (the content, the settings, the
counters) is a :class:`ServiceRoutes` they find with :func:`bot.web.routes.bound_to`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, html, redirect

from bot.guidance.content.schema import Content
from bot.guidance.referral import assess, handoff_payload, questions_needed
from bot.operations.insight import InsightStore
from bot.web.params import Number, Param
from bot.web.referral.handoff import clean_handoff
from bot.web.render import page
from bot.web.routes import RouteTable, bound_to
from bot.web.service import check
from bot.web.service.check_pages import (
    check_answers_body,
    question_body,
    result_body,
    start_body,
)
from bot.web.service.feedback import page_feedback_form
from bot.web.service.guide import (
    CHECK_PATH,
    CONTACT_PATH,
    DSPL_PATH,
    GROUPS_PATH,
    contact_body,
    index_body,
    page_by_slug,
    topic_page_body,
)
from bot.web.service.places import MAX_PLACE_CHARS, dspl_body, groups_body
from bot.web.service.settings import ServiceSettings
from bot.web.service.statements import about_body, accessibility_body, privacy_body

log = logging.getLogger(__name__)
GUIDE = ("/guide", "Guide")
PLACE = Param("place", MAX_PLACE_CHARS)
AREA = Number("area", low=0, high=999)
NEED = Param("need", 50)
WORDS = Param("words", MAX_PLACE_CHARS)
OFFSET = Number("offset", low=0, high=10_000)
ROUTES = RouteTable()


def _record(store: InsightStore, kind: str, source: str = "guide", detail: str = "") -> None:
    try:
        store.add_event(kind, source, detail)
    except Exception as err:  # counting must never break a page
        log.warning("could not record %s: %s", kind, type(err).__name__)


@dataclass(frozen=True, eq=False)  # hashed as itself (see bot.web.routes)
class ServiceRoutes:
    """What the guide's handlers are bound to."""

    content_of: Callable[[], Content]
    settings: ServiceSettings
    store: InsightStore


def create_service_blueprint(
    content_of: Callable[[], Content], settings: ServiceSettings, store: InsightStore
) -> Blueprint:
    """The guide, 'Contact a person' and the statements."""
    return ROUTES.blueprint("service", ServiceRoutes(content_of, settings, store))


def routes_of(request: Request) -> ServiceRoutes:
    """The content, settings and counters the route was made with."""
    return bound_to(request)


def current_content(request: Request) -> Content:
    """The council content, as it is now."""
    return routes_of(request).content_of()


def guide_page(
    request: Request, title: str, body: str, crumbs: list[tuple[str, str]], status: int = 200
) -> HTTPResponse:
    """A page of the guide: the body, 'Was this page helpful?' and the breadcrumbs."""
    body += page_feedback_form(request.path)
    return html(page(title, body, breadcrumbs=[("/", "Home"), *crumbs]), status=status)


@ROUTES.get("/guide")
async def guide_index(request: Request) -> HTTPResponse:
    """GET /guide: the guide's front page."""
    current = current_content(request)
    return guide_page(request, f"{current.council.service_name}: a guide",
                      index_body(current), [("", "Guide")])


@ROUTES.get("/guide/<slug:str>")
async def topic(request: Request, slug: str) -> HTTPResponse:
    """GET /guide/<slug>: the DSPL finder, the support groups, or a page of topics."""
    if slug == DSPL_PATH.rsplit("/", 1)[1]:
        return dspl_page(request)
    if slug == GROUPS_PATH.rsplit("/", 1)[1]:
        return groups_page(request)
    found = page_by_slug(slug)
    if found is None:
        raise NotFound("Not found")
    return guide_page(request, found.title, topic_page_body(current_content(request), found),
                      [GUIDE, ("", found.title)])


def dspl_page(request: Request) -> HTTPResponse:
    """'Find your DSPL area': the form, and the area of the place typed (counted by area)."""
    routes = routes_of(request)
    current = routes.content_of()
    args = request.get_args(keep_blank_values=True)
    place = PLACE.read(args) if PLACE.sent(args) else None
    body, status, result = dspl_body(current, place)
    if result is not None and status == 200:
        areas = ",".join(str(a) for a in result.areas) if result.status == "found" else ""
        _record(routes.store, "dspl_lookup", detail=areas and body_area(current, result.areas))
    title = "Error: Find your DSPL area" if status == 400 else "Find your DSPL area"
    return guide_page(request, title, body, [GUIDE, ("", "Find your DSPL area")], status)


def groups_page(request: Request) -> HTTPResponse:
    """'Support groups', filtered by area, need and words, a page at a time."""
    args = request.args
    body = groups_body(
        current_content(request), AREA.number(args), NEED.read(args), WORDS.read(args),
        OFFSET.number(args, 0) or 0,
    )
    return guide_page(request, "Support groups", body, [GUIDE, ("", "Support groups")])


@ROUTES.get(CONTACT_PATH)
async def contact(request: Request) -> HTTPResponse:
    """GET /contact: 'Contact a person'."""
    return guide_page(request, "Contact a person", contact_body(current_content(request)),
                      [("", "Contact a person")])


@ROUTES.get("/accessibility")
async def accessibility(request: Request) -> HTTPResponse:
    """GET /accessibility: the accessibility statement."""
    body = accessibility_body(current_content(request))
    return guide_page(request, "Accessibility statement", body, [("", "Accessibility statement")])


@ROUTES.get("/privacy")
async def privacy(request: Request) -> HTTPResponse:
    """GET /privacy: the privacy notice, with the retention periods in force."""
    settings = routes_of(request).settings
    body = privacy_body(
        current_content(request),
        settings.conversation_retention_days,
        settings.feedback_retention_days,
        request.app.ctx.config.token_ttl_hours,
    )
    return guide_page(request, "Privacy notice", body, [("", "Privacy notice")])


@ROUTES.get("/about-this-assistant")
async def about(request: Request) -> HTTPResponse:
    """GET /about-this-assistant."""
    return guide_page(request, "About this assistant", about_body(current_content(request)),
                      [("", "About this assistant")])


# "Can I refer?": start, one page per question, check answers, result, summary.
CHECK_CRUMBS = [GUIDE, (CHECK_PATH, "Can I refer?")]


@ROUTES.get(CHECK_PATH)
async def check_start(request: Request) -> HTTPResponse:
    """GET /guide/can-i-refer: what the check is, and 'Start now'."""
    return guide_page(request, "Can I refer?", start_body(current_content(request)),
                      [GUIDE, ("", "Can I refer?")])


def when_complete(
    request: Request, page_of: Callable[[Request, Content, check.Answers], HTTPResponse]
) -> HTTPResponse:
    """``page_of`` once the address holds every answer the check needs, else a redirect to
    the first one missing."""
    current = current_content(request)
    answers = check.needed_answers(check.answers_from(request.args, current), current)
    missing = check.next_slot(answers, current)
    if missing:
        return redirect(f"{CHECK_PATH}/{missing}{check.query(answers)}", status=303)
    return page_of(request, current, answers)


@ROUTES.get(f"{CHECK_PATH}/check")
async def check_answers(request: Request) -> HTTPResponse:
    """GET .../check: 'Check your answers'."""
    return when_complete(request, answers_page)


def answers_page(request: Request, current: Content, answers: check.Answers) -> HTTPResponse:
    """'Check your answers', with a Change link for each."""
    body = check_answers_body(current, answers, questions_needed(answers, current))
    return guide_page(request, "Check your answers", body, CHECK_CRUMBS)


@ROUTES.get(f"{CHECK_PATH}/result")
async def check_result(request: Request) -> HTTPResponse:
    """GET .../result: what the answers suggest."""
    return when_complete(request, result_page)


def result_page(request: Request, current: Content, answers: check.Answers) -> HTTPResponse:
    """The outcome and what to do next (the outcome is counted)."""
    assessment = assess(answers, current)
    _record(routes_of(request).store, "guide_check_done", detail=assessment.outcome)
    title = current.referral.outcomes[assessment.outcome].title
    return guide_page(request, title, result_body(current, answers, assessment), CHECK_CRUMBS)


@ROUTES.post(f"{CHECK_PATH}/summary")
async def check_summary(request: Request) -> HTTPResponse:
    """POST .../summary: a service-request draft from the answers, then its form."""
    if request.app.ctx.ip_limiter.hit(request.ctx.client_ip):
        return html(page("Too many requests", "<h1>Too many requests</h1>"), 429)
    current = current_content(request)
    answers = check.needed_answers(check.answers_from(request.form or {}, current), current)
    if check.next_slot(answers, current):
        return redirect(f"{CHECK_PATH}/check{check.query(answers)}", status=303)
    assessment = assess(answers, current)
    if not current.referral.outcomes[assessment.outcome].offer_handoff:
        return redirect(f"{CHECK_PATH}/result{check.query(answers)}", status=303)
    payload = clean_handoff({**handoff_payload(answers, assessment, current),
                             "channel": "guide"})
    drafts = request.app.ctx.referrals
    drafts.purge_expired()
    ref = drafts.create(payload)
    _record(routes_of(request).store, "handoff_started")
    return redirect(f"/referral/{ref.token}", status=303)


@ROUTES.get(f"{CHECK_PATH}/<slot:str>")
async def question(request: Request, slot: str) -> HTTPResponse:
    """GET .../<slot>: one question, with the answers so far."""
    current = current_content(request)
    if slot not in check.PARAMS:
        raise NotFound("Not found")
    answers = check.answers_from(request.args, current)
    body = question_body(current, slot, answers, back_link(slot, answers, current))
    return guide_page(request, check.questions(current)[slot].title, body, CHECK_CRUMBS)


@ROUTES.post(f"{CHECK_PATH}/<slot:str>")
async def answer(request: Request, slot: str) -> HTTPResponse:
    """POST .../<slot>: the next question (or 'Check your answers'), or this one with an error."""
    current = current_content(request)
    if slot not in check.PARAMS:
        raise NotFound("Not found")
    form = request.form or {}
    answers = check.answers_from(form, current)
    q = check.questions(current)[slot]
    value = check.read_answer(q, form, current)
    if value is None:
        typed = check.typed(q, form)
        body = question_body(current, slot, answers, back_link(slot, answers, current),
                             q.error, typed[:100])
        return guide_page(request, f"Error: {q.title}", body, CHECK_CRUMBS, status=400)
    answers = check.needed_answers(check.with_answer(answers, slot, value), current)
    nxt = check.next_slot(answers, current)
    target = f"{CHECK_PATH}/{nxt}" if nxt else f"{CHECK_PATH}/check"
    return redirect(f"{target}{check.query(answers)}", status=303)


def back_link(slot: str, answers: check.Answers, content: Content) -> str:
    """Where the question's Back link goes: the question before, or the start."""
    before = check.previous_slot(slot, answers, content)
    return f"{CHECK_PATH}/{before}{check.query(answers)}" if before else CHECK_PATH


def body_area(content: Content, areas: list[int]) -> str:
    """The DSPL area's name for the counter (never the place typed)."""
    from bot.guidance.dspl import area_name

    return area_name(content.dspl, areas[0]) if content.dspl and areas else ""
