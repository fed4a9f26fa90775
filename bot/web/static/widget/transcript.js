/* The visible conversation: a labelled log (role="log") of the person's and the assistant's
 * messages. Messages are added, never redrawn, so nothing already read changes under a reader;
 * it is not a live region itself (live.js announces new replies once). It scrolls to a new reply
 * only when the reader was already at the end, and never moves focus. */

import { el, hiddenText, reducedMotion } from "./dom.js";
import { renderRich } from "./richtext.js";
import { quickReplies, clearReplies } from "./quickreplies.js";

const NEAR_END_PX = 48;

/** opts: T (words), base, onChoose(button), feedback(msg) → node or null, scroller() → element. */
export function createTranscript(opts) {
  const T = opts.T;
  const region = el("div", "eysend-transcript");
  region.setAttribute("role", "log");
  region.setAttribute("aria-live", "off");  // announced once by live.js instead
  region.setAttribute("aria-label", T.transcript_label);
  const log = region.appendChild(el("ol", "eysend-log"));

  function bubble(msg) {
    const box = el("div", "eysend-bubble");
    if (msg.from === "user") {
      box.appendChild(el("p", "eysend-p eysend-p--own", msg.text));
    } else {
      box.appendChild(renderRich(msg.text, { base: opts.base, newTab: T.opens_new_tab }));
    }
    if (msg.lang) { box.lang = msg.lang; }  // read in its own language, right to left if so
    if (msg.dir) { box.dir = msg.dir; }
    return box;
  }

  /** One message as an <li>; `current` offers its replies and feedback (nothing answered it yet). */
  function item(msg, current) {
    const li = el("li", "eysend-msg eysend-msg--" + msg.from + (msg.kind ? " eysend-msg--" + msg.kind : ""));
    li.dataset.from = msg.from;
    if (msg.at) { li.dataset.at = msg.at; }
    if (msg.chosen) { li.dataset.chosen = "true"; }
    const who = msg.from === "user" ? (msg.chosen ? T.you_chose : T.you_said) : T.assistant_said;
    li.appendChild(hiddenText(who + " "));
    if (msg.text) { li.appendChild(bubble(msg)); }
    if (msg.handoff && msg.handoff.referral_url) {
      const a = el("a", "eysend-handoff", msg.handoff.label || T.prepare_request);
      a.href = opts.base + msg.handoff.referral_url;
      li.appendChild(a);
    }
    if (current && msg.buttons && msg.buttons.length) {
      li.appendChild(quickReplies(msg.buttons, T.suggested_replies, opts.onChoose));
    }
    const fb = current && opts.feedback ? opts.feedback(msg) : null;
    if (fb) { li.appendChild(fb); }
    return li;
  }

  function atEnd(sc) { return sc.scrollHeight - sc.scrollTop - sc.clientHeight < NEAR_END_PX; }

  /** Scroll so `first` starts at the top of the view (or to the end if everything fits). */
  function reveal(sc, first) {
    const top = first.getBoundingClientRect().top - sc.getBoundingClientRect().top + sc.scrollTop - 8;
    sc.scrollTo({ top: Math.min(top, sc.scrollHeight - sc.clientHeight),
      behavior: reducedMotion() ? "auto" : "smooth" });
  }

  return {
    element: region,
    log,
    /** Draw a kept conversation (after a reload): replies only under the newest question. */
    restore(messages) {
      log.textContent = "";
      let lastUser = -1;
      messages.forEach((m, i) => { if (m.from === "user") { lastUser = i; } });
      messages.forEach((m, i) => { log.appendChild(item(m, i > lastUser)); });
      const sc = opts.scroller();
      sc.scrollTop = sc.scrollHeight;
    },
    /** Add new messages. The person's own always show; replies show if the reader was at the end. */
    add(messages) {
      if (!messages.length) { return []; }
      const sc = opts.scroller();
      const own = messages.some((m) => m.from === "user");
      const follow = own || atEnd(sc);
      if (own) {
        clearReplies(log);
        log.querySelectorAll(".eysend-feedback").forEach((f) => f.remove());
      }
      const nodes = messages.map((m) => log.appendChild(item(m, m.from === "bot")));
      if (own) { sc.scrollTop = sc.scrollHeight; } else if (follow) { reveal(sc, nodes[0]); }
      return nodes;
    },
    /** Keep the end in view (the typing line appeared) if the reader is already there. */
    keepEnd() {
      const sc = opts.scroller();
      if (atEnd(sc)) { sc.scrollTop = sc.scrollHeight; }
    },
    clear() { log.textContent = ""; },
  };
}
