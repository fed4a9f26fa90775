"""Fuzzing the gateway's request parsing with Hypothesis, in bounded time (about 20 s in all).

``FUZZ_EXAMPLES`` scales the number of examples (default 1.0; e.g. 10 for a long local run).
Under ``CI`` the runs are derandomised so that a failure reproduces exactly.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic import Sanic

from bot.guidance.privacy import normalise, redact
from bot.web.chatrequest import Refusal, parse_chat
from bot.web.sanitize import _BIDI
from tests.helpers.site_map import SiteRequest, site_requests
from tests.helpers.web_app import started

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1") or 1)
MAX_BYTES = 8192
NFKC_MOST = 18  # the longest NFKC expansion of one character (U+FDFA)
CTYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "text/plain",
        "",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json\x00",
    ]
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)
HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()),  # every code point, surrogates too
    max_size=300,
)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def check_outcome(result: tuple[dict[str, Any], str] | Refusal, body: bytes) -> None:
    """A refusal is a 4xx with a sentence; an accepted message is clean text."""
    if isinstance(result, Refusal):
        assert result.status in (400, 413, 415)
        assert result.message and len(result.message) < 200
        return
    obj, message = result
    assert isinstance(obj, dict) and len(body) <= MAX_BYTES
    assert message and message == message.strip()
    for ch in message:
        category = unicodedata.category(ch)
        assert category != "Cs" and ch not in _BIDI
        assert category != "Cc" or ch in "\n\t"


@fuzz_settings(1500)
@given(body=st.binary(max_size=MAX_BYTES + 64), ctype=CTYPES)
def test_parse_chat_never_fails_on_arbitrary_bytes(body: bytes, ctype: str) -> None:
    check_outcome(parse_chat(body, ctype, MAX_BYTES), body)


@fuzz_settings(500)
@given(value=JSON_VALUES, message=HOSTILE_TEXT | JSON_VALUES, sender=JSON_VALUES)
def test_parse_chat_never_fails_on_arbitrary_json(value: Any, message: Any, sender: Any) -> None:
    for doc in (value, {"message": message, "sender": sender}):
        body = json.dumps(doc, ensure_ascii=True, allow_nan=True).encode()
        check_outcome(parse_chat(body, "application/json", MAX_BYTES), body)


@fuzz_settings(200)
@given(depth=st.integers(min_value=1, max_value=4000), opener=st.sampled_from([b"[", b'{"a":']))
def test_parse_chat_survives_any_nesting(depth: int, opener: bytes) -> None:
    closer = b"]" if opener == b"[" else b"}"
    body = b'{"message":' + opener * depth + b"1" + closer * depth + b"}"
    check_outcome(parse_chat(body, "application/json", 10**6), body)


@fuzz_settings(1000)
@given(text=HOSTILE_TEXT)
def test_redaction_never_fails_and_never_grows_much(text: str) -> None:
    """Only NFKC can lengthen text (by at most 18 times, U+FDFA); the markers that replace
    details add at most a few characters each."""
    norm = normalise(text)
    out = redact(text)
    assert isinstance(out, str)
    assert len(norm) <= NFKC_MOST * len(text)
    assert len(out) <= len(norm) + 10 * (norm.count("@") + norm.count(" ") + 1)


@pytest.fixture
def run_in_loop() -> Iterator[Callable[[Any], Any]]:
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()


@pytest.fixture
def running_app(app: Sanic, run_in_loop: Callable[[Any], Any]) -> Iterator[Sanic]:
    """The app, started once for all of a test's examples (not around every request)."""
    running = started(app)
    run_in_loop(running.__aenter__())
    yield app
    run_in_loop(running.__aexit__(None, None, None))


@fuzz_settings(120)
@given(
    body=st.one_of(
        st.binary(max_size=MAX_BYTES + 64),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.builds(
            lambda m, s: json.dumps({"message": m, "sender": s}).encode(),
            HOSTILE_TEXT,
            st.none() | st.text(max_size=60),
        ),
    ),
    ctype=CTYPES,
)
def test_gateway_answers_every_body_with_a_known_status(
    running_app: Sanic, run_in_loop: Callable[[Any], Any], body: bytes, ctype: str
) -> None:
    """Through the real routes (fake Rasa behind): never a 500, never a stack trace."""

    async def post() -> Any:
        _, resp = await running_app.asgi_client.post(
            "/api/chat", content=body, headers={"content-type": ctype}
        )
        return resp

    resp = run_in_loop(post())
    assert resp.status in (200, 400, 403, 413, 415), resp.text
    assert "Traceback" not in resp.text
    if resp.status == 200:
        assert isinstance(resp.json, list)


def test_fuzz_budget_is_bounded() -> None:
    """The examples above are sized to run in about 20 s on the CI machine."""
    started = time.monotonic()
    for _ in range(1000):
        parse_chat(b'{"message": "hello"}', "application/json", MAX_BYTES)
    assert time.monotonic() - started < 1


