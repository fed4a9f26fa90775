"""bot.guidance.facts.read_facts: all a message says that the check needs, in people's words."""

from __future__ import annotations

import pytest

from bot.guidance.facts import read_facts
from bot.guidance.form_answers import area_keywords


@pytest.fixture(scope="module")
def areas(herts):
    return area_keywords(herts)


def facts_of(text: str, areas, about_a_child: bool = False) -> dict:
    facts = read_facts(text, areas, about_a_child=about_a_child)
    return {k: v for k, v in facts.__dict__.items() if v not in (None, [], ())}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "can I refer my daughter? she's 2 and a half and hardly talks",
            {"role": "parent", "age_months": 30, "concerns": ["communication"]},
        ),
        (
            "I'm the pre-school manager. We have a 3 year old with almost no words. We've done "
            "two rounds of assess plan do review with an IEP and there has been little change. "
            "Mum is happy for me to ask.",
            {"role": "setting", "age_months": 36, "attends_setting": "yes",
             "concerns": ["communication"], "support_tried": "yes", "consent": "yes"},
        ),
        (
            "I'm a childminder and one of my mindees, he's 2, is not walking yet and has "
            "meltdowns",
            {"role": "childminder", "age_months": 24, "attends_setting": "yes",
             "concerns": ["sensory_physical", "social_emotional"]},
        ),
        (
            "nan here, my grandson is 4 and gets overwhelmed by noise at nursery",
            {"role": "carer", "relation": "grandparent", "age_months": 48,
             "attends_setting": "yes", "concerns": ["sensory_physical"]},
        ),
        (
            "I'm a health visitor, a family I see has a 20 month old with Down's syndrome",
            {"role": "health", "age_months": 20, "diagnoses": ["Down's syndrome"]},
        ),
        ("The nursery does small group work with her", {"support_tried": "yes"}),
        ("his mum is happy for me to ask", {"consent": "yes"}),
        ("we haven't asked the parents yet", {"consent": "no"}),
        ("she's at home with me, no nursery", {"attends_setting": "no"}),
        ("I'm her mum", {"role": "parent"}),
        ("we're still waiting for an autism assessment", {}),
    ],
)
def test_reads_everything_a_message_says(areas, text, expected) -> None:
    found = facts_of(text, areas)
    for key, value in expected.items():
        assert found.get(key) == value, (key, found)


@pytest.mark.parametrize(
    "text",
    [
        "Does a hearing impairment count as something you help with?",
        "can a health visitor refer?",
        "can a grandparent refer?",
        "do I need to talk to the SENCo first?",
        "I don't understand the form",
        "is a 6 year old too old?",
    ],
)
def test_questions_about_children_in_general_say_nothing_about_this_child(areas, text) -> None:
    found = facts_of(text, areas, about_a_child=True)
    assert not {"age_months", "concerns", "role", "diagnoses"} & set(found), found


def test_own_words_are_kept_for_the_form(areas) -> None:
    facts = read_facts(
        "He is 3. He only says a few words and gets upset at loud noise. The nursery uses a "
        "visual timetable and now and next cards.", areas,
    )
    assert facts.concern_words == ["He only says a few words and gets upset at loud noise."]
    assert facts.support_words == ["The nursery uses a visual timetable and now and next cards."]
