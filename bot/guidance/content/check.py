"""``make check-content`` (``python -m bot.guidance.content.check``): is the content fresh?

1. The file must load and pass the schema.
2. Every item with a ``checked`` date older than ``CONTENT_MAX_AGE_DAYS`` (365) is listed.
3. Every URL must be well formed, and an item must not list the same link twice.
4. Where a network is available, every distinct URL must answer 200 (after redirects).
   Without one (names do not resolve) the live part is skipped with a clear message.

Exit status 0 when all is well, 1 when anything needs attention.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from bot import settings
from bot.guidance.content import ContentError, council_id, load_content
from bot.guidance.content.schema import Content, Sourced

DEFAULT_MAX_AGE_DAYS = settings.CONTENT_MAX_AGE_DAYS.default_value
DEFAULT_TIMEOUT = settings.CONTENT_URL_TIMEOUT.default_value
LINK_FIELDS = ("url", "link", "website", "local_offer_url", "form_page_url")
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')]+")
USER_AGENT = "EarlyYearsSEND-content-check/1.0 (link checker)"
RETRY_WITH_GET = {400, 403, 405, 501}


@dataclass
class Item:
    """One sourced item of the content file."""

    path: str
    checked: dt.date
    urls: list[tuple[str, str]]  # (field, url)


@dataclass
class UrlResult:
    """What a live check of one URL found."""

    url: str
    ok: bool
    status: int | None = None
    error: str = ""


@dataclass
class CheckResult:
    """Everything the check found."""

    items: int = 0
    stale: list[tuple[str, dt.date, int]] = field(default_factory=list)
    future: list[tuple[str, dt.date]] = field(default_factory=list)
    malformed: list[tuple[str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    live: list[UrlResult] = field(default_factory=list)
    live_skipped: str = ""

    @property
    def failed_urls(self) -> list[UrlResult]:
        """URLs that did not answer 200."""
        return [r for r in self.live if not r.ok]

    @property
    def ok(self) -> bool:
        """True when nothing needs attention."""
        return not (
            self.stale or self.future or self.malformed or self.duplicates or self.failed_urls
        )


def _children(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, BaseModel):
        for name in value.__fields__:
            yield f"{path}.{name}" if path else name, getattr(value, name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", item
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            key = getattr(item, "id", None)
            yield f"{path}[{key if key is not None else index}]", item


def _own_urls(model: BaseModel) -> list[tuple[str, str]]:
    """URLs held by this item's own fields (not by nested items), with the field name."""
    urls: list[tuple[str, str]] = []
    for name in model.__fields__:
        value = getattr(model, name)
        if isinstance(value, str):
            if name == "source" or name in LINK_FIELDS:
                urls.append((name, value))
            else:
                urls += [(name, u.rstrip(".,;:")) for u in URL_IN_TEXT.findall(value)]
    return urls


def sourced_items(content: Content) -> list[Item]:
    """Every item that carries a ``checked`` date, with its URLs."""
    items: list[Item] = []
    stack: list[tuple[str, Any]] = [("", content)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Sourced):
            items.append(Item(path, value.checked, _own_urls(value)))
        stack.extend(reversed(list(_children(value, path))))
    return items


def well_formed(url: str) -> str:
    """'' if the URL looks right, else what is wrong with it."""
    if any(c.isspace() for c in url):
        return "contains a space"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "is not http(s)"
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        return "has no proper host name"
    if url[-1] in ".,;:)":
        return "ends with punctuation"
    return ""


def check_offline(content: Content, today: dt.date, max_age_days: int) -> CheckResult:
    """Dates, URL shapes and duplicate links (no network)."""
    result = CheckResult()
    items = sourced_items(content)
    result.items = len(items)
    seen: dict[str, None] = {}
    for item in items:
        age = (today - item.checked).days
        if age > max_age_days:
            result.stale.append((item.path, item.checked, age))
        elif age < 0:
            result.future.append((item.path, item.checked))
        links = [url for name, url in item.urls if name != "source"]
        twice = sorted(url for url in set(links) if links.count(url) > 1)
        result.duplicates += [(item.path, url) for url in twice]
        for name, url in item.urls:
            problem = well_formed(url)
            if problem:
                result.malformed.append((f"{item.path}.{name}", url, problem))
            else:
                seen.setdefault(url)
    result.urls = list(seen)
    return result


