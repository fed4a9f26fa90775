/* "Was this answer helpful?" under the newest answer that asks nothing back, and an optional
 * comment after a rating. The box redraws itself in place; the rest of the transcript stays. */

import { el, button } from "./dom.js";

/** Mark the answer to offer feedback on: the last of `added`, if no message in it asks anything. */
export function markFeedback(added, lastPayload) {
  const bot = added.filter((m) => m.from === "bot");
  if (!bot.length || bot.some((m) => m.kind || (m.buttons && m.buttons.length))) { return; }
  const end = lastPayload === "/goodbye" || bot.some((m) => m.handoff);
  bot[bot.length - 1].feedbackKind = end ? "end" : "answer";
}

/** ctx: T, transport, sender(), save(), announce(text), focusInput(). Returns box(msg) → node|null. */
export function createFeedback(ctx) {
  const T = ctx.T;
  // Focus moves only to replace a pressed control that was redrawn away, never from elsewhere.
  const focusLost = () => !document.activeElement || document.activeElement === document.body;

  function question(msg, box) {
    const q = box.appendChild(el("p", "eysend-feedback__question",
      msg.feedbackKind === "end" ? T.feedback_end_question : T.feedback_question));
    q.id = "eysend-fb-question";
    const group = box.appendChild(el("div", "eysend-feedback__choices"));
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", q.id);
    [[true, T.feedback_yes], [false, T.feedback_no]].forEach(([helpful, words]) => {
      const b = group.appendChild(button(words, "eysend-button eysend-feedback__button"));
      b.addEventListener("click", () => rate(msg, box, helpful));
    });
  }

  function thanks(msg, box) {
    const fb = msg.feedback;
    box.appendChild(el("p", "eysend-feedback__thanks",
      fb.commented ? T.feedback_comment_thanks : T.feedback_thanks));
    if (fb.commented || !fb.ref) { return null; }
    const label = box.appendChild(el("label", "eysend-label", T.feedback_comment_label));
    label.htmlFor = "eysend-fb-comment";
    const hint = box.appendChild(el("p", "eysend-hint", T.feedback_comment_hint));
    hint.id = "eysend-fb-hint";
    const area = box.appendChild(el("textarea", "eysend-input eysend-feedback__comment"));
    area.id = "eysend-fb-comment";
    area.rows = 2;
    area.maxLength = 300;
    area.setAttribute("aria-describedby", hint.id);
    box.appendChild(button(T.feedback_send)).addEventListener("click", () => comment(msg, box, area.value));
    return area;
  }

  function draw(msg, box) {
    box.textContent = "";
    return msg.feedback && msg.feedback.rated ? thanks(msg, box) : question(msg, box);
  }

  async function rate(msg, box, helpful) {
    try {
      const resp = await ctx.transport.post("/api/feedback",
        { sender: ctx.sender(), helpful, kind: msg.feedbackKind });
      if (!resp.ok) { throw new Error("refused"); }
      msg.feedback = { rated: helpful ? "yes" : "no", ref: (await resp.json()).ref };
    } catch (e) { ctx.announce(T.feedback_failed); return; }
    ctx.save();
    const area = draw(msg, box);
    ctx.announce(T.feedback_thanks);
    if (area && focusLost()) { area.focus(); }  // the pressed button is gone: its place takes focus
  }

  async function comment(msg, box, text) {
    if (!text.trim()) { ctx.focusInput(); return; }
    try {
      const resp = await ctx.transport.post("/api/feedback/comment", { ref: msg.feedback.ref, comment: text });
      if (!resp.ok && resp.status !== 409) { throw new Error("refused"); }
    } catch (e) { ctx.announce(T.feedback_failed); return; }
    msg.feedback.commented = true;
    ctx.save();
    draw(msg, box);
    ctx.announce(T.feedback_comment_thanks);
    if (focusLost()) { ctx.focusInput(); }
  }

  return function box(msg) {
    if (!msg.feedbackKind) { return null; }
    const node = el("div", "eysend-feedback");
    draw(msg, node);
    return node;
  };
}