NASTY_VALUES = st.one_of(
    st.sampled_from(["²", "٣", "9" * 5000, "-1", "0", "1e9", " 12 ", "", "\x00", "\ud800",
                     "%", "../", "<script>", "yes", "no", "csv", "/guide/evidence"]),
    st.text(max_size=40),
)


def percent_encoded(value: str | bytes) -> str:
    """How a client sends a value: UTF-8, percent-encoded; a lone surrogate or raw bytes
    become the invalid UTF-8 a hostile client can send."""
    return quote(value, safe="", errors="surrogatepass") if isinstance(value, str) else quote(
        value, safe="")


WEB_SOURCE = Path(__file__).resolve().parents[2] / "bot" / "web"
_NAME_IN_SOURCE = re.compile(
    r'(?:args|form)\.get(?:list)?\(\s*"(\w+)"|\bname="(\w+)"|[?&](\w+)=|(?:Param|Number|Choice)\(\s*"(\w+)"'
)


@cache
def parameter_names() -> list[str]:
    """Every parameter name the gateway may read: those declared in ``bot.web.params``, the
    referral form's fields, and any name its code, templates or README use, read or not through
    ``params`` (so a route that reads ``request.args`` directly is fuzzed too)."""
    import bot.web.app  # noqa: F401  (every route module, so every declaration)
    from bot.web.params import DECLARED
    from bot.web.referral.fields import form_sections

    names = set(DECLARED) | {f.name for s in form_sections(()) for f in s.fields}
    for path in WEB_SOURCE.rglob("*"):
        if path.suffix in (".py", ".html", ".js", ".md"):
            for match in _NAME_IN_SOURCE.finditer(path.read_text(encoding="utf-8")):
                names.update(g for g in match.groups() if g)
    return sorted(names | {"slot", "x"})


NUMBER_LIKE = ["²", "٣", "9" * 5000, "-1", "1e9", " 12 ", "0x1f", "1.5", "+3", "10" * 4]
ANY_VALUE = NASTY_VALUES | st.binary(max_size=12)
PATH_JUNK = ["requester_role", "check", "evidence", "support-groups", "a" * 43, "x", "..%2f"]


def route_cases(app: Sanic) -> list[SiteRequest]:
    """Every route the app has, without parameters (``<slug>`` and the like still to fill), so
    a route no page links to, or a new one, is fuzzed too."""
    if not app.router.finalized:
        app.router.finalize()
    return sorted(
        SiteRequest(method, "/" + route.path, ())
        for route in app.router.routes
        for method in route.methods
        if method not in ("OPTIONS", "HEAD")
    )


def mutated(value: str) -> st.SearchStrategy[str | bytes | None]:
    """A value as the page sends it, left out (None), or replaced: by number-like junk where
    the page sends a number, or by anything."""
    numeric = st.sampled_from(NUMBER_LIKE) if value.isascii() and value.isdigit() else st.nothing()
    return st.none() | st.just(value) | numeric | ANY_VALUE


class Site(NamedTuple):
    """A started app and the requests to mutate (short in a failure report)."""

    app: Sanic
    cases: list[SiteRequest]

    def __repr__(self) -> str:
        return f"Site({len(self.cases)} requests)"


@pytest.fixture
def site(running_app: Sanic, run_in_loop: Callable[[Any], Any]) -> Site:
    """The started app and the requests to mutate: those its pages make (found by following
    them) and every route."""
    return Site(running_app, run_in_loop(site_requests(running_app)) + route_cases(running_app))


@fuzz_settings(400)
@given(data=st.data())
def test_every_route_survives_any_parameters(
    site: Site, run_in_loop: Callable[[Any], Any], data: st.DataObject
) -> None:
    """The pages' own requests with their values mutated, and hostile parameters on every
    route: never a 5xx (offset=² answered 500 once)."""
    app, cases = site
    case = data.draw(st.sampled_from(cases))
    path = re.sub(r"<[^>]+>", lambda _: data.draw(st.sampled_from(PATH_JUNK)), case.path)
    pairs = [(name, value) for name, sent in case.params
             if (value := data.draw(mutated(sent))) is not None]
    pairs += data.draw(st.lists(st.tuples(st.sampled_from(parameter_names()), ANY_VALUE),
                                max_size=3))
    query = "&".join(f"{name}={percent_encoded(value)}" for name, value in pairs)

    async def send() -> Any:
        if case.method == "GET":
            _, resp = await app.asgi_client.get(f"{path}?{query}")
        else:
            _, resp = await app.asgi_client.post(path, content=query.encode(), headers={
                "content-type": "application/x-www-form-urlencoded"})
        return resp

    resp = run_in_loop(send())
    assert resp.status < 500 or resp.status == 503 and path.startswith("/api/"), (
        case.method, path, pairs, resp.status
    )
    assert "Traceback" not in resp.text
