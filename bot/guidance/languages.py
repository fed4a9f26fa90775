"""Messages in another language: telling them apart from English, and the one fixed reply.

The assistant understands English only. A message in one of the languages families here
often use gets one short, fixed reply in that language (bot/guidance/content/languages.yml): the
assistant answers in English, with the way to the guide and to a person.

Detection uses lingua (it ships its own models), in its low-accuracy mode restricted to
these languages (about 60 MB, well under a millisecond a message). Short English text
("SG8", "nan here", "whats an iep") can look foreign to any detector, so a message whose
words are mostly English words the assistant was trained on is always English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

LANGUAGES_FILE = Path(__file__).parent / "content" / "languages.yml"
GUIDE_PATH = "/guide"
CONTACT_PATH = "/contact"
# At least this many letters, and at least half the words unknown English, before a
# Latin-script message can be another language.
MIN_LETTERS = 8
MIN_WORDS = 3
MIN_FOREIGN_SHARE = 0.5
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Letters used by Urdu (and Punjabi in Shahmukhi) but not by Arabic.
_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06af\u0686\u067e]")


@functools.lru_cache(maxsize=1)
def replies() -> dict[str, Any]:
    """The translated replies, by ISO 639-1 code."""
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return dict(data["languages"])


def fixed_reply(code: str) -> dict[str, Any]:
    """The reply for a language code, as a message the widget shows with lang and dir."""
    entry = replies().get(code)
    if entry is None:
        text = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))["english"]
        entry = {"text": text, "dir": "ltr"}
        code = "en"
    body = " ".join(str(entry["text"]).split())
    return {
        "text": body.format(guide=f"[{GUIDE_PATH}]({GUIDE_PATH})",
                            contact=f"[{CONTACT_PATH}]({CONTACT_PATH})"),
        "lang": code,
        "dir": entry.get("dir", "ltr"),
    }


def words(text: str) -> list[str]:
    """The words of a message, lower case."""
    return _WORD.findall(text.lower())


class LanguageDetector:
    """Tells whether a message is in one of the supported other languages."""

    def __init__(self, english_words: Iterable[str]) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        self._english = frozenset(english_words)
        codes = [IsoCode639_1.from_str(code) for code in replies()]
        self._languages = [Language.from_iso_code_639_1(code) for code in codes]
        self._english_language = Language.ENGLISH
        self._detector = (
            LanguageDetectorBuilder.from_languages(Language.ENGLISH, *self._languages)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        )

    def detect(self, text: str) -> str | None:
        """The ISO 639-1 code of the message's language, or None for English (or unsure)."""
        found = words(text)
        if sum(len(w) for w in found) < MIN_LETTERS or len(found) < MIN_WORDS:
            return None
        latin = all(ord(ch) < 0x250 for w in found for ch in w)
        if latin:
            unknown = sum(w not in self._english for w in found)
            if unknown / len(found) < MIN_FOREIGN_SHARE:
                return None
        language = self._detector.detect_language_of(text)
        if language is None or language == self._english_language:
            return None
        code = language.iso_code_639_1.name.lower()
        if code == "ur" and not _URDU_LETTERS.search(text):
            code = "ar"
        return code if code in replies() else None


def place_words() -> set[str]:
    """The words of every place name in every council's content (towns, villages, areas)."""
    from bot.guidance.content import council_ids, load_content

    found: set[str] = set()
    for council in council_ids():
        content = load_content(council)
        if content.dspl is None:
            continue
        names = [*content.dspl.places, *content.dspl.outside_places,
                 *content.dspl.district_councils]
        names += [town for area in content.dspl.areas for town in area.towns]
        for name in names:
            found.update(words(name))
    return found
