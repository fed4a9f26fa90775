"""The parameters that answered 500 (issue 13): "²" passes ``str.isdigit()`` and ``int()``
refuses 5,000 digits. Every route now reads its parameters through ``bot.web.params``; the fuzz
in test_fuzz.py sends hostile values to every route, this test the ones that were found."""

from __future__ import annotations

import pytest

from bot.web.params import Choice, Number, Param

FOUND = [
    "/guide/support-groups?offset=²",
    "/guide/support-groups?area=²",
    "/guide/can-i-refer/check?age=²",
    "/guide/support-groups?offset=" + "9" * 5000,
    "/guide/support-groups?area=" + "9" * 5000,
    "/guide/can-i-refer/check?age=" + "9" * 5000,
]


@pytest.mark.parametrize("url", FOUND, ids=lambda url: url[:50])
async def test_the_parameters_that_answered_500_get_a_page(app, url):
    _, resp = await app.asgi_client.get(url)
    assert resp.status in (200, 302, 303), resp.status
    assert "Traceback" not in resp.text


@pytest.mark.parametrize(
    ("sent", "expected"),
    [("12", 12), (" 12 ", 12), ("0", 0), ("²", None), ("٣", None), ("1e3", None), ("-1", None),
     ("9" * 5000, None), ("10001", None), ("", None), ("12\x00", 12)],
)
def test_a_number_is_ascii_digits_within_bounds(sent, expected):
    offset = Number("offset", low=0, high=10_000)  # declared names only: the fuzz sends them
    assert offset.number({"offset": sent}) == expected
    assert offset.number({}) is None


def test_text_and_choices_are_cut_and_checked():
    text = Param("page", 5)
    assert text.read({"page": "a\u202eb  c" + "d" * 50}) == "ab cd"
    kind = Choice("format", options=("html", "csv"))
    assert kind.choice({"format": "csv"}) == "csv"
    assert kind.choice({"format": "xls"}, "html") == "html"
    assert kind.choices({"format": ["csv", "xls", "csv", "html"]}) == ["csv", "html"]
