"""The fixed reply for a message in another language, and telling languages apart."""

from __future__ import annotations

import re

import pytest

from bot.guidance.languages import LanguageDetector, fixed_reply, replies

REQUIRED = {"pl", "ro", "ur", "bn", "pa", "tr", "pt", "es", "it", "ar"}


def test_every_language_the_issue_names_has_a_reply_with_999_and_a_person() -> None:
    assert set(replies()) >= REQUIRED
    for code in replies():
        reply = fixed_reply(code)
        assert "999" in reply["text"] and "(/contact)" in reply["text"]
        assert "(/guide)" in reply["text"]
        assert reply["lang"] == code
        assert reply["dir"] == ("rtl" if code in ("ar", "ur") else "ltr")


def test_an_unknown_code_gets_the_english_reply() -> None:
    assert fixed_reply("xx")["lang"] == "en" and "999" in fixed_reply("xx")["text"]


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    english = ["my", "son", "is", "not", "talking", "can", "i", "refer", "him", "what", "is",
               "a", "dspl", "do", "we", "need", "an", "iep"]
    return LanguageDetector(english)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mój syn ma trzy lata i nie mówi, czy mogę dostać pomoc?", "pl"),
        ("Oğlum üç yaşında ve konuşmuyor, yardım alabilir miyim?", "tr"),
        ("احتاج مترجم من فضلك", "ar"),  # Arabic, not Urdu: no Urdu-only letters
        ("میرا بیٹا بات نہیں کرتا، کیا مدد مل سکتی ہے؟", "ur"),
    ],
)
def test_other_languages_are_recognised(detector: LanguageDetector, text: str, code: str) -> None:
    assert detector.detect(text) == code


@pytest.mark.parametrize(
    "text", ["SG8", "nan here", "my son is not talking", "what is a dspl", "ok", "IEP?"]
)
def test_short_english_is_english(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_no_reply_text_keeps_a_placeholder() -> None:
    for code in replies():
        assert not re.search(r"\{\w+\}", fixed_reply(code)["text"])
