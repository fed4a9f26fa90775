"""GET /, /widget.js, /widget.css, the widget's modules and the other static files.

Only files named here or present in static/widget/ at start-up are served, nothing else."""

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
TYPES = {".js": FILES["widget.js"], ".css": FILES["widget.css"]}
# The widget's ES modules and the saved conversation's styles, served as they are (no build).
MODULES = {p.name: TYPES[p.suffix] for p in (STATIC / "widget").iterdir() if p.suffix in TYPES}


def _static(name: str, folder: str = "") -> HTTPResponse:
    known = MODULES if folder else FILES
    if name not in known:
        raise NotFound("Not found")
    return raw(
        (STATIC / folder / name).read_bytes(),
        content_type=known[name],
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

    @bp.route("/widget/<name:str>", methods=["GET", "HEAD"])
    async def widget_module(request: Request, name: str) -> HTTPResponse:
        return _static(name, "widget")

    @bp.route("/static/<name:str>", methods=["GET", "HEAD"])
    async def static(request: Request, name: str) -> HTTPResponse:
        return _static(name)

    return bp
