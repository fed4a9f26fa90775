"""Answers that fit on a phone: every topic reply the content can produce is short and plain.

Words are counted as a reader sees them (a web address or an e-mail address is one word);
the reading grade is Flesch-Kincaid (textstat) of the reply's sentences, leaving out its
contact cards and links, which are not prose. The check's outcome is one message of at most
90 words.
"""

from __future__ import annotations

import re
import statistics

import pytest
import textstat

from bot.guidance.content.schema import REFERRAL_OUTCOMES
from bot.guidance.referral import Assessment
from bot.guidance.replies import (
    human_route_reply,
    more_text,
    outcome_reply,
    safeguarding_reply,
    topic_text,
    why_reply,
)

MEDIAN_WORDS = 60
MAX_WORDS = 120
MAX_OUTCOME_WORDS = 90
MAX_GRADE = 7.0
_ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def words(text: str) -> int:
    return len(text.split())


def prose(text: str) -> str:
    """The sentences of a reply: without its contact cards ("• Name: 0300 ...") and its
    "Read more" link, which are not sentences."""
    kept = [line for line in text.splitlines()
            if not line.startswith(("• ", "[Read more]("))]
    return _ADDRESS.sub("", "\n".join(kept))


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(prose(text)))


def topic_replies(content) -> dict[str, str]:
    """Every reply a topic can give: its short answer, and the rest on 'Tell me more'."""
    replies = {"safeguarding": safeguarding_reply(content).text or "",
               "human_route": human_route_reply(content).text or ""}
    for key, topic in content.topics.items():
        if key == "human_route":
            continue
        replies[key] = topic_text(content, topic)
        if topic.more:
            replies[f"{key} (more)"] = more_text(content, topic)
    return replies


def test_topic_replies_are_short(herts) -> None:
    replies = topic_replies(herts)
    counts = {key: words(text) for key, text in replies.items()}
    long = {key: n for key, n in counts.items() if n > MAX_WORDS}
    print(f"\nmedian {statistics.median(counts.values())} words, "
          f"longest {max(counts.values())} ({max(counts, key=counts.get)})")
    assert statistics.median(counts.values()) <= MEDIAN_WORDS
    assert not long, long


def test_topic_replies_are_plain(herts) -> None:
    grades = {key: grade(text) for key, text in topic_replies(herts).items()}
    print(f"\nmedian grade {statistics.median(grades.values()):.1f}")
    hard = {key: round(g, 1) for key, g in grades.items() if g > MAX_GRADE}
    assert not hard, hard


@pytest.mark.parametrize("outcome", REFERRAL_OUTCOMES)
def test_the_outcome_is_one_short_message_with_why(herts, outcome) -> None:
    assessment = Assessment(outcome, ["Age 2 years 6 months: within the team's age range."])
    reply = outcome_reply(herts, assessment)
    assert words(reply.text or "") <= MAX_OUTCOME_WORDS, reply.text
    assert reply.buttons[0]["title"] == "Why?"
    assert herts.referral.form_page_url in (reply.text or "") or not herts.referral.outcomes[
        outcome].offer_handoff
    why = why_reply(herts, assessment).text or ""
    assert words(why) <= MAX_WORDS and "Age 2 years 6 months" in why


def test_every_page_of_support_groups_and_every_group_fits(herts) -> None:
    """Lists show three groups a line each; a group's details are one short message."""
    from bot.guidance.replies import group_reply, groups_reply
    from bot.guidance.support_groups import PAGE_SIZE, matching_groups, page_of

    areas = [None, *(area.id for area in herts.dspl.areas)]
    needs = [[], *([need] for need in sorted({n for g in herts.support_groups for n in g.needs}))]
    longest = 0
    for area in areas:
        for need in needs:
            groups = matching_groups(herts, area, need)
            for offset in range(0, len(groups), PAGE_SIZE):
                reply = groups_reply(herts, page_of(groups, offset), "Here are some more:")
                longest = max(longest, words(reply.text or ""))
    assert longest <= MAX_WORDS
    for group in herts.support_groups:
        details = group_reply(herts, f"group:{group.id}", more_left=False)
        assert details is not None and words(details.text or "") <= MAX_WORDS, group.id
