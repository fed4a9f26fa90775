"""Routes of the guide, the contact page and the statements (server-rendered, no JS needed)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, html, redirect

from bot.guidance.content.schema import Content
from bot.guidance.referral import assess, handoff_payload, questions_needed
from bot.operations.insight import InsightStore
from bot.web.params import Number, Param
from bot.web.referral.handoff import clean_handoff
from bot.web.render import page
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


def _record(store: InsightStore, kind: str, source: str = "guide", detail: str = "") -> None:
    try:
        store.add_event(kind, source, detail)
    except Exception as err:  # counting must never break a page
        log.warning("could not record %s: %s", kind, type(err).__name__)


def create_service_blueprint(
    content_of: Callable[[], Content], settings: ServiceSettings, store: InsightStore
) -> Blueprint:
    """The guide, 'Contact a person' and the statements."""
    bp = Blueprint("service")

    def guide_page(
        request: Request, title: str, body: str, crumbs: list[tuple[str, str]], status: int = 200
    ) -> HTTPResponse:
        body += page_feedback_form(request.path)
        return html(page(title, body, breadcrumbs=[("/", "Home"), *crumbs]), status=status)

    @bp.get("/guide")
    async def guide_index(request: Request) -> HTTPResponse:
        content = content_of()
        return guide_page(request, f"{content.council.service_name}: a guide",
                          index_body(content), [("", "Guide")])

    @bp.get("/guide/<slug:str>")
    async def topic(request: Request, slug: str) -> HTTPResponse:
        content = content_of()
        if slug == DSPL_PATH.rsplit("/", 1)[1]:
            args = request.get_args(keep_blank_values=True)
            place = PLACE.read(args) if PLACE.sent(args) else None
            body, status, result = dspl_body(content, place)
            if result is not None and status == 200:
                areas = ",".join(str(a) for a in result.areas) if result.status == "found" else ""
                _record(store, "dspl_lookup", detail=areas and body_area(content, result.areas))
            title = "Error: Find your DSPL area" if status == 400 else "Find your DSPL area"
            return guide_page(request, title, body, [GUIDE, ("", "Find your DSPL area")], status)
        if slug == GROUPS_PATH.rsplit("/", 1)[1]:
            args = request.args
            body = groups_body(
                content, AREA.number(args), NEED.read(args), WORDS.read(args),
                OFFSET.number(args, 0) or 0,
            )
            return guide_page(request, "Support groups", body, [GUIDE, ("", "Support groups")])
        found = page_by_slug(slug)
        if found is None:
            raise NotFound("Not found")
        return guide_page(request, found.title, topic_page_body(content, found),
                          [GUIDE, ("", found.title)])

    @bp.get(CONTACT_PATH)
    async def contact(request: Request) -> HTTPResponse:
        return guide_page(request, "Contact a person", contact_body(content_of()),
                          [("", "Contact a person")])

    @bp.get("/accessibility")
    async def accessibility(request: Request) -> HTTPResponse:
        return guide_page(request, "Accessibility statement", accessibility_body(content_of()),
                          [("", "Accessibility statement")])

    @bp.get("/privacy")
    async def privacy(request: Request) -> HTTPResponse:
        config = request.app.ctx.config
        body = privacy_body(
            content_of(),
            settings.conversation_retention_days,
            settings.feedback_retention_days,
            config.token_ttl_hours,
        )
        return guide_page(request, "Privacy notice", body, [("", "Privacy notice")])

    @bp.get("/about-this-assistant")
    async def about(request: Request) -> HTTPResponse:
        return guide_page(request, "About this assistant", about_body(content_of()),
                          [("", "About this assistant")])

    # "Can I refer?": start, one page per question, check answers, result, summary.
    crumbs = [GUIDE, (CHECK_PATH, "Can I refer?")]

    @bp.get(CHECK_PATH)
    async def check_start(request: Request) -> HTTPResponse:
        return guide_page(request, "Can I refer?", start_body(content_of()),
                          [GUIDE, ("", "Can I refer?")])

    def complete_answers(request: Request, content: Content) -> Any:
        """All the answers the check needs, or a redirect to the first one missing."""
        answers = check.needed_answers(check.answers_from(request.args, content), content)
        missing = check.next_slot(answers, content)
        if missing:
            return redirect(f"{CHECK_PATH}/{missing}{check.query(answers)}", status=303)
        return answers

    @bp.get(f"{CHECK_PATH}/check")
    async def check_answers(request: Request) -> HTTPResponse:
        content = content_of()
        answers = complete_answers(request, content)
        if isinstance(answers, HTTPResponse):
            return answers
        body = check_answers_body(content, answers, questions_needed(answers, content))
        return guide_page(request, "Check your answers", body, crumbs)

    @bp.get(f"{CHECK_PATH}/result")
    async def check_result(request: Request) -> HTTPResponse:
        content = content_of()
        answers = complete_answers(request, content)
        if isinstance(answers, HTTPResponse):
            return answers
        assessment = assess(answers, content)
        _record(store, "guide_check_done", detail=assessment.outcome)
        title = content.referral.outcomes[assessment.outcome].title
        return guide_page(request, title, result_body(content, answers, assessment), crumbs)

    @bp.post(f"{CHECK_PATH}/summary")
    async def check_summary(request: Request) -> HTTPResponse:
        if request.app.ctx.ip_limiter.hit(request.ctx.client_ip):
            return html(page("Too many requests", "<h1>Too many requests</h1>"), 429)
        content = content_of()
        answers = check.needed_answers(check.answers_from(request.form or {}, content), content)
        if check.next_slot(answers, content):
            return redirect(f"{CHECK_PATH}/check{check.query(answers)}", status=303)
        assessment = assess(answers, content)
        if not content.referral.outcomes[assessment.outcome].offer_handoff:
            return redirect(f"{CHECK_PATH}/result{check.query(answers)}", status=303)
        payload = clean_handoff({**handoff_payload(answers, assessment, content),
                                 "channel": "guide"})
        store_ = request.app.ctx.referrals
        store_.purge_expired()
        ref = store_.create(payload)
        _record(store, "handoff_started")
        return redirect(f"/referral/{ref.token}", status=303)

    @bp.get(f"{CHECK_PATH}/<slot:str>")
    async def question(request: Request, slot: str) -> HTTPResponse:
        content = content_of()
        if slot not in check.PARAMS:
            raise NotFound("Not found")
        answers = check.answers_from(request.args, content)
        body = question_body(content, slot, answers, back_link(slot, answers, content))
        return guide_page(request, check.questions(content)[slot].title, body, crumbs)

    @bp.post(f"{CHECK_PATH}/<slot:str>")
    async def answer(request: Request, slot: str) -> HTTPResponse:
        content = content_of()
        if slot not in check.PARAMS:
            raise NotFound("Not found")
        form = request.form or {}
        answers = check.answers_from(form, content)
        q = check.questions(content)[slot]
        value = check.read_answer(q, form, content)
        if value is None:
            typed = check.typed(q, form)
            body = question_body(content, slot, answers, back_link(slot, answers, content),
                                 q.error, typed[:100])
            return guide_page(request, f"Error: {q.title}", body, crumbs, status=400)
        answers = check.needed_answers(check.with_answer(answers, slot, value), content)
        nxt = check.next_slot(answers, content)
        target = f"{CHECK_PATH}/{nxt}" if nxt else f"{CHECK_PATH}/check"
        return redirect(f"{target}{check.query(answers)}", status=303)

    def back_link(slot: str, answers: check.Answers, content: Content) -> str:
        before = check.previous_slot(slot, answers, content)
        return f"{CHECK_PATH}/{before}{check.query(answers)}" if before else CHECK_PATH

    return bp


def body_area(content: Content, areas: list[int]) -> str:
    """The DSPL area's name for the counter (never the place typed)."""
    from bot.guidance.dspl import area_name

    return area_name(content.dspl, areas[0]) if content.dspl and areas else ""
