"""The 'Can I refer?' logic: which questions, which outcome, and the handoff payload."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.guidance.referral import Answers, assess, handoff_payload, questions_needed

FULL = dict(
    requester_role="parent",
    child_age_months=30,
    attends_setting=True,
    concern_areas=["communication"],
    setting_support_tried="yes",
    parental_consent="yes",
)


def answers(**changes) -> Answers:
    return Answers(**{**FULL, **changes})


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        ({}, "refer_now"),
        ({"attends_setting": False, "setting_support_tried": None}, "refer_now"),
        ({"setting_support_tried": "no"}, "graduated_first"),
        ({"setting_support_tried": "unsure"}, "check_with_setting"),
        ({"parental_consent": "no"}, "parent_to_decide"),
        ({"parental_consent": "unsure"}, "parent_to_decide"),
        ({"requester_role": "setting", "parental_consent": "no"}, "consent_needed"),
        ({"requester_role": "health", "parental_consent": "unsure"},
         "consent_needed"),
        ({"concern_areas": ["unsure"]}, "not_sure_needs"),
        ({"child_age_months": 66}, "transition_only"),
        ({"child_age_months": 90}, "over_age"),
        ({"requester_role": "setting", "attends_setting": None}, "refer_now"),
        ({"requester_role": "childminder", "setting_support_tried": "no"}, "graduated_first"),
    ],
)
def test_outcomes(herts, changes: dict, outcome: str) -> None:
    assert assess(answers(**changes), herts).outcome == outcome


def test_reasons_explain_the_outcome(herts) -> None:
    result = assess(answers(setting_support_tried="no"), herts)
    text = " ".join(result.reasons)
    assert "2 years 6 months" in text
    assert "birth to 5" in text
    assert "not yet tried" in text


def test_only_needed_questions_are_asked(herts) -> None:
    assert questions_needed(Answers(), herts)[:2] == ["requester_role", "child_age_months"]
    over = questions_needed(Answers(requester_role="parent", child_age_months=80), herts)
    assert over == ["requester_role", "child_age_months"]
    not_in_setting = questions_needed(answers(attends_setting=False), herts)
    assert "setting_support_tried" not in not_in_setting
    setting = questions_needed(Answers(requester_role="setting", child_age_months=30), herts)
    assert "attends_setting" not in setting
    assert "setting_support_tried" in setting


def test_handoff_payload_has_no_names_and_the_form(herts) -> None:
    data = answers(requester_role="setting")
    payload = handoff_payload(data, assess(data, herts), herts, "DSPL 1", dt.date(2026, 11, 25))
    assert payload["outcome"] == "refer_now"
    assert payload["form_name"] == herts.referral.form_name
    assert payload["form_page_url"].startswith("https://")
    assert payload["dspl_area"] == "DSPL 1"
    assert payload["concern_area_labels"]
    assert payload["created"] == "2026-11-25"
    assert payload["next_steps"] == herts.referral.next_steps["setting"]
    assert not {"name", "child_name", "email", "phone"} & set(payload)


def test_second_council_uses_its_own_rules(hereford) -> None:
    result = assess(answers(), hereford)
    assert result.outcome in hereford.referral.outcomes
    assert hereford.referral.decided_by != ""