def fetch_status(url: str, timeout: float) -> UrlResult:
    """HEAD the URL (GET if HEAD is refused); ok means a final status of 200."""
    status: int | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                status = resp.status
        except urllib.error.HTTPError as err:
            status = err.code
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            return UrlResult(url, False, None, f"{type(err).__name__}: {reason}")
        if status not in RETRY_WITH_GET:
            break
    return UrlResult(url, status == 200, status, "" if status == 200 else f"HTTP {status}")


def resolves(host: str) -> bool:
    """True if the host name resolves (DNS works for it)."""
    try:
        socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError, OSError):
        return False
    return True


def check_live(
    urls: Iterable[str],
    timeout: float = DEFAULT_TIMEOUT,
    resolver: Callable[[str], bool] = resolves,
    fetch: Callable[[str, float], UrlResult] = fetch_status,
    workers: int = 8,
) -> tuple[list[UrlResult], str]:
    """Check every URL, or skip all with a reason when no host name resolves."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return [], ""
    hosts = list(dict.fromkeys(urlsplit(u).hostname or "" for u in urls))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        resolved = dict(zip(hosts, pool.map(resolver, hosts), strict=True))
        if not any(resolved.values()):
            return [], (
                f"No network: none of the {len(hosts)} host names could be resolved, so the "
                f"{len(urls)} URLs were not requested. Run again with a network connection."
            )
        results = list(
            pool.map(
                lambda u: fetch(u, timeout)
                if resolved[urlsplit(u).hostname or ""]
                else UrlResult(u, False, None, "host name does not resolve"),
                urls,
            )
        )
    return results, ""


def run_check(
    content: Content,
    today: dt.date,
    max_age_days: int,
    live: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    resolver: Callable[[str], bool] = resolves,
) -> CheckResult:
    """The whole check on loaded content."""
    result = check_offline(content, today, max_age_days)
    if live:
        result.live, result.live_skipped = check_live(result.urls, timeout, resolver)
    else:
        result.live_skipped = "Live URL checks were turned off (--offline)."
    return result


def report_lines(result: CheckResult, max_age_days: int) -> list[str]:
    """The findings as lines of text."""
    lines = [f"{result.items} sourced items, {len(result.urls)} distinct URLs."]
    if result.stale:
        lines.append(f"Items last checked more than {max_age_days} days ago:")
        lines += [
            f"  {path}: checked {d.isoformat()} ({age} days ago)" for path, d, age in result.stale
        ]
    else:
        lines.append(f"No item is older than {max_age_days} days.")
    if result.future:
        lines.append("Items with a 'checked' date in the future:")
        lines += [f"  {path}: {d.isoformat()}" for path, d in result.future]
    if result.malformed:
        lines.append("Malformed URLs:")
        lines += [f"  {where}: {url} ({problem})" for where, url, problem in result.malformed]
    if result.duplicates:
        lines.append("Links listed twice in one item:")
        lines += [f"  {path}: {url}" for path, url in result.duplicates]
    if result.live_skipped:
        lines.append(result.live_skipped)
    elif result.live:
        good = len(result.live) - len(result.failed_urls)
        lines.append(f"Live check: {good} of {len(result.live)} URLs answered 200.")
        lines += [f"  {r.url}: {r.error}" for r in result.failed_urls]
    lines.append("Content check: OK" if result.ok else "Content check: needs attention")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the check and print what needs attention."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.guidance.content.check", description=__doc__
    )
    parser.add_argument("--council", default=None)
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=settings.CONTENT_MAX_AGE_DAYS.read(),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=settings.CONTENT_URL_TIMEOUT.read(),
    )
    parser.add_argument("--offline", action="store_true", help="skip the live URL checks")
    args = parser.parse_args(argv)
    council = args.council or council_id()
    try:
        content = load_content(council)
    except ContentError as err:
        print(f"Content check failed: {err}", file=sys.stderr)
        return 1
    print(f"Content file for {content.council.name} is valid.")
    result = run_check(content, dt.date.today(), args.max_age_days, not args.offline, args.timeout)
    print("\n".join(report_lines(result, args.max_age_days)))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
