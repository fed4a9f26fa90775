"""Support groups filtered by area and need, a page at a time."""

from __future__ import annotations

from bot.guidance.support_groups import PAGE_SIZE, matching_groups, needs_in_text, page_of


def test_needs_are_read_from_words(herts) -> None:
    assert "autism" in needs_in_text("any groups for autistic kids?", herts)
    assert "hearing" in needs_in_text("my son is deaf", herts)


def test_autism_groups_come_first(herts) -> None:
    groups = matching_groups(herts, None, ["autism"])
    assert groups
    assert "autism" in groups[0].needs


def test_area_filter_leaves_out_other_areas(herts) -> None:
    for group in matching_groups(herts, 7, []):
        assert group.areas is None or 7 in group.areas
    north = {g.id for g in matching_groups(herts, 1, [])}
    south = {g.id for g in matching_groups(herts, 7, [])}
    assert north != south


def test_every_group_has_a_way_to_contact_or_a_caution(herts) -> None:
    for group in herts.support_groups:
        assert group.contact is not None or group.caution, group.id


def test_pages(herts) -> None:
    groups = matching_groups(herts, None, [])
    first = page_of(groups, 0)
    assert len(first.groups) == min(PAGE_SIZE, len(groups))
    assert first.has_more == (len(groups) > PAGE_SIZE)
    last = page_of(groups, len(groups) - 1)
    assert not last.has_more
