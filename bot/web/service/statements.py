"""/accessibility, /privacy and /about-this-assistant: what a public body must publish.

The accessibility statement follows the model statement for the Public Sector Bodies
(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. Council facts come
from the content file; retention periods from the settings.
"""

from __future__ import annotations

from bot.guidance.content.schema import Content
from bot.web.render import esc, link
from bot.web.service.guide import CONTACT_PATH
from bot.web.service.html import contacts_list, paragraphs, when

STATEMENT_PREPARED = "25 November 2026"  # review this date whenever the statement changes


def _route(content: Content) -> str:
    return contacts_list([content.contacts[c] for c in content.human_route])


def accessibility_body(content: Content) -> str:
    """The accessibility statement for the assistant, its widget and the guide."""
    council = esc(content.council.name)
    return (
        "<h1>Accessibility statement for the Early Years SEND assistant and guide</h1>"
        f"<p>This statement applies to the chat assistant that {council} adds to its Local "
        "Offer pages, to the guide at /guide, to the service request summary pages and to "
        "these statements. It does not cover the council's other web pages or the official "
        "service request form.</p>"
        f"<p>This website is run by {council}. We want as many people as possible to be able "
        "to use it. For example, that means you should be able to:</p>"
        '<ul class="list"><li>change colours, contrast levels and fonts using browser or '
        "device settings</li><li>zoom in up to 400% without the text spilling off the "
        "screen</li><li>navigate all of it using just a keyboard</li><li>use all of it with "
        "JavaScript turned off, through the guide</li><li>listen to it using a screen "
        "reader</li></ul>"
        "<h2>How accessible this website is</h2>"
        "<p>We know some parts are not fully accessible:</p>"
        '<ul class="list"><li>the chat assistant needs JavaScript; the guide gives the same '
        "answers without it</li><li>links to other organisations' websites lead to pages we "
        "do not control</li><li>the assistant's answers are written for the web and may be "
        "long when read by a screen reader</li></ul>"
        "<h2>Feedback and contact information</h2>"
        "<p>If you need information in a different format, or you find a problem not listed on "
        f'this page, please <a href="{CONTACT_PATH}">contact a person</a>:</p>'
        f"{_route(content)}"
        "<h2>Enforcement procedure</h2>"
        "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018 (the 'accessibility regulations'). If you are not happy with how we "
        "respond to your complaint, contact the Equality Advisory and Support Service "
        "(EASS).</p>"
        "<h2>Technical information about this website's accessibility</h2>"
        f"<p>{council} is committed to making its website accessible, in accordance with the "
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018.</p>"
        "<h3>Compliance status</h3>"
        "<p>This website is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard, due to the non-compliances listed below.</p>"
        "<h2>Non-accessible content</h2>"
        "<h3>Non-compliance with the accessibility regulations</h3>"
        "<p>The assistant and guide have not yet been audited by an accessibility specialist or "
        "tested with disabled users. Until they are, we cannot claim full compliance. We plan "
        "to do this before the service goes live.</p>"
        "<h3>Content that's not within the scope of the accessibility regulations</h3>"
        "<p>Other organisations' websites that we link to.</p>"
        "<h2>How we tested this website</h2>"
        "<p>Every page of the guide, these statements, the open chat widget, the service "
        "request form and its summary are tested automatically on each change: with axe-core "
        "(no violations allowed), by keyboard only, at 320 pixels wide, at 200% and 400% zoom, "
        "with reduced motion and with high-contrast (forced) colours, with Lighthouse, and "
        "with JavaScript turned off for the guide.</p>"
        "<h2>What we're doing to improve accessibility</h2>"
        "<p>We review what people tell us through 'Was this helpful?' and through the contacts "
        "above, and we fix problems as they are found.</p>"
        "<h2>Preparation of this accessibility statement</h2>"
        f"<p>This statement was prepared on {STATEMENT_PREPARED}. It was last reviewed on "
        f"{STATEMENT_PREPARED}.</p>"
    )


def privacy_body(
    content: Content, conversation_days: int, feedback_days: int, draft_hours: float
) -> str:
    """What is kept, why, for how long, the lawful basis and how to delete it."""
    council = esc(content.council.name)
    hours = f"{draft_hours:g}"
    return (
        "<h1>Privacy notice for the Early Years SEND assistant and guide</h1>"
        f"<p>{council} is the data controller for the information described here.</p>"
        "<h2>What we keep</h2>"
        '<ul class="list">'
        "<li><strong>Your conversation with the assistant</strong>: what you type and what the "
        "assistant answers, under a random conversation number. Names, phone numbers, e-mail "
        "addresses, dates and full postcodes are removed before anything is stored. Please do "
        "not type your child's name.</li>"
        "<li><strong>A service request summary</strong>, only if you choose to prepare one: "
        "your answers to its questions. It can be opened only with the link you were given.</li>"
        "<li><strong>'Was this helpful?'</strong> answers and any comment, with the day only. "
        "They are not linked to your conversation, and comments are redacted like everything "
        "else.</li>"
        "<li>The guide's pages keep nothing about you: a town or postcode you type to find "
        "your DSPL area is not stored, only the area found is counted.</li>"
        "</ul>"
        "<h2>Why we keep it</h2>"
        "<p>To answer you during the conversation, to let you prepare a summary for the "
        "official form, and to learn what families ask that our information does not answer, "
        "so that we can improve it. Reports use counts and redacted messages only.</p>"
        "<h2>Lawful basis</h2>"
        "<p>We process this information because it is necessary to perform a task in the "
        "public interest ('public task', UK GDPR Article 6(1)(e)): giving information about "
        "special educational needs support under the Children and Families Act 2014.</p>"
        "<h2>How long we keep it</h2>"
        '<ul class="list">'
        f"<li>Conversations: {conversation_days} days, then deleted.</li>"
        f"<li>Service request summaries: {esc(hours)} hours, then deleted.</li>"
        f"<li>Feedback: {feedback_days} days, then deleted.</li></ul>"
        "<h2>How to delete your information</h2>"
        '<ul class="list">'
        "<li>In the chat's menu, use <strong>Delete my conversation</strong> to delete what "
        "you have said at once, or <strong>Start again</strong> to begin a new conversation. "
        "<strong>Save this conversation</strong> makes a copy on your device only; nothing "
        "more is sent to us.</li>"
        "<li>On a service request summary, use <strong>Delete my answers</strong>.</li>"
        "<li>Feedback cannot be traced back to you, so it cannot be picked out to delete; it "
        f"is deleted after {feedback_days} days.</li></ul>"
        "<h2>Who sees it</h2>"
        "<p>Only the council staff who run the assistant. A summary is passed to the service "
        "only if you choose 'Send a copy'. We do not sell or share it, and we do not use "
        "cookies or tracking.</p>"
        "<h2>Your rights and complaints</h2>"
        "<p>You have the right to ask for a copy of your information, to have it corrected or "
        "deleted, and to object. To ask, or to complain, "
        f'<a href="{CONTACT_PATH}">contact a person</a>. You can also complain to the '
        "Information Commissioner's Office (ICO).</p>"
    )


