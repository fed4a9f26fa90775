"""GET/POST /admin/report: the service report behind a token (off while no token is set).

The token is typed into a form (POST), or sent as ``Authorization: Bearer <token>``; it is never
put in a URL, so it cannot end up in logs or browser history.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
from dataclasses import dataclass
from pathlib import Path

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, html, raw

from bot.operations.report.__main__ import make_report
from bot.operations.report.output import CHARTS, chart_png, csv_text
from bot.operations.report.stats import MAX_EXAMPLES, Report
from bot.storage.conversations import TrackerSource
from bot.web.params import Choice, Param
from bot.web.ratelimit import retry_after_header
from bot.web.render import esc, page
from bot.web.routes import RouteTable, bound_to

FORMAT = Choice("format", options=("html", "csv"))
TOKEN = Param("token", 200)
ROUTES = RouteTable()
CHART_ALT = {
    "conversations_per_day": "Bar chart of conversations per day; the numbers are in the table.",
    "topics_asked": "Bar chart of the most asked topics; the numbers are in the table.",
    "feedback": "Bar chart of helpful and not helpful answers; the numbers are in the table.",
}


def _token_form(error: str = "") -> str:
    problem = (
        '<div class="error-summary" role="alert" tabindex="-1" id="error-summary">'
        '<h2 class="error-summary__title">There is a problem</h2>'
        f'<ul class="error-summary__list"><li><a href="#token">{esc(error)}</a></li></ul></div>'
        if error
        else ""
    )
    return (
        f"{problem}<h1>Service report</h1>"
        '<form method="post" action="/admin/report" novalidate><div class="form-group">'
        '<label class="label" for="token">Report token</label>'
        '<input class="input" id="token" name="token" type="password" autocomplete="off">'
        '</div><button type="submit" class="button" name="format" value="html">Show report'
        '</button><button type="submit" class="button button--secondary" name="format" '
        'value="csv">Download CSV</button></form>'
    )


def _table(caption: str, head: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    if not rows:
        return f"<h2>{esc(caption)}</h2><p>None yet.</p>"
    ths = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<h2>{esc(caption)}</h2><div class="table-wrap"><table class="table">'
        f"<thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table></div>"
    )


def report_html(report: Report, charts: dict[str, bytes]) -> str:
    """The report as HTML: tables first, charts as images with text alternatives."""
    fb = report.feedback
    rate = "n/a" if fb.rate is None else f"{fb.rate:.0%}"
    body = (
        "<h1>Service report</h1>"
        f"<p>Generated {esc(report.generated)}. Period: {esc(report.first_day or '-')} to "
        f"{esc(report.last_day or '-')}. Messages are shown redacted.</p>"
        f"<p>Conversations: <strong>{report.conversations}</strong>. Safeguarding signposts "
        f"shown: <strong>{report.safeguarding_signposts}</strong>. Feedback: "
        f"<strong>{fb.helpful} of {fb.total}</strong> helpful ({esc(rate)}).</p>"
    )
    body += _table("Conversations per day", ("Day", "Conversations"),
                   list(report.conversations_per_day.items()))
    body += _table("Topics asked", ("Intent", "Messages"), list(report.topics))
    body += _table(
        "Messages the assistant did not understand",
        ("Group (first message)", "Messages", "Examples"),
        [(g.label, g.count, "; ".join(dict.fromkeys(g.members[1:MAX_EXAMPLES])))
         for g in report.not_understood],
    )
    body += _table("Handoffs", ("What", "Count"), list(report.handoffs.items()))
    body += _table("DSPL areas asked about", ("Area", "Count"), list(report.dspl_areas))
    body += _table("Feedback by kind", ("Kind", "Helpful", "Answers"),
                   [(k, y, t) for k, (y, t) in fb.by_kind.items()])
    body += _table("Feedback comments", ("Day", "Kind", "Helpful", "Comment"),
                   [(d, k, "yes" if h else "no", c) for d, k, h, c in fb.comments])
    body += "<h2>Charts</h2>"
    for name, png in charts.items():
        data = base64.b64encode(png).decode()
        body += (
            f'<p><img class="chart" src="data:image/png;base64,{data}" '
            f'alt="{esc(CHART_ALT[name])}"></p>'
        )
    return body


@dataclass(frozen=True, eq=False)  # hashed as itself (see bot.web.routes)
class AdminRoutes:
    """What the report handlers are bound to: the token and the two databases."""

    token: str
    tracker_db: TrackerSource
    insight_db: Path

    def allowed(self, given: str) -> bool:
        """True if a token is configured and ``given`` is it (compared in constant time)."""
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())


def create_admin_blueprint(token: str, tracker_db: TrackerSource, insight_db: Path) -> Blueprint:
    """The report routes; every one answers 404 while no token is configured."""
    return ROUTES.blueprint("admin", AdminRoutes(token, tracker_db, insight_db))


def routes_of(request: Request) -> AdminRoutes:
    """The token and databases the route was made with; 404 while no token is configured."""
    routes: AdminRoutes = bound_to(request)
    if not routes.token:
        raise NotFound("Not found")
    return routes


def bearer(request: Request) -> str:
    """The token sent as ``Authorization: Bearer <token>`` ('' if none)."""
    value = request.headers.get("authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else ""


async def build(routes: AdminRoutes) -> Report:
    """The report, made on a worker thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, make_report, routes.tracker_db, routes.insight_db)


async def respond(report: Report, fmt: str) -> HTTPResponse:
    """The report as a CSV download or as a page with its charts."""
    if fmt == "csv":
        return raw(
            csv_text(report).encode(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="service-report.csv"'},
        )
    loop = asyncio.get_running_loop()
    charts = {
        name: await loop.run_in_executor(None, chart_png, report, name) for name in CHARTS
    }
    return html(page("Service report", report_html(report, charts)))


def private(resp: HTTPResponse) -> HTTPResponse:
    """The response, never cached or indexed."""
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


@ROUTES.get("/admin/report")
async def report_page(request: Request) -> HTTPResponse:
    """GET /admin/report: the report for a bearer token, else the token form."""
    routes = routes_of(request)
    given = bearer(request)
    if given and routes.allowed(given):
        fmt = FORMAT.choice(request.args, "html")
        return private(await respond(await build(routes), fmt))
    if given:
        return private(html(page("Service report", _token_form("The token is wrong")), 403))
    return private(html(page("Service report", _token_form())))


@ROUTES.post("/admin/report")
async def report_post(request: Request) -> HTTPResponse:
    """POST /admin/report: the report for the token typed into the form."""
    routes = routes_of(request)
    wait = request.app.ctx.ip_limiter.hit(request.ctx.client_ip)
    if wait:
        resp = html(page("Too many requests", "<h1>Too many requests</h1>"), 429)
        resp.headers["Retry-After"] = retry_after_header(wait)
        return private(resp)
    form = request.form or {}
    if not routes.allowed(TOKEN.read(form)):
        return private(
            html(page("Error: Service report", _token_form("The token is wrong")), 403)
        )
    fmt = FORMAT.choice(form, "html")
    return private(await respond(await build(routes), fmt))
