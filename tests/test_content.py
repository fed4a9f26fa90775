"""The content files: valid, sourced, and saying only what the facts say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.guidance.content import ContentError, load_content, parse_content
from tests.helpers import ROOT, facts_dir

PHONE = re.compile(r"(?<![\d£])(?:0\d{2,4}[ \d]{6,10}\d|999|101)(?![\d])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"https?://[^\s\"'<>)\]]+")


def _facts_text() -> str:
    folder = facts_dir()
    files = sorted(folder.glob("facts/*.md")) + sorted(folder.glob("seeds/*.txt"))
    if not files:
        pytest.fail(f"facts not found under {folder} (set FACTS_DIR)")
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _sayable_texts() -> dict[str, str]:
    """Every file whose words the assistant or its pages can show."""
    paths = [ROOT / "domain.yml", *sorted((ROOT / "bot" / "guidance" / "content").glob("*.yml"))]
    paths += sorted((ROOT / "bot" / "web" / "templates").glob("*"))
    paths += sorted((ROOT / "bot" / "web" / "static").glob("**/*.js"))
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths if p.is_file()}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_both_councils_load() -> None:
    assert load_content("hertfordshire").dspl is not None
    assert load_content("herefordshire").dspl is None


def test_council_is_chosen_by_configuration(monkeypatch) -> None:
    monkeypatch.setenv("BOT_COUNCIL", "herefordshire")
    load_content.cache_clear()
    try:
        assert load_content().council.id == "herefordshire"
    finally:
        load_content.cache_clear()


def test_broken_file_fails_with_a_clear_message(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "bot/guidance/content/hertfordshire.yml").read_text())
    raw["contacts"]["children_services"]["phone"] = "call us"
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ContentError, match=r"contacts.children_services.phone"):
        parse_content(broken)
    broken.write_text("council: [unclosed")
    with pytest.raises(ContentError, match="not valid YAML"):
        parse_content(broken)
    with pytest.raises(ContentError, match="not found"):
        parse_content(tmp_path / "missing.yml")


def test_unknown_council_name_is_refused() -> None:
    with pytest.raises(ContentError):
        load_content("../etc/passwd")


def test_every_phone_email_and_url_is_in_the_facts() -> None:
    facts = _facts_text()
    fact_digits = {_digits(m) for m in PHONE.findall(facts)}
    fact_lower = facts.lower()
    problems = []
    for name, text in _sayable_texts().items():
        for phone in PHONE.findall(text):
            if _digits(phone) not in fact_digits:
                problems.append(f"{name}: phone {phone}")
        for email in EMAIL.findall(text):
            if email.lower() not in fact_lower:
                problems.append(f"{name}: email {email}")
        for url in URL.findall(text):
            url = url.rstrip(".,;")
            bare = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
            if url.lower() not in fact_lower and bare.lower() not in fact_lower:
                problems.append(f"{name}: url {url}")
    assert not problems, "not in the facts:\n" + "\n".join(problems)


def test_the_check_itself_catches_an_invented_number() -> None:
    facts = _facts_text()
    fact_digits = {_digits(m) for m in PHONE.findall(facts)}
    assert _digits("0300 123 4043") in fact_digits
    assert _digits("0300 999 1234") not in fact_digits


def test_every_source_is_a_fact_source(herts, hereford) -> None:
    facts = _facts_text().lower()
    for content in (herts, hereford):
        dumped = json.loads(content.json())
        sources = set(re.findall(r'"source": "([^"]+)"', json.dumps(dumped)))
        missing = [s for s in sources if s.lower().rstrip("/") not in facts]
        assert not missing, missing


def test_not_found_facts_are_not_guessed(herts) -> None:
    assert herts.contacts["service_page"].phone is None
    assert herts.contacts["service_page"].email is None
    assert herts.contacts["sendiass"].phone is None
    centres = herts.topics["centres"].text.lower()
    assert "publish" in centres or "not known" in centres
    after = herts.topics["after_referral"].text.lower()
    assert "waiting times" in after and "publish" in after


def test_behaviour_topic_has_the_exact_wording(herts) -> None:
    text = herts.topics["behaviour"].text
    assert "Early Years SEND" in text
    assert "Tier 3 Emotional Wellbeing and Behaviour Support" in text


def test_safeguarding_gives_999_and_childrens_services_first(herts) -> None:
    first_two = herts.safeguarding.contacts[:2]
    phones = [herts.contacts[c].phone for c in first_two]
    assert phones == ["999", "0300 123 4043"]
