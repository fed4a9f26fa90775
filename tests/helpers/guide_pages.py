"""The guide's pages and the statements every page links to, for the tests that visit them all
(in-process and in a browser)."""

from __future__ import annotations

TOPIC_PAGES = [
    "/guide",
    "/guide/who-the-service-is-for",
    "/guide/how-to-refer",
    "/guide/evidence",
    "/guide/after-a-referral",
    "/guide/the-team",
]
STATEMENT_PAGES = ["/contact", "/accessibility", "/privacy", "/about-this-assistant"]
