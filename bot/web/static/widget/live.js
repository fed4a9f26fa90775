/* What a screen reader hears when something happens, kept apart from the visible transcript (as
 * Bot Framework Web Chat does): each announcement is added to a hidden polite log and removed a
 * second later, so it is read once, the history is never read again, and nobody can browse into
 * a second copy of the conversation. */

import { el } from "./dom.js";

const KEEP_MS = 1000;

/** The hidden live region and announce(text). */
export function createAnnouncer(label) {
  const region = el("div", "eysend-vh eysend-live");
  region.setAttribute("role", "log");
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-relevant", "additions");
  region.setAttribute("aria-label", label);
  return {
    region,
    announce(text) {
      if (!text) { return; }
      const item = region.appendChild(el("p", null, text));
      window.setTimeout(() => { item.remove(); }, KEEP_MS);
    },
  };
}
