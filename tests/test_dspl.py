"""DSPL lookup by town, village or postcode, offline and with a faked live lookup."""

from __future__ import annotations

import pytest
import requests

from bot.guidance.dspl import find_postcode, lookup
from bot.guidance.postcodes import PostcodeClient


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Hitchin", 1),
        ("hitchen", 1),
        ("I live in STEVENAGE", 2),
        ("we are in Bishop's Stortford", 3),
        ("bishops stortford", 3),
        ("Waltham Cross", 4),
        ("welwyn garden city", 5),
        ("potters bar", 6),
        ("St Albans", 7),
        ("al5", 7),
        ("Tring", 8),
        ("Watford please", 9),
    ],
)
def test_towns_and_postcodes_find_their_area(herts, text: str, area: int) -> None:
    result = lookup(text, herts.dspl)
    assert result.status == "found"
    assert result.areas == [area]


def test_split_postcode_asks_which_place(herts) -> None:
    result = lookup("SG1 2AB", herts.dspl)
    assert result.status == "ask"
    assert result.options and all(o in herts.dspl.places for o in result.options)


def test_unsure_place_says_so(herts) -> None:
    result = lookup("Knebworth", herts.dspl)
    assert result.status == "uncertain"
    assert len(result.areas) > 1
    assert result.stated is False


@pytest.mark.parametrize("text", ["Harlow", "EN9", "HP5 1AA", "LU2"])
def test_outside_the_county(herts, text: str) -> None:
    result = lookup(text, herts.dspl)
    assert result.status == "outside"
    assert result.council


def test_unknown_place(herts) -> None:
    assert lookup("Narnia", herts.dspl).status == "not_found"


def test_full_postcode_is_never_kept(herts) -> None:
    assert find_postcode("my postcode is sg4 9aa", herts.dspl) == ("SG4", "9AA")
    slot = lookup("sg4 9aa", herts.dspl).to_slot()
    assert "9AA" not in str(slot)


class FakeResponse:
    def __init__(self, status: int, body: dict | None = None) -> None:
        self.status_code = status
        self._body = body or {}

    def json(self) -> dict:
        return self._body


class FakeSession:
    """Stands in for requests.Session: answers, fails, or times out."""

    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, float]] = []

    def get(self, url: str, timeout: float) -> FakeResponse:
        self.calls.append((url, timeout))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_live_lookup_refines_a_split_postcode(herts) -> None:
    session = FakeSession(
        FakeResponse(200, {"result": {"admin_district": "Stevenage",
                                      "admin_county": "Hertfordshire"}})
    )
    client = PostcodeClient(base_url="http://127.0.0.1:9/postcodes", session=session)
    result = lookup("SG1 2AB", herts.dspl, client)
    assert result.status == "found" and result.areas == [2]
    assert session.calls[0][1] == 2.0
    assert session.calls[0][0].endswith("/SG12AB")


def test_live_lookup_outside_county(herts) -> None:
    session = FakeSession(
        FakeResponse(200, {"result": {"admin_district": "Luton", "admin_county": None}})
    )
    client = PostcodeClient(base_url="http://127.0.0.1:9/", session=session)
    result = lookup("LU1 1AA", herts.dspl, client)
    assert result.status == "outside" and result.council == "Luton"


@pytest.mark.parametrize(
    "outcome",
    [requests.Timeout("slow"), requests.ConnectionError("down"), FakeResponse(500),
     FakeResponse(404)],
)
def test_live_lookup_falls_back_offline(herts, outcome) -> None:
    client = PostcodeClient(base_url="http://127.0.0.1:9/", session=FakeSession(outcome))
    result = lookup("AL5 1AA", herts.dspl, client)
    assert result.status == "found" and result.areas == [7]


@pytest.mark.parametrize(
    ("text", "district", "area"),
    [
        ("wd243", "WD24", 9),  # district and sector digit, no space
        ("sg138aa", "SG13", 3),  # a whole postcode without its space
        ("SG13", "SG13", 3),  # a district that could be read as SG1 sector 3
        ("al52", "AL5", 7),
        ("al5 2", "AL5", 7),
        ("en110aa", "EN11", 4),
        ("HP4 3ZZ", "HP4", 8),
    ],
)
def test_postcodes_with_or_without_a_space_in_any_case(herts, text, district, area) -> None:
    result = lookup(text, herts.dspl)
    assert result.postcode_district == district
    assert result.status == "found" and result.areas == [area]


@pytest.mark.parametrize(
    ("text", "council"),
    [
        ("Luton", None),
        ("we live in milton keynes", None),
        ("Enfield", "London Borough of Enfield"),
        ("harlow", "Essex County Council"),
        ("lu2 7xx", "Luton or Central Bedfordshire"),
        ("MK9", "Central Bedfordshire or Milton Keynes"),
    ],
)
def test_places_outside_the_county_get_their_own_council(herts, text, council) -> None:
    from bot.guidance.replies import dspl_reply

    result = lookup(text, herts.dspl)
    assert result.status == "outside" and result.council == council
    reply = dspl_reply(herts, result).text or ""
    assert "Local Offer" in reply and "outside" in reply
