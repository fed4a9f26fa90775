"""Routes of the service request: /referral/<token> form, summary, send and delete."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect

from bot.storage.referral_drafts import Referral, ReferralExpired, ReferralStore
from bot.web.config import GatewayConfig
from bot.web.ratelimit import retry_after_header
from bot.web.referral.fields import all_fields, concern_choices, form_sections, prefill, read_form
from bot.web.referral.forward import forward
from bot.web.referral.pages import email_text, form_page, summary_page
from bot.web.render import message_page

log = logging.getLogger(__name__)


def _count(request: Request, kind: str, ref: Referral) -> None:
    """Count a step of the service request for the report (no personal data)."""
    store = getattr(request.app.ctx, "insight", None)
    if store is None:
        return
    try:
        store.add_event(kind, "guide" if ref.handoff.get("channel") == "guide" else "widget")
    except Exception as err:  # counting must never break the person's request
        log.warning("could not count %s: %s", kind, type(err).__name__)


def _gone(status: int) -> HTTPResponse:
    if status == 410:
        body = message_page(
            "This link has expired",
            [
                "Answers are kept for a short time only, and these have now been deleted.",
                "You can ask the assistant to prepare a new summary at any time.",
            ],
            [("/", "Go back to the assistant")],
        )
    else:
        body = message_page(
            "Page not found",
            [
                "This link is not valid. It may have been deleted, or it may have been "
                "copied wrongly.",
            ],
            [("/", "Go back to the assistant")],
        )
    return html(body, status=status)


def create_referral_blueprint(
    config: GatewayConfig, store: ReferralStore, concern_defaults: list[tuple[str, str]]
) -> Blueprint:
    """The referral routes, bound to a store and the council's areas of need."""
    bp = Blueprint("referral")

    def load(request: Request, token: str) -> Referral | HTTPResponse:
        request.ctx.sender = None
        try:
            ref = store.get(token)
        except ReferralExpired:
            return _gone(410)
        return ref if ref is not None else _gone(404)

    def sections_for(ref: Referral):
        return form_sections(concern_choices(ref.handoff, concern_defaults))

    def limited(request: Request) -> HTTPResponse | None:
        wait = request.app.ctx.ip_limiter.hit(request.ctx.client_ip)
        if wait:
            resp = html(message_page("Too many requests", ["Please wait and try again."]), 429)
            resp.headers["Retry-After"] = retry_after_header(wait)
            return resp
        return None  # the origin or form token is checked by bot.web.security

    @bp.get("/referral/<token:str>")
    async def show_form(request: Request, token: str) -> HTTPResponse:
        ref = load(request, token)
        if isinstance(ref, HTTPResponse):
            return ref
        values = ref.answers if ref.answers is not None else prefill(ref.handoff)
        return html(form_page(ref, sections_for(ref), values, {}, config.max_free_text_chars))

    @bp.post("/referral/<token:str>")
    async def submit_form(request: Request, token: str) -> HTTPResponse:
        if (refused := limited(request)) is not None:
            return refused
        ref = load(request, token)
        if isinstance(ref, HTTPResponse):
            return ref
        sections = sections_for(ref)
        answers, errors = read_form(
            request.form or {}, all_fields(sections), config.max_free_text_chars
        )
        if errors:
            return html(form_page(ref, sections, answers, errors, config.max_free_text_chars), 400)
        if ref.answers is None:
            _count(request, "handoff_completed", ref)
        store.save_answers(token, answers)
        return redirect(f"/referral/{token}/summary", status=303)

    @bp.get("/referral/<token:str>/summary")
    async def show_summary(request: Request, token: str) -> HTTPResponse:
        ref = load(request, token)
        if isinstance(ref, HTTPResponse):
            return ref
        if ref.answers is None:
            return redirect(f"/referral/{token}", status=303)
        return html(summary_page(ref, sections_for(ref)))

    @bp.post("/referral/<token:str>/send")
    async def send_copy(request: Request, token: str) -> HTTPResponse:
        if (refused := limited(request)) is not None:
            return refused
        ref = load(request, token)
        if isinstance(ref, HTTPResponse):
            return ref
        if ref.answers is None:
            return redirect(f"/referral/{token}", status=303)
        if not ref.sent:
            subject = f"Service request summary {ref.reference}"
            try:
                where = await forward(
                    subject,
                    email_text(ref, sections_for(ref)),
                    ref.reference,
                    config.smtp,
                    config.outbox_dir,
                )
            except OSError as err:
                log.error("could not forward summary %s: %s", ref.reference, type(err).__name__)
                notice = (
                    '<div class="notice notice--error" role="alert"><p>Sorry, the copy could '
                    "not be sent just now. Please print or save your summary and send it with "
                    "the official form.</p></div>"
                )
                return html(summary_page(ref, sections_for(ref), notice), 503)
            log.info("summary %s forwarded via %s", ref.reference, where)
            store.mark_sent(token)
            _count(request, "handoff_sent", ref)
            ref = store.get(token) or ref
        notice = (
            '<div class="notice" role="status"><p>A copy of your answers has been passed to the '
            "service. You still need to send the official form.</p></div>"
        )
        return html(summary_page(ref, sections_for(ref), notice))

    @bp.post("/referral/<token:str>/delete")
    async def delete(request: Request, token: str) -> HTTPResponse:
        if (refused := limited(request)) is not None:
            return refused
        try:
            existed = store.get(token) is not None
        except ReferralExpired:
            existed = True  # get() has deleted it already
        store.delete(token)
        if not existed:
            return _gone(404)
        return html(
            message_page(
                "Your answers have been deleted",
                [
                    "The answers you gave and what the assistant gathered for this service "
                    "request have been deleted. The link will no longer work.",
                ],
                [("/", "Go back to the assistant")],
            )
        )

    return bp
