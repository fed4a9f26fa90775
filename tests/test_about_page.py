"""/about-this-assistant follows the shape of the UK Algorithmic Transparency Recording
Standard and publishes the measured figures (bot/guidance/content/measured.yml) in plain English."""

from __future__ import annotations

from bot.guidance.content import load_measured
from bot.web.service.statements import about_body


def test_the_about_page_says_what_how_data_figures_limits_and_a_person(herts) -> None:
    page = about_body(herts)
    for heading in ("What it does", "How it decides", "How well it understands people",
                    "What it cannot do", "The information it uses",
                    "How to reach a person or complain"):
        assert f"<h2>{heading}</h2>" in page, heading
    measured = load_measured()
    assert f"{round(measured['heldout']['accuracy'] * 100)} in every 100" in page
    assert f"{measured['heldout']['messages']} questions" in page
    assert "/contact" in page


def test_small_shares_are_said_per_thousand(herts) -> None:
    measured = {**load_measured(), "heldout": {**load_measured()["heldout"], "fallback": 0.004}}
    assert "4 in every 1,000" in about_body(herts, measured)
