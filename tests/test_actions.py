"""Actions run against real trackers and the real domain, without a Rasa server."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    ActionAnswerTopic,
    ActionContactPerson,
    ActionFallback,
    ActionHandleInform,
    ActionSafeguarding,
)
from actions.dspl import ActionAskDsplPlace, ActionReportDspl, ValidateDsplForm
from actions.referral import ActionHandoff, ActionReferralOutcome, ValidateReferralForm
from actions.support_groups import ActionListSupportGroups
from tests.helpers.sdk_trackers import DOMAIN, make_tracker, rendered

DONE = {
    "requester_role": "parent",
    "child_age_months": 30.0,
    "attends_setting": "yes",
    "concern_areas": ["communication"],
    "setting_support_tried": "yes",
    "parental_consent": "yes",
}


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(rendered(m) for m in dispatcher.messages)


async def validate(text: str, requested: str, domain, slots=None, intent="inform",
                   choice=None, confidence=0.9):
    tracker = make_tracker(
        text, intent=intent, confidence=confidence, choice=choice,
        slots={**(slots or {}), "requested_slot": requested}, active_loop="referral_form",
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateReferralForm().run(dispatcher, tracker, domain)
    return slots_set(events), dispatcher


@pytest.mark.parametrize(
    ("requested", "text", "choice", "expected"),
    [
        ("requester_role", "I'm her mum", None, "parent"),
        ("requester_role", "/inform", "childminder", "childminder"),
        ("child_age_months", "2 and a half", None, 30.0),
        ("child_age_months", "turns 5 in May", None, None),
        ("attends_setting", "no, she's at home with me", None, "no"),
        ("attends_setting", "I don't know", None, "unsure"),
        ("concern_areas", "his speech and he hits out", None, None),
        ("setting_support_tried", "not sure", None, "unsure"),
        ("parental_consent", "yes we agree", None, "yes"),
    ],
)
async def test_form_reads_answers(domain, requested, text, choice, expected) -> None:
    known = {"requester_role": "parent", "child_age_months": 30.0, "attends_setting": "yes"}
    slots, _ = await validate(text, requested, domain, choice=choice, slots=known)
    if expected is None:
        assert slots.get(requested) is not None
    else:
        assert slots[requested] == expected


async def test_form_asks_only_what_is_needed(domain) -> None:
    slots, _ = await validate("8", "child_age_months", domain, slots={"requester_role": "parent"})
    assert slots["child_age_months"] == 96.0
    assert slots["requested_slot"] is None  # over age: nothing more to ask


async def test_question_mid_form_is_left_to_the_rules(domain) -> None:
    slots, dispatcher = await validate(
        "what evidence do you need?", "parental_consent", domain, intent="ask_evidence"
    )
    assert "parental_consent" not in slots
    assert not dispatcher.messages


async def test_resuming_after_a_question_does_not_reread_it(domain) -> None:
    tracker = make_tracker(
        "her speech", intent="inform", active_loop="referral_form",
        slots={"requested_slot": "concern_areas", "requester_role": "parent",
               "child_age_months": 30.0, "attends_setting": "yes"},
        ran=["action_extract_slots", "action_answer_topic", "referral_form"],
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateReferralForm().run(dispatcher, tracker, domain)
    assert "concern_areas" not in slots_set(events)
    assert not dispatcher.messages


async def test_unreadable_answer_gets_a_hint_and_the_question_again(domain) -> None:
    slots, dispatcher = await validate("purple", "child_age_months", domain)
    assert slots["child_age_months"] is None
    assert "rough age" in texts(dispatcher)


async def test_correction_of_the_age_mid_form(domain) -> None:
    slots, dispatcher = await validate(
        "actually she's 4", "concern_areas", domain,
        slots={"requester_role": "parent", "child_age_months": 36.0, "attends_setting": "yes"},
    )
    assert slots["child_age_months"] == 48.0
    assert "4 years" in texts(dispatcher)


async def test_setting_role_implies_a_setting(domain) -> None:
    slots, _ = await validate("I'm the SENCo", "requester_role", domain)
    assert slots["requester_role"] == "setting"
    assert slots["requested_slot"] == "child_age_months"
    later, _ = await validate("3", "child_age_months", domain, slots=slots)
    assert later["requested_slot"] == "concern_areas"  # no need to ask about a setting


async def test_outcome_is_one_message_and_why_gives_the_reasons(herts, domain, dispatcher) -> None:
    from actions.answers import ActionShowMore

    slots = {**DONE, "setting_support_tried": "no"}
    tracker = make_tracker(slots=slots, latest_action="referral_form")
    events = await ActionReferralOutcome().run(dispatcher, tracker, domain)
    assert slots_set(events)["referral_outcome"] == "graduated_first"
    assert len(dispatcher.messages) == 1
    said = texts(dispatcher)
    assert herts.referral.decided_by in said and herts.referral.outcomes[
        "graduated_first"].title in said
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]][0] == "Why?"
    why = CollectingDispatcher()
    await ActionShowMore().run(why, make_tracker(
        '/show_more{"topic":"why"}', intent="show_more", slots={**slots, **slots_set(events)}
    ), domain)
    assert "Based on what you told me" in texts(why) and "not yet tried" in texts(why)


async def test_handoff_sends_text_and_payload(herts, domain, dispatcher) -> None:
    tracker = make_tracker("yes", intent="affirm", slots={**DONE, "dspl_area": "DSPL 7"})
    await ActionHandoff().run(dispatcher, tracker, domain)
    custom = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert custom and custom[0]["handoff"]["outcome"] == "refer_now"
    assert custom[0]["handoff"]["dspl_area"] == "DSPL 7"
    assert herts.referral.form_page_url in texts(dispatcher)


async def test_handoff_without_answers_offers_the_check(domain, dispatcher) -> None:
    await ActionHandoff().run(dispatcher, make_tracker("summary please"), domain)
    response = DOMAIN["responses"][dispatcher.messages[0]["response"]][0]
    assert response["buttons"][0]["payload"] == "/check_referral"


async def test_safeguarding_gives_999_and_childrens_services(domain, dispatcher) -> None:
    await ActionSafeguarding().run(dispatcher, make_tracker("my partner hits my son"), domain)
    said = texts(dispatcher)
    assert said.index("999") < said.index("0300 123 4043")


@pytest.mark.parametrize(
    ("role", "expected_topic"),
    [("setting", "evidence_setting"), ("parent", "evidence_parent")],
)
async def test_evidence_depends_on_who_asks(herts, domain, role, expected_topic) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("what evidence?", intent="ask_evidence",
                           slots={"requester_role": role})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert herts.topics[expected_topic].text.strip()[:40] in texts(dispatcher)


async def test_over_five_gets_a_kind_pointer(herts, domain, dispatcher) -> None:
    tracker = make_tracker("can my 6 year old be seen?", intent="ask_who_service_is_for")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert herts.topics["over_age"].text.strip()[:40] in texts(dispatcher)


async def test_no_menu_buttons_while_a_form_is_active(domain, dispatcher) -> None:
    tracker = make_tracker("how do I refer?", intent="ask_how_to_refer",
                           active_loop="referral_form")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert all(not m.get("buttons") for m in dispatcher.messages)


async def test_fallback_offers_a_person_after_two_misses(herts, domain) -> None:
    miss = {"event": "user", "text": "blorp",
            "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.2}}}
    first = CollectingDispatcher()
    await ActionFallback().run(first, make_tracker("blorp", intent="nlu_fallback"), domain)
    assert "another way" in texts(first)
    second = CollectingDispatcher()
    tracker = make_tracker("glorp", intent="nlu_fallback", events=[miss])
    await ActionFallback().run(second, tracker, domain)
    assert herts.topics["human_route"].text.strip()[:30] in texts(second)


async def test_a_town_on_its_own_gets_its_dspl(domain, dispatcher) -> None:
    tracker = make_tracker("Hitchin", intent="nlu_fallback")
    events = await ActionFallback().run(dispatcher, tracker, domain)
    assert "DSPL 1" in texts(dispatcher)
    assert slots_set(events)["dspl_result"]["areas"] == [1]


async def test_contact_person_lists_the_human_route(herts, domain, dispatcher) -> None:
    await ActionContactPerson().run(dispatcher, make_tracker("a person please"), domain)
    said = texts(dispatcher)
    for cid in herts.human_route:
        assert herts.contacts[cid].name in said


async def test_late_age_correction_updates_the_outcome(domain, dispatcher) -> None:
    tracker = make_tracker("actually she's 6", intent="inform",
                           slots={**DONE, "referral_outcome": "refer_now"})
    events = await ActionHandleInform().run(dispatcher, tracker, domain)
    assert slots_set(events)["referral_outcome"] == "transition_only"


async def test_dspl_form_finds_a_town(domain, dispatcher) -> None:
    tracker = make_tracker("Hitchin", intent="inform", active_loop="dspl_form",
                           slots={"requested_slot": "dspl_place"})
    slots = slots_set(await ValidateDsplForm().run(dispatcher, tracker, domain))
    assert slots["dspl_area"] == "DSPL 1"
    report = CollectingDispatcher()
    await ActionReportDspl().run(report, make_tracker(slots=slots), domain)
    assert "DSPL 1" in texts(report)


async def test_dspl_form_asks_which_place_for_a_split_postcode(domain, dispatcher) -> None:
    tracker = make_tracker("SG1 2AB", intent="find_dspl", active_loop="dspl_form",
                           slots={"requested_slot": "dspl_place"})
    slots = slots_set(await ValidateDsplForm().run(dispatcher, tracker, domain))
    assert slots["dspl_place"] is None and slots["dspl_result"]["status"] == "ask"
    ask = CollectingDispatcher()
    await ActionAskDsplPlace().run(ask, make_tracker(slots=slots), domain)
    assert len(ask.messages[0]["buttons"]) >= 2


async def test_dspl_form_apologises_only_straight_after_a_miss(domain) -> None:
    missed = {"requested_slot": "dspl_place", "dspl_result": {"status": "not_found", "attempts": 1}}
    after_miss, after_question = CollectingDispatcher(), CollectingDispatcher()
    await ActionAskDsplPlace().run(
        after_miss, make_tracker("more please", intent="show_more", active_loop="dspl_form",
                                 slots=missed), domain)
    await ActionAskDsplPlace().run(
        after_question,
        make_tracker("what is an EHC needs assessment", intent="ask_ehcp", slots=missed,
                     active_loop="dspl_form", ran=["action_answer_topic", "dspl_form"]),
        domain,
    )
    assert "couldn't find" in texts(after_miss)
    assert [m.get("response") for m in after_question.messages] == ["utter_ask_dspl_place"]


async def test_dspl_form_gives_up_kindly_after_two_misses(domain, dispatcher) -> None:
    from actions.answers import ActionShowMore

    tracker = make_tracker("Narnia", intent="inform", active_loop="dspl_form",
                           slots={"requested_slot": "dspl_place",
                                  "dspl_result": {"status": "not_found", "attempts": 1}})
    slots = slots_set(await ValidateDsplForm().run(dispatcher, tracker, domain))
    assert slots["dspl_place"] == "unknown"
    report = CollectingDispatcher()
    shown = slots_set(await ActionReportDspl().run(report, make_tracker(slots=slots), domain))
    assert "DSPL 1" in texts(report) and "DSPL 4" not in texts(report)  # three at a time
    pages, state = [texts(report)], {**slots, **shown}
    while True:
        more = CollectingDispatcher()
        state.update(slots_set(await ActionShowMore().run(
            more, make_tracker("more", intent="show_more", slots=state), domain)))
        pages.append(texts(more))
        if not more.messages[0].get("buttons"):
            break
    assert len(pages) == 3 and "DSPL 9" in pages[-1]


async def test_support_groups_page_and_show_more(domain) -> None:
    first = CollectingDispatcher()
    events = await ActionListSupportGroups().run(
        first, make_tracker("autism support groups", intent="find_support_groups"), domain
    )
    slots = slots_set(events)
    assert slots["support_need"] == ["autism"]
    assert any(b["payload"] == "/show_more" for b in first.messages[0].get("buttons", []))
    more = CollectingDispatcher()
    await ActionListSupportGroups().run(
        more, make_tracker("more", intent="show_more", slots=slots), domain
    )
    assert "more" in texts(more).lower()
    assert texts(more) != texts(first)


async def test_a_group_in_the_list_shows_its_details_then_the_list_goes_on(domain) -> None:
    """The list is a line a group; the group's own button gives what it does, how to
    contact it and the caution about its details; 'Show more' still continues the list."""
    from actions.answers import ActionShowMore
    from bot.guidance.content import load_content

    first = CollectingDispatcher()
    slots = slots_set(await ActionListSupportGroups().run(
        first, make_tracker("autism support groups", intent="find_support_groups"), domain))
    listed = first.messages[0]
    group_buttons = [b for b in listed["buttons"] if b["payload"].startswith("/show_more{")]
    assert len(group_buttons) == 3 and "Please note" not in listed["text"]
    payload = group_buttons[0]["payload"]
    tracker = make_tracker(payload, intent="show_more", slots=slots)
    tracker.latest_message["entities"] = [
        {"entity": "topic", "value": payload.split('"topic":"')[1].rstrip('"}')}]
    details = CollectingDispatcher()
    assert await ActionShowMore().run(details, tracker, domain) == []
    group = next(g for g in load_content().support_groups if g.name == group_buttons[0]["title"])
    said = texts(details)
    assert group.summary.split(".")[0] in " ".join(said.split())
    assert group.caution is None or "Please note" in said
    assert [b["payload"] for b in details.messages[0]["buttons"]] == ["/show_more"]


@pytest.fixture
def herefordshire(monkeypatch):
    """Run the actions with the second council's content, then go back."""
    from bot.guidance.content import load_content

    monkeypatch.setenv("BOT_COUNCIL", "herefordshire")
    load_content.cache_clear()
    yield load_content()
    load_content.cache_clear()


async def test_second_council_answers_from_its_own_content(herefordshire, domain) -> None:
    from actions.dspl import ActionStartDsplLookup

    dspl = CollectingDispatcher()
    await ActionStartDsplLookup().run(dspl, make_tracker("which dspl am I in"), domain)
    assert herefordshire.no_dspl.text.strip()[:30] in texts(dspl)
    safe = CollectingDispatcher()
    await ActionSafeguarding().run(safe, make_tracker("I think a child is being abused"), domain)
    assert "999" in texts(safe)
    assert "0300 123 4043" not in texts(safe)  # Hertfordshire's number is not Herefordshire's
    outcome = CollectingDispatcher()
    await ActionReferralOutcome().run(outcome, make_tracker(slots=DONE), domain)
    assert herefordshire.referral.decided_by in texts(outcome)


async def test_second_council_without_a_topic_says_it_does_not_know(herefordshire, domain) -> None:
    said = CollectingDispatcher()
    tracker = make_tracker("do we need an IEP?", intent="ask_iep")
    await ActionAnswerTopic().run(said, tracker, domain)
    assert "don't have information" in texts(said)
    assert herefordshire.contacts["early_years_team"].name in texts(said)
