"""Routes of the service request: /referral/<token> form, summary, send and delete.

Every handler opens the same way, with :func:`open_draft` (rate limit for a POST, the draft
behind the token, and, where the answers are needed, a redirect to the form while there are
none); what it does with the draft follows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect

from bot.storage.referral_drafts import Referral, ReferralExpired, ReferralStore
from bot.web.config import GatewayConfig
from bot.web.ratelimit import retry_after_header
from bot.web.referral.fields import (
    Section,
    all_fields,
    concern_choices,
    form_sections,
    prefill,
    read_form,
)
from bot.web.referral.forward import forward
from bot.web.referral.pages import email_text, form_page, summary_page
from bot.web.render import message_page
from bot.web.routes import RouteTable, bound_to

log = logging.getLogger(__name__)
ROUTES = RouteTable()


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


@dataclass(frozen=True, eq=False)  # hashed as itself (see bot.web.routes)
class ReferralRoutes:
    """What the referral handlers are bound to."""

    config: GatewayConfig
    store: ReferralStore
    concern_defaults: list[tuple[str, str]]

    def sections_for(self, ref: Referral) -> tuple[Section, ...]:
        """The form's sections, with the areas of need the conversation offered."""
        return form_sections(concern_choices(ref.handoff, self.concern_defaults))


def create_referral_blueprint(
    config: GatewayConfig, store: ReferralStore, concern_defaults: list[tuple[str, str]]
) -> Blueprint:
    """The referral routes, bound to a store and the council's areas of need."""
    return ROUTES.blueprint("referral", ReferralRoutes(config, store, concern_defaults))


def routes_of(request: Request) -> ReferralRoutes:
    """The store and settings the route was made with."""
    return bound_to(request)


def too_many(request: Request) -> HTTPResponse | None:
    """The 429 page if the address is over its rate (counting this request)."""
    wait = request.app.ctx.ip_limiter.hit(request.ctx.client_ip)
    if wait:
        resp = html(message_page("Too many requests", ["Please wait and try again."]), 429)
        resp.headers["Retry-After"] = retry_after_header(wait)
        return resp
    return None  # the origin or form token is checked by bot.web.security


def open_draft(
    request: Request, token: str, *, limited: bool = False, answered: bool = False
) -> Referral | HTTPResponse:
    """The draft behind the token, or the page to show instead.

    ``limited``: a POST, refused (429) when the address is over its rate. Then the draft:
    410 if it has expired, 404 if there is none. ``answered``: the draft must have answers,
    else the person is sent to the form (303).
    """
    if limited and (refused := too_many(request)) is not None:
        return refused
    request.ctx.sender = None
    try:
        ref = routes_of(request).store.get(token)
    except ReferralExpired:
        return _gone(410)
    if ref is None:
        return _gone(404)
    if answered and ref.answers is None:
        return redirect(f"/referral/{token}", status=303)
    return ref


@ROUTES.get("/referral/<token:str>")
async def show_form(request: Request, token: str) -> HTTPResponse:
    """GET /referral/<token>: the form, with the answers so far or those the chat gathered."""
    ref = open_draft(request, token)
    if isinstance(ref, HTTPResponse):
        return ref
    routes = routes_of(request)
    values = ref.answers if ref.answers is not None else prefill(ref.handoff)
    limit = routes.config.max_free_text_chars
    return html(form_page(ref, routes.sections_for(ref), values, {}, limit))


@ROUTES.post("/referral/<token:str>")
async def submit_form(request: Request, token: str) -> HTTPResponse:
    """POST /referral/<token>: keep the answers and show the summary, or the form with errors."""
    ref = open_draft(request, token, limited=True)
    if isinstance(ref, HTTPResponse):
        return ref
    routes = routes_of(request)
    sections = routes.sections_for(ref)
    limit = routes.config.max_free_text_chars
    answers, errors = read_form(request.form or {}, all_fields(sections), limit)
    if errors:
        return html(form_page(ref, sections, answers, errors, limit), 400)
    if ref.answers is None:
        _count(request, "handoff_completed", ref)
    routes.store.save_answers(token, answers)
    return redirect(f"/referral/{token}/summary", status=303)


@ROUTES.get("/referral/<token:str>/summary")
async def show_summary(request: Request, token: str) -> HTTPResponse:
    """GET /referral/<token>/summary: the answers, to print, save or send."""
    ref = open_draft(request, token, answered=True)
    if isinstance(ref, HTTPResponse):
        return ref
    return html(summary_page(ref, routes_of(request).sections_for(ref)))


@ROUTES.post("/referral/<token:str>/send")
async def send_copy(request: Request, token: str) -> HTTPResponse:
    """POST /referral/<token>/send: pass a copy to the service (once), then say so."""
    ref = open_draft(request, token, limited=True, answered=True)
    if isinstance(ref, HTTPResponse):
        return ref
    if not ref.sent:
        sent = await forward_copy(request, token, ref)
        if isinstance(sent, HTTPResponse):
            return sent
        ref = sent
    notice = (
        '<div class="notice" role="status"><p>A copy of your answers has been passed to the '
        "service. You still need to send the official form.</p></div>"
    )
    return html(summary_page(ref, routes_of(request).sections_for(ref), notice))


async def forward_copy(request: Request, token: str, ref: Referral) -> Referral | HTTPResponse:
    """E-mail (or file) the summary, mark the draft sent and count it; 503 page if it fails."""
    routes = routes_of(request)
    subject = f"Service request summary {ref.reference}"
    try:
        where = await forward(
            subject,
            email_text(ref, routes.sections_for(ref)),
            ref.reference,
            routes.config.smtp,
            routes.config.outbox_dir,
        )
    except OSError as err:
        log.error("could not forward summary %s: %s", ref.reference, type(err).__name__)
        notice = (
            '<div class="notice notice--error" role="alert"><p>Sorry, the copy could '
            "not be sent just now. Please print or save your summary and send it with "
            "the official form.</p></div>"
        )
        return html(summary_page(ref, routes.sections_for(ref), notice), 503)
    log.info("summary %s forwarded via %s", ref.reference, where)
    routes.store.mark_sent(token)
    _count(request, "handoff_sent", ref)
    return routes.store.get(token) or ref


@ROUTES.post("/referral/<token:str>/delete")
async def delete(request: Request, token: str) -> HTTPResponse:
    """POST /referral/<token>/delete: delete the draft now, and say so."""
    if (refused := too_many(request)) is not None:
        return refused
    store = routes_of(request).store
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
