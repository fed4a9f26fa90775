"""Reading ages, yes/no answers, roles, settings and worries from free text."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.guidance import parsing

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("18 months", 18),
        ("2 and a half", 30),
        ("she's 3", 36),
        ("turns 5 in May", 54),
        ("he turns 5 next month", 59),
        ("6", 72),
        ("two", 24),
        ("3 years 4 months", 40),
        ("2 years and 3 months", 27),
        ("2yo", 24),
        ("2.5", 30),
        ("nearly 3", 36),
        ("10 weeks", 2),
        ("one and a half", 18),
        ("3 1/2", 42),
        ("2\u00bd", 30),
        ("a year old", 12),
        ("4 and a half years old", 54),
        ("she is 2 years and 6 months", 30),
        ("newborn", 0),
        ("ELEVEN MONTHS", 11),
    ],
)
def test_ages_in_any_form(text: str, months: int) -> None:
    assert parsing.parse_age_months(text, today=TODAY) == months


@pytest.mark.parametrize("text", ["purple", "SG1 2AB", "", "we're in Hitchin", "300"])
def test_no_age_where_there_is_none(text: str) -> None:
    assert parsing.parse_age_months(text, today=TODAY) is None


def test_strict_needs_an_age_cue() -> None:
    assert parsing.parse_age_months("we tried 2 IEPs", today=TODAY, strict=True) is None
    assert parsing.parse_age_months("actually she's 4", today=TODAY, strict=True) == 48


@pytest.mark.parametrize(
    ("months", "text"), [(18, "18 months"), (24, "2 years"), (30, "2 years 6 months"),
                         (1, "1 month"), (37, "3 years 1 month")]
)
def test_describe_age(months: int, text: str) -> None:
    assert parsing.describe_age(months) == text


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", "yes"),
        ("yeah they have", "yes"),
        ("happy to", "yes"),
        ("no not yet", "no"),
        ("nope", "no"),
        ("they haven't agreed", "no"),
        ("not sure", "unsure"),
        ("I dont know", "unsure"),
        ("dunno", "unsure"),
        ("banana", None),
    ],
)
def test_yes_no(text: str, answer: str | None) -> None:
    assert parsing.parse_yes_no(text) == answer


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I'm his mum", "parent"),
        ("Parent or carer", "parent"),
        ("I'm the SENCo at a pre-school", "setting"),
        ("nursery practitioner", "setting"),
        ("I'm a nursery nurse", "setting"),
        ("childminder", "childminder"),
        ("I'm a health visitor", "health"),
        ("Health professional", "health"),
        ("my son goes to nursery", "parent"),
        ("I work at a nursery", "setting"),
        ("social worker", "other"),
        ("hello", None),
    ],
)
def test_role(text: str, role: str | None) -> None:
    assert parsing.parse_role(text) == role


@pytest.mark.parametrize(
    ("text", "attends"),
    [
        ("yes she goes to nursery 3 days", True),
        ("at a childminder", True),
        ("he's not in any childcare yet", False),
        ("he stays at home with me", False),
        ("no", False),
        ("not yet", False),
        ("hmm", None),
    ],
)
def test_attends_setting(text: str, attends: bool | None) -> None:
    assert parsing.parse_attends_setting(text) is attends


def test_concerns_use_the_councils_keywords(herts) -> None:
    areas = [(a.key, a.keywords) for a in herts.eligibility.areas_of_need]
    assert "communication" in parsing.parse_concerns("he doesn't talk much", areas)
    both = parsing.parse_concerns("his speech and his behaviour", areas)
    assert {"communication", "social_emotional"} <= set(both)
    assert parsing.parse_concerns("all of them", areas) == [k for k, _ in areas]
    assert parsing.parse_concerns("not sure", areas) == ["unsure"]
    assert parsing.parse_concerns("zzz", areas) == []


@pytest.mark.parametrize(
    ("text", "tried"),
    [
        ("yes", "yes"),
        ("they've done an IEP and reviewed it twice", "yes"),
        ("the nursery hasn't done anything yet", "no"),
        ("no idea", "unsure"),
        ("what?", None),
    ],
)
def test_support_tried(text: str, tried: str | None) -> None:
    assert parsing.parse_support_tried(text) == tried
