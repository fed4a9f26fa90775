"""The person's own words reach the pre-filled service request, so nothing is typed twice."""

from __future__ import annotations

from bot.guidance.referral import Answers, assess, handoff_payload
from bot.web.referral.fields import prefill
from bot.web.referral.handoff import clean_handoff


def test_own_words_fill_what_you_noticed_and_what_was_tried(herts) -> None:
    answers = Answers.from_slots({
        "requester_role": "parent", "child_age_months": 30.0, "attends_setting": "yes",
        "concern_areas": ["communication"], "setting_support_tried": "yes",
        "parental_consent": "yes", "concern_detail": "she hardly talks and points instead",
        "support_detail": "small group work and a visual timetable",
        "diagnosis": ["autism"],
    })
    payload = handoff_payload(answers, assess(answers, herts), herts)
    values = prefill(clean_handoff(payload))
    assert values["worries"] == "she hardly talks and points instead"
    assert values["support_details"] == "small group work and a visual timetable"
    assert values["support_tried"] == "yes" and values["consent"] == "yes"


def test_an_unsure_setting_is_left_for_the_person_to_answer(herts) -> None:
    answers = Answers.from_slots({"requester_role": "parent", "child_age_months": 30.0,
                                  "attends_setting": "unsure"})
    payload = handoff_payload(answers, assess(answers, herts), herts)
    assert "attends_setting" not in prefill(clean_handoff(payload))
    assert "attends_setting" in answers.unknown