def _share(value: float) -> str:
    """0.973 as '97 in every 100'; small shares as 'in every 1,000'."""
    if value >= 0.1:
        return f"{round(value * 100)} in every 100"
    return f"{round(value * 1000)} in every 1,000"


def understanding_section(measured: dict) -> str:
    """'How well it understands people', in plain English, from measured.yml."""
    held, answers = measured["heldout"], measured["answers"]
    talks = measured["conversations"]
    return (
        "<h2>How well it understands people</h2>"
        f"<p>We tested it with {held['messages']} questions written by "
        f"{held['writers']} people who had not seen how it was built. Each wrote as a "
        "different kind of person: a worried parent on a phone, a grandparent, a parent "
        "whose first language is not English, a nursery SENCo, a childminder and a health "
        "visitor.</p>"
        '<ul class="list">'
        f"<li>It understood what was being asked {_share(held['accuracy'])} times.</li>"
        f"<li>It was not sure {_share(held['fallback'])} times. Then it offers the nearest "
        "topics and a way to reach a person, rather than guessing.</li>"
        f"<li>{round(answers['correct'] * answers['questions'])} of {answers['questions']} "
        "test questions got the fact they needed in the first reply, and "
        f"{talks['completed']} of {talks['count']} test conversations reached their end.</li>"
        "<li>Every test message suggesting a child might be in danger got the emergency "
        "advice first, and no ordinary question about behaviour did.</li>"
        "<li>It recognises messages in 12 other languages and answers them with a short "
        "message in that language saying it can only answer in English.</li></ul>"
        f"<p>These figures are measured again every time the assistant changes. They were "
        f"last measured on {esc(when(measured['measured']))}. How they are measured is "
        "published with the assistant's code (docs/accuracy.md).</p>"
    )


def about_body(content: Content, measured: dict | None = None) -> str:
    """What the assistant does, how it decides, its data, how well it understands, its
    limits and how to reach a person (the shape of the UK Algorithmic Transparency
    Recording Standard)."""
    from bot.guidance.content import load_measured

    topic = content.topics["about_assistant"]
    sources = sorted({t.source for t in content.topics.values()} | {content.referral.source})
    newest = max(t.checked for t in content.topics.values())
    return (
        "<h1>About this assistant</h1>"
        "<h2>What it does</h2>"
        f"{paragraphs(topic.text)}"
        "<h2>How it decides</h2>"
        "<p>It is automated software, not a person and not artificial intelligence that writes "
        "its own answers. It works out what your message is asking about, then answers with "
        f"text written from {esc(content.council.name)}'s public pages. The 'Can I refer?' "
        "questions follow fixed rules, the same in the chat and in the guide. It reads what "
        "you tell it (who you are, the child's age, what you have noticed) so that it only "
        "asks what it still needs.</p>"
        f"{understanding_section(measured or load_measured())}"
        "<h2>What it cannot do</h2>"
        '<ul class="list"><li>It cannot make decisions: whether a request is accepted is '
        f"decided by {esc(content.referral.decided_by)}.</li>"
        "<li>It cannot see your child's records or anything you have sent to the council.</li>"
        "<li>It is not for emergencies.</li>"
        "<li>It may misunderstand you, most often with very short or unusual messages. If "
        f'it does, <a href="{CONTACT_PATH}">contact a person</a>.</li></ul>'
        f'<h2 id="emergency">{esc(content.safeguarding.title)}</h2>'
        f"{paragraphs(content.safeguarding.text)}"
        "<h2>The information it uses</h2>"
        f"<p>Its answers were last checked against these pages on {esc(when(newest))}:</p>"
        '<ul class="list">'
        + "".join(f"<li>{link(s, s, True)}</li>" for s in sources)
        + "</ul>"
        '<p>The same answers are in <a href="/guide">the guide</a>, without chat.</p>'
        "<h2>How to reach a person or complain</h2>"
        f'<p>You can <a href="{CONTACT_PATH}">contact a person</a> at any time. To tell us an '
        "answer was wrong or unhelpful, use 'Was this helpful?' under an answer. To complain "
        "about the council's service, use the council's complaints process: a person can "
        "tell you how.</p>"
    )
