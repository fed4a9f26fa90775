"""The guide without JavaScript: pages from the content, DSPL finder, groups, 'Can I refer?'."""

from __future__ import annotations

import re

import pytest

from bot.guidance.content import load_content
from tests.helpers.guide_pages import STATEMENT_PAGES, TOPIC_PAGES

CONTENT = load_content()
PAGES = [
    *TOPIC_PAGES,
    "/guide/find-your-dspl",
    "/guide/support-groups",
    "/guide/can-i-refer",
    "/guide/can-i-refer/requester_role",
    *STATEMENT_PAGES,
]


def main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_has_the_help_link_in_the_same_place_and_no_script(app, path):
    _, resp = await app.asgi_client.get(path)
    assert resp.status == 200
    html = resp.text
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert '<a class="site-header__help" href="/contact">Contact a person</a>' in header
    for href in ("/accessibility", "/privacy", "/about-this-assistant", "/guide"):
        assert f'href="{href}"' in html.split('<footer class="site-footer">')[1]
    assert "<script" not in html and "style=" not in html  # no JS needed, strict CSP
    assert html.count("<h1") == 1
    assert "Content-Security-Policy" in resp.headers


async def test_home_page_links_the_statements_too(app):
    _, resp = await app.asgi_client.get("/")
    assert 'href="/contact"' in resp.text and 'href="/privacy"' in resp.text


async def test_topic_pages_say_what_the_content_says(app):
    _, resp = await app.asgi_client.get("/guide/evidence")
    html = main(resp.text)
    for key in ("evidence_parent", "evidence_setting"):
        assert CONTENT.topics[key].title in html
    for step in CONTENT.referral.next_steps["setting"]:
        assert step.replace("'", "&#x27;") in html
    _, resp = await app.asgi_client.get("/guide/the-team")
    assert "Specialist Advisory Teachers" in resp.text
    _, resp = await app.asgi_client.get("/guide/nonsense")
    assert resp.status == 404


async def test_contact_page_lists_the_human_route_with_hours_where_known(app):
    _, resp = await app.asgi_client.get("/contact")
    html = main(resp.text)
    for cid in CONTENT.human_route:
        assert CONTENT.contacts[cid].name.replace("'", "&#x27;") in html
    assert 'href="tel:03001234043"' in html  # Children's Services, from the content
    assert "Opening hours are not published." in html


async def test_find_dspl_without_javascript(app):
    _, resp = await app.asgi_client.get("/guide/find-your-dspl?place=Hitchin")
    assert resp.status == 200
    assert "Hitchin is in DSPL 1" in resp.text
    assert 'href="/guide/support-groups?area=1"' in resp.text
    _, resp = await app.asgi_client.get("/guide/find-your-dspl?place=SG1+2AB")
    assert "could be in more than one DSPL area" in resp.text
    assert "2AB" not in resp.text.replace('value="SG1 2AB"', "")  # only the district is used
    _, resp = await app.asgi_client.get("/guide/find-your-dspl?place=")
    assert resp.status == 400 and "Enter a town, village or postcode" in resp.text
    assert resp.text.count('aria-invalid="true"') == 1
    _, resp = await app.asgi_client.get("/guide/find-your-dspl?place=Qwertyville")
    assert resp.status == 400 and "We could not find that place" in resp.text
    _, resp = await app.asgi_client.get("/guide/find-your-dspl?place=Harlow")
    assert "outside Hertfordshire County Council" in resp.text
    events = app.ctx.insight.events()
    assert ("dspl_lookup", "guide", "DSPL 1") in [row[1:] for row in events]
    assert not any("hitchin" in row[3].lower() for row in events)  # the place is not kept


async def test_support_groups_filtered_by_area_and_need(app):
    _, all_resp = await app.asgi_client.get("/guide/support-groups")
    total = int(re.search(r"(\d+) groups found", all_resp.text).group(1))
    assert total == len(CONTENT.support_groups)
    _, resp = await app.asgi_client.get("/guide/support-groups?area=2&need=autism")
    html = resp.text
    assert "Angels Support Group" in html and "ADD-vance" in html
    assert int(re.search(r"(\d+) groups found", html).group(1)) < total
    assert '<option value="2" selected>' in html
    _, resp = await app.asgi_client.get("/guide/support-groups?area=9&need=autism")
    assert "Angels Support Group" not in resp.text  # North Herts and Stevenage only
    _, resp = await app.asgi_client.get("/guide/support-groups?words=my+son+is+deaf")
    assert "National Deaf Children" in resp.text
    _, resp = await app.asgi_client.get("/guide/support-groups?offset=10")
    assert "Previous</a>" in resp.text


async def answer(app, path: str, data: dict) -> tuple[int, str]:
    _, resp = await app.asgi_client.post(path, data=data, follow_redirects=False)
    return resp.status, resp.headers.get("location", "")


