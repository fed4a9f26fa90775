"""bot.guidance.content.check: dates, URL shapes, duplicates, live checks on a loopback server."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bot.guidance.content import load_content
from bot.guidance.content.check import (
    check_live,
    check_offline,
    fetch_status,
    main,
    report_lines,
    run_check,
    sourced_items,
    well_formed,
)


class Handler(http.server.BaseHTTPRequestHandler):
    """200 at /ok, 404 at /missing, HEAD refused at /no-head, a redirect at /moved."""

    def _answer(self, head: bool) -> None:
        if self.path == "/no-head" and head:
            self.send_response(405)
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(False)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_sourced_item_is_found_with_its_urls() -> None:
    content = load_content()
    items = {item.path: item for item in sourced_items(content)}
    assert "contacts.sendiass" in items and "topics.who_for" in items
    assert "dspl.areas[1]" in items and "support_groups[hpci].contact" in items
    assert ("url", "https://sendiass-herts.space/") in items["contacts.sendiass"].urls
    assert len(items) == len(content.contacts) + len(content.topics) + len(
        content.support_groups
    ) + sum(1 for g in content.support_groups if g.contact) + len(content.dspl.areas) + 5


def test_stale_and_future_items_are_listed() -> None:
    content = load_content()
    newest = max(item.checked for item in sourced_items(content))
    fresh = check_offline(content, newest, 365)
    assert fresh.stale == [] and fresh.future == [] and fresh.ok
    later = check_offline(content, newest + dt.timedelta(days=400), 365)
    assert len(later.stale) == later.items and not later.ok
    assert min(item[2] for item in later.stale) == 400  # the newest item is 400 days old
    earlier = check_offline(content, newest - dt.timedelta(days=1), 365)
    assert earlier.future and not earlier.ok
    lines = "\n".join(report_lines(later, 365))
    assert "checked more than 365 days ago" in lines and "needs attention" in lines


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://www.hertfordshire.gov.uk/x", ""),
        ("http://thegrid.org.uk/info/a.shtml", ""),
        ("ftp://example.org/file", "is not http(s)"),
        ("https://localhost/x", "has no proper host name"),
        ("https://exa mple.org/", "contains a space"),
        ("https://example.org/page.", "ends with punctuation"),
    ],
)
def test_url_shapes(url: str, problem: str) -> None:
    assert well_formed(url) == problem


def test_a_link_listed_twice_in_one_item_is_reported() -> None:
    content = load_content()
    contact = content.contacts["hpci"]
    broken = content.copy(
        update={
            "contacts": {
                **content.contacts,
                "hpci": contact.copy(update={"note": f"See {contact.url}", "url": contact.url}),
                "bad": contact.copy(update={"url": "https://nohost/x"}),
            }
        }
    )
    result = check_offline(broken, contact.checked, 365)
    assert ("contacts.hpci", contact.url) in result.duplicates
    assert ("contacts.bad.url", "https://nohost/x", "has no proper host name") in result.malformed
    assert not result.ok


def test_live_check_against_a_local_server(local_site: str) -> None:
    urls = [f"{local_site}/{p}" for p in ("ok", "missing", "no-head", "moved", "ok")]
    results, skipped = check_live(urls, timeout=2, resolver=lambda host: True)
    assert skipped == ""
    by_url = {r.url: r for r in results}
    assert len(results) == 4  # each URL once
    assert by_url[f"{local_site}/ok"].ok
    assert by_url[f"{local_site}/moved"].ok  # redirects are followed
    assert by_url[f"{local_site}/no-head"].ok  # GET after a refused HEAD
    missing = by_url[f"{local_site}/missing"]
    assert not missing.ok and missing.status == 404 and missing.error == "HTTP 404"


def test_a_closed_port_is_an_error_not_a_crash(local_site: str) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = fetch_status(f"http://127.0.0.1:{port}/x", timeout=1)
    assert not result.ok and result.status is None and result.error


def test_no_network_skips_the_live_part_with_a_clear_message() -> None:
    fetched: list[str] = []
    results, skipped = check_live(
        ["https://a.example/x", "https://b.example/y"],
        resolver=lambda host: False,
        fetch=lambda url, timeout: fetched.append(url),  # type: ignore[func-returns-value]
    )
    assert results == [] and fetched == []
    assert skipped.startswith("No network") and "2 URLs were not requested" in skipped


def test_only_unresolvable_hosts_fail_when_others_resolve(local_site: str) -> None:
    results, skipped = check_live(
        [f"{local_site}/ok", "https://nowhere.invalid/x"],
        timeout=2,
        resolver=lambda host: host == "127.0.0.1",
    )
    assert skipped == ""
    assert [r.ok for r in results] == [True, False]
    assert results[1].error == "host name does not resolve"


def test_run_check_offline_flag_and_cli(capsys: pytest.CaptureFixture[str]) -> None:
    content = load_content()
    newest = max(item.checked for item in sourced_items(content))
    result = run_check(content, newest, 365, live=False)
    assert "turned off" in result.live_skipped and result.ok
    assert main(["--offline", "--max-age-days", "100000"]) == 0
    out = capsys.readouterr().out
    assert "is valid" in out and "Content check: OK" in out
    assert main(["--offline", "--max-age-days", "-1"]) == 1
