"""bot.guidance.privacy.redact: personal details out, useful words kept."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bot.guidance.privacy import redact, redact_limited


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at jane.doe+x@example.co.uk please", "email me at [email] please"),
        ("call 07700 900123", "call [phone]"),
        ("call 07700900123.", "call [phone]."),
        ("ring +44 7700 900 123 today", "ring [phone] today"),
        ("ring +44 (0)1442 453300", "ring [phone]"),
        ("home (01442) 453300", "home [phone]"),
        ("our number is 020 7946 0958", "our number is [phone]"),
        ("we live at SG1 2AB", "we live at SG1"),
        ("postcode al12 3xy", "postcode AL12"),
        ("postcode wd171ab ok", "postcode WD17 ok"),
        ("born on 03/05/2021", "born on [date]"),
        ("born 3-5-21", "born [date]"),
        ("DOB 2021-05-03", "DOB [date]"),
        ("born on 3rd of May 2021", "born on [date]"),
        ("born 14 February", "born [date]"),
        ("born March 12, 2022.", "born [date]."),
        ("date of birth: June 2021", "date of birth: [date]"),
        ("my son is called Tom", "my son is called [name]"),
        ("my daughter is named amy-leigh and she is 3", "my daughter is named [name] and she is 3"),
        ("My little one is called Oliver James, he's 2", "My little one is called [name], he's 2"),
        ("her name is Zara", "her name is [name]"),
        ("his name's Jack", "his name's [name]"),
        ("my name is Sarah Smith", "my name is [name]"),
        ("we call him Bobby", "we call him [name]"),
        ("NHS number 943 476 5919", "NHS number [number]"),
        ("we live at 12 High Street, Hitchin", "we live at [address], Hitchin"),
    ],
)
def test_personal_details_are_removed(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my son is 2 and a half and not talking",
        "she may 3 words only",
        "Which DSPL is Hitchin in?",
        "Is there an autism group in Stevenage?",
        "call 999 if a child is in danger",
        "he is 30 months old",
        "since September 2024 the nursery has tried",
        "my son is not called anything yet",
        "We are in SG1",
        "",
    ],
)
def test_ordinary_words_are_kept(text: str) -> None:
    assert redact(text) == text


def test_the_district_is_enough_for_a_dspl_lookup() -> None:
    from bot.guidance.content import load_content
    from bot.guidance.dspl import lookup

    content = load_content()
    assert content.dspl is not None
    assert lookup(redact("we are at SG1 2AB"), content.dspl).status != "not_found"


def test_redact_limited_cuts_and_collapses() -> None:
    cleaned = redact_limited("  it was\n\n great,  email a@b.com  ", 100)
    assert cleaned == "it was great, email [email]"
    assert redact_limited("x" * 50, 10) == "x" * 10
    assert redact_limited("", 10) == ""


def test_redaction_is_idempotent() -> None:
    text = "my son is called Tom, SG1 2AB, 07700 900123, born 03/05/2021, a@b.com"
    once = redact(text)
    assert redact(once) == once
    assert "Tom" not in once and "2AB" not in once and "900123" not in once


# Inputs shaped to make a backtracking pattern try every split of a long run: each pattern's
# optional words around whitespace, long runs before an '@', repeated openings. Each shape is
# (what repeats to n characters, what comes before it, what comes after it).
_HOSTILE_SHAPES: dict[str, tuple[str, ...]] = {
    "date of birth + spaces": (" ", "date of birth", "x"),
    "date of birth + no-break spaces": ("\u00a0", "date of birth", "x"),
    "dob repeated": ("dob is ",),
    "name intro + spaces": (" ", "my son", "x"),
    "name intro repeated": ("my son is ",),
    "letters before no @": ("a",),
    "dots before no @": ("a.",),
    "many @": ("a@",),
    "digits and spaces": ("0 1 ",),
    "house number and words": ("ab ", "12 "),
    "day and month words": ("3 of may ",),
    "postcode-like": ("sg1 ",),
    "zero-width joiners": ("\u200b", "07700", "900123"),
    "introductions repeated": ("I'm ",),
    "kinship and capitals": ("Ab ", "my son "),
    "capitalised words before a setting": ("Ab Cd ", "", " Nursery"),
    "thank-you and capitals": ("thanks Ab ",),
    "thank-you and commas": ("a,", "thanks", " Ab"),
    "possessive and relation": ("Ab's mum ",),
    "phone numbers back to back": ("07700 900123 ",),
    "plus signs and digits": ("+4 ",),
    "flats": ("flat 1 ",),
    "birth words": ("born the ",),
    "lower-case words before a setting": ("ab ", "to ", "nursery"),
    "saints": ("St ",),
    "capitals": ("AB ",),
    "digit words": ("one ",),
    "digit groups joined by words": ("07700 then ",),
    "letter O among digits": ("9OO ",),
    "spelled-out e-mail without an at": ("a dot ", "", "com"),
    "spelled-out e-mail openings": ("a at b dot ",),
    "relations of": ("mum of ",),
    "called repeated": ("someone called ",),
    "capitals after at": ("Ab ", "at ", "in Hitchin"),
    "setting is capitals": ("nursery is Ab ",),
    "name before kin": ("Ab is my son ",),
    "numbered The": ("1 The Ab ",),
    "names and ages joined": ("ab (4) and ", "my son "),
}


def hostile(shape: str, n: int) -> str:
    """The text of one hostile shape at length ``n`` (plus what comes before and after)."""
    unit, before, after = (*_HOSTILE_SHAPES[shape], "", "")[:3]
    return before + (unit * n)[:n] + after


def _cpu_seconds(run: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """The least CPU time (this process only, so other work on the machine does not count)
    that ``run(text)`` took in a few tries."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("shape", sorted(_HOSTILE_SHAPES))
def test_redaction_stays_linear_on_hostile_input(shape: str) -> None:
    """Each shape at the largest size a person can send (a chat message is at most 1,000
    characters; a comment is cut to 300 before it is redacted) is redacted in time that
    grows with its length, not faster: four times the text takes well under eight times the
    time (a pattern that backtracks takes sixteen). The patterns this replaced took 1.3 s on
    3,000 characters and 12 s on 10,000; a CPU-time backstop catches such a fault outright."""
    redact("my son Ab, at Ab Cd Hitchin")  # the word lists and the content's towns, read once
    short = _cpu_seconds(redact, hostile(shape, 250))
    full = _cpu_seconds(redact, hostile(shape, 1000))
    assert full <= 8 * short + 0.01, (shape, short, full)
    assert full < 1.0, (shape, full)
    comment = hostile(shape, 8 * 1024)
    assert _cpu_seconds(lambda t: redact_limited(t, 300), comment) < 1.0, shape


def test_comment_is_cut_before_it_is_redacted() -> None:
    hostile = "date of birth" + " " * 20_000 + "x"
    assert redact_limited(hostile, 300) == "date of birth"  # the "x" is past the cut
    assert redact_limited("call 07700 900123 " + "a" * 400, 20) == "call [phone] " + "a" * 7


def test_text_is_normalised_before_matching() -> None:
    assert redact("call ０７７００ ９００１２３") == "call [phone]"
    assert redact("call 07700\u200b900\u200b123") == "call [phone]"
    assert redact("a\u00a0\u00a0b") == "a b"
