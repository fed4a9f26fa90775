"""The requests the gateway's own pages make: every link and form, found by following them from
the home page. The route fuzz mutates these, so the parameters a page really sends (``offset``
on the support groups page, ``age`` on the check) are the ones it tries first."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from sanic import Sanic

MAX_PAGES = 200
FIELDS = ("input", "select", "textarea", "button")
# Left out: its value changes every second, so two crawls would differ (the tests' client
# sends a same-origin Origin instead, and the fuzz sends the field by name anyway).
TOKEN_FIELD = "form_token"


@dataclass(frozen=True, order=True)
class SiteRequest:
    """A request one of the pages makes: a link (GET) or a form's submission."""

    method: str
    path: str
    params: tuple[tuple[str, str], ...]


def _filled(tag: str, attrs: dict[str, str]) -> str:
    """What a person types into an empty field: a small number (an age), or a few words."""
    if tag == "input" and attrs.get("type", "text") in ("text", "number", "search"):
        return "2"
    return "he does not talk yet" if tag == "textarea" else ""


class _Links(HTMLParser):
    """Links, and forms with their fields (every checkbox, radio and named button)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[SiteRequest] = []
        self._form: tuple[str, str, list[tuple[str, str]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self._add("GET", a["href"], [])
        elif tag == "form":
            self._form = (a.get("method", "get").upper(), a.get("action", ""), [])
        elif self._form and tag in FIELDS and a.get("name") not in (None, "", TOKEN_FIELD):
            self._form[2].append((a["name"], a.get("value") or _filled(tag, a)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form:
            method, action, fields = self._form
            self._add(method, action, fields)
            self._form = None

    def _add(self, method: str, href: str, fields: list[tuple[str, str]]) -> None:
        url = urlsplit(urljoin("http://site" + self.page, href))
        if url.netloc == "site" and url.scheme == "http":
            params = tuple(parse_qsl(url.query, keep_blank_values=True)) + tuple(fields)
            self.found.append(SiteRequest(method, url.path or "/", params))


async def site_requests(app: Sanic, start: tuple[str, ...] = ("/", "/guide")) -> list[SiteRequest]:
    """Every distinct request the pages reachable from ``start`` make (``app`` started): links
    are followed and forms are sent as they are filled in (the check's answers go on in the
    address of the next question)."""
    seen: dict[SiteRequest, None] = {}
    queue = [SiteRequest("GET", path, ()) for path in start]
    done: set[SiteRequest] = set()
    while queue and len(done) < MAX_PAGES:
        request = queue.pop(0)
        if request in done:
            continue
        done.add(request)
        resp = await _send(app, request)
        location = resp.headers.get("location") or ""
        if 300 <= resp.status < 400 and location:
            url = urlsplit(urljoin("http://site" + request.path, location))
            queue.append(SiteRequest("GET", url.path, tuple(parse_qsl(url.query, True))))
        if not (resp.headers.get("content-type") or "").startswith("text/html"):
            continue
        parser = _Links(request.path)
        parser.feed(resp.text)
        for found in parser.found:
            seen.setdefault(found, None)
            queue.append(found)
    return list(seen)


async def _send(app: Sanic, request: SiteRequest):  # noqa: ANN202 (the test client's response)
    if request.method == "GET":
        _, resp = await app.asgi_client.get(request.path, params=list(request.params),
                                            follow_redirects=False)
    else:
        _, resp = await app.asgi_client.post(request.path, data=dict(request.params),
                                             follow_redirects=False)
    return resp