async def test_can_i_refer_one_question_per_page_to_the_printable_summary(app):
    base = "/guide/can-i-refer"
    status, loc = await answer(app, f"{base}/requester_role", {"requester_role": "parent"})
    assert (status, loc) == (303, f"{base}/child_age_months?role=parent")
    _, resp = await app.asgi_client.get(loc)
    assert 'for="child_age_months">How old is the child?' in resp.text
    assert f'href="{base}/requester_role?role=parent">Back' in resp.text
    assert '<input type="hidden" name="role" value="parent">' in resp.text

    # free text is read the way the chat reads it
    status, loc = await answer(app, f"{base}/child_age_months",
                               {"role": "parent", "child_age_months": "2 and a half"})
    assert loc == f"{base}/attends_setting?role=parent&age=30"
    status, loc = await answer(app, f"{base}/attends_setting",
                               {"role": "parent", "age": "30", "attends_setting": "yes"})
    assert loc.startswith(f"{base}/concern_areas?")
    status, loc = await answer(app, f"{base}/concern_areas",
                               {"role": "parent", "age": "30", "setting": "yes",
                                "concern_words": "she hardly talks"})
    assert "areas=communication" in loc and loc.startswith(f"{base}/setting_support_tried")
    params = {"role": "parent", "age": "30", "setting": "yes", "areas": "communication"}
    status, loc = await answer(app, f"{base}/setting_support_tried",
                               {**params, "setting_support_tried": "yes"})
    status, loc = await answer(app, f"{base}/parental_consent",
                               {**params, "tried": "yes", "parental_consent": "yes"})
    assert loc.startswith(f"{base}/check?")
    _, resp = await app.asgi_client.get(loc)
    html = main(resp.text)
    assert "<h1>Check your answers</h1>" in html and "2 years 6 months" in html
    assert html.count(">Change<span") == 6

    _, resp = await app.asgi_client.get(loc.replace("/check?", "/result?"))
    html = main(resp.text)
    assert CONTENT.referral.outcomes["refer_now"].title in html
    assert "guidance only" in html and "Early Years Action Group" in html
    assert "Prepare my summary" in html

    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    status, loc = await answer(app, f"{base}/summary", form)
    assert status == 303 and re.fullmatch(r"/referral/[A-Za-z0-9_-]{43}", loc)
    _, resp = await app.asgi_client.get(loc)  # the same pre-filled form as the chat's handoff
    assert 'name="role" type="radio" value="parent" checked' in resp.text
    assert 'value="2 years 6 months"' in resp.text
    assert 'name="concerns" type="checkbox" value="communication" checked' in resp.text
    data = {"role": "parent", "child_age": "2 years 6 months", "attends_setting": "yes",
            "concerns": ["communication"], "worries": "Very few words.", "consent": "yes"}
    status, summary = await answer(app, loc, data)
    assert summary == f"{loc}/summary"
    _, resp = await app.asgi_client.get(summary)
    assert "Your service request summary" in resp.text and "Very few words." in resp.text
    kinds = [row[1:3] for row in app.ctx.insight.events()]
    assert ("guide_check_done", "guide") in kinds
    assert ("handoff_started", "guide") in kinds and ("handoff_completed", "guide") in kinds


async def test_question_errors_follow_the_gov_uk_pattern(app):
    base = "/guide/can-i-refer"
    _, resp = await app.asgi_client.post(f"{base}/child_age_months",
                                         data={"role": "parent", "child_age_months": "soon"})
    assert resp.status == 400
    html = resp.text
    assert "<title>Error: How old is the child?</title>" in html
    assert 'href="#child_age_months">Enter the child' in html
    assert 'value="soon"' in html and 'aria-invalid="true"' in html
    _, resp = await app.asgi_client.post(f"{base}/requester_role", data={})
    assert resp.status == 400 and 'href="#requester_role">Select who you are' in resp.text
    _, resp = await app.asgi_client.post(f"{base}/nothing", data={})
    assert resp.status == 404


async def test_setting_staff_skip_the_setting_question_and_over_age_stops_early(app):
    base = "/guide/can-i-refer"
    _, loc = await answer(app, f"{base}/child_age_months",
                          {"role": "setting", "child_age_months": "3"})
    assert loc.startswith(f"{base}/concern_areas?")  # a setting's child is in a setting
    _, loc = await answer(app, f"{base}/child_age_months",
                          {"role": "parent", "child_age_months": "8 years"})
    assert loc == f"{base}/check?role=parent&age=96"
    _, resp = await app.asgi_client.get(f"{base}/result?role=parent&age=96")
    assert CONTENT.referral.outcomes["over_age"].title in resp.text
    assert "Prepare my summary" not in resp.text
    status, loc = await answer(app, f"{base}/summary", {"role": "parent", "age": "96"})
    assert status == 303 and loc.startswith(f"{base}/result")  # no summary for this outcome


async def test_result_with_missing_answers_goes_back_to_the_question(app):
    _, resp = await app.asgi_client.get(
        "/guide/can-i-refer/result?role=parent&age=30", follow_redirects=False
    )
    assert resp.status == 303 and "/guide/can-i-refer/attends_setting" in resp.headers["location"]


async def test_hostile_parameters_are_ignored_or_escaped(app):
    _, resp = await app.asgi_client.get(
        '/guide/can-i-refer/concern_areas?role=<script>&age=99999&areas="><b>x'
    )
    assert resp.status == 200 and "<script>" not in resp.text and "<b>x" not in resp.text
    _, resp = await app.asgi_client.get('/guide/find-your-dspl?place="><script>alert(1)</script>')
    assert "<script>alert" not in resp.text
