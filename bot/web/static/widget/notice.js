/* "Before you start": the privacy notice and what the assistant is, shown before the chat
 * starts, and the same words behind "How your conversation is kept" once it has. */

import { el, button } from "./dom.js";

function paragraphs(container, lines) {
  (lines || []).forEach((line) => { container.appendChild(el("p", "eysend-notice__text", line)); });
}

function about(T, base) {
  const box = el("div", "eysend-about");
  box.appendChild(el("h3", "eysend-notice__title", T.about_heading));
  paragraphs(box, T.about_notice);
  const nav = el("ul", "eysend-links");
  nav.setAttribute("aria-label", T.service_links_label);
  [["/guide", T.link_guide], ["/about-this-assistant", T.link_about],
    ["/privacy", T.link_privacy], ["/accessibility", T.link_accessibility]].forEach(([path, words]) => {
    const a = el("a", "eysend-servicelink", words);
    a.href = base + path;
    nav.appendChild(el("li")).appendChild(a);
  });
  box.appendChild(nav);
  return box;
}

/** The notice with its "Start chat" button; onStart is called when it is pressed. */
export function buildNotice(T, base, onStart) {
  const box = el("div", "eysend-notice");
  box.id = "eysend-notice";
  box.appendChild(el("h3", "eysend-notice__title", T.privacy_heading));
  const text = box.appendChild(el("div"));
  text.id = "eysend-notice-text";
  paragraphs(text, T.privacy_notice);
  box.appendChild(about(T, base));
  const start = box.appendChild(button(T.start_chat, "eysend-button eysend-button--primary"));
  start.setAttribute("aria-describedby", "eysend-notice-text");
  start.addEventListener("click", onStart);
  return { element: box, start };
}

/** The same words, folded away, for once the chat has started. */
export function buildPrivacyDetails(T, base) {
  const details = el("details", "eysend-privacy");
  details.appendChild(el("summary", "eysend-privacy__summary", T.privacy_summary));
  paragraphs(details, T.privacy_notice);
  details.appendChild(about(T, base));
  return details;
}
