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
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic import Sanic
from web_helpers import started

from bot.privacy import redact
from bot.web.chatrequest import Refusal, parse_chat
from bot.web.sanitize import _BIDI

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1") or 1)
MAX_BYTES = 8192
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
    out = redact(text)
    assert isinstance(out, str)
    assert len(out) <= len(text) + 10 * (text.count("@") + text.count(" ") + 1)


@pytest.fixture
def run_in_loop() -> Iterator[Callable[[Any], Any]]:
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()


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
    app: Sanic, run_in_loop: Callable[[Any], Any], body: bytes, ctype: str
) -> None:
    """Through the real routes (fake Rasa behind): never a 500, never a stack trace."""

    async def post() -> Any:
        _, resp = await app.asgi_client.post(
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


def route_cases(app: Sanic) -> list[tuple[str, str]]:
    """(method, path pattern) of every route the app has, so a new route is fuzzed too."""
    if not app.router.finalized:
        app.router.finalize()
    return sorted(
        (method, "/" + route.path)
        for route in app.router.routes
        for method in route.methods
        if method not in ("OPTIONS", "HEAD")
    )


@pytest.fixture
def started_app(app: Sanic, run_in_loop: Callable[[Any], Any]) -> Iterator[Sanic]:
    """The app started once for all of a test's examples (not around every request)."""
    running = started(app)
    run_in_loop(running.__aenter__())
    yield app
    run_in_loop(running.__aexit__(None, None, None))


@fuzz_settings(300)
@given(data=st.data())
def test_every_route_survives_any_parameters(
    started_app: Sanic, run_in_loop: Callable[[Any], Any], data: st.DataObject
) -> None:
    """Any query string and form on any route: never a 5xx (offset=² answered 500 once)."""
    app = started_app
    names = parameter_names()
    method, pattern = data.draw(st.sampled_from(route_cases(app)))
    path = re.sub(r"<[^>]+>", lambda _: data.draw(st.sampled_from(
        ["requester_role", "check", "evidence", "a" * 43, "x", "who-the-service-is-for"])),
        pattern)
    pairs = data.draw(st.lists(
        st.tuples(st.sampled_from(names), NASTY_VALUES | st.binary(max_size=12)), max_size=6
    ))
    query = "&".join(f"{name}={percent_encoded(value)}" for name, value in pairs)

    async def send() -> Any:
        if method == "GET":
            _, resp = await app.asgi_client.get(f"{path}?{query}")
        else:
            _, resp = await app.asgi_client.post(path, content=query.encode(), headers={
                "content-type": "application/x-www-form-urlencoded"})
        return resp

    resp = run_in_loop(send())
    assert resp.status < 500 or resp.status == 503 and path.startswith("/api/"), (
        method, path, pairs, resp.status
    )
    assert "Traceback" not in resp.text
