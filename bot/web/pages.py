"""GET /, /widget.js, /widget.css and the other static files (a fixed list, nothing else)."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, html, raw

from bot.web.render import index_page

STATIC = Path(__file__).resolve().parent / "static"
FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "site.css": "text/css; charset=utf-8",
    "referral.js": "application/javascript; charset=utf-8",
}


def _static(name: str) -> HTTPResponse:
    if name not in FILES:
        raise NotFound("Not found")
    return raw(
        (STATIC / name).read_bytes(),
        content_type=FILES[name],
        headers={
            "Cache-Control": "public, max-age=300",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


def create_pages_blueprint() -> Blueprint:
    """The demo page and static files."""
    bp = Blueprint("pages")

    @bp.route("/", methods=["GET", "HEAD"])
    async def index(request: Request) -> HTTPResponse:
        return html(index_page())

    @bp.route("/widget.js", methods=["GET", "HEAD"])
    async def widget_js(request: Request) -> HTTPResponse:
        return _static("widget.js")

    @bp.route("/widget.css", methods=["GET", "HEAD"])
    async def widget_css(request: Request) -> HTTPResponse:
        return _static("widget.css")

    @bp.route("/static/<name:str>", methods=["GET", "HEAD"])
    async def static(request: Request, name: str) -> HTTPResponse:
        return _static(name)

    return bp
