/* Suggested replies under the assistant's question. Pressing one sends it, shows it as the
 * person's own message, tells a screen reader "You chose: …", and puts focus in the message box
 * (at once, as part of the press: focus never moves later, when the answer arrives). */

import { el, button } from "./dom.js";

/** A labelled group of reply buttons; onChoose(button) is called with {title, payload}. */
export function quickReplies(buttons, label, onChoose) {
  const group = el("div", "eysend-replies");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", label);
  buttons.forEach((b) => {
    const node = button(b.title, "eysend-button eysend-reply");
    node.addEventListener("click", () => onChoose(b));
    group.appendChild(node);
  });
  return group;
}

/** Take every offered reply out of the transcript (they were for the question now answered). */
export function clearReplies(root) {
  root.querySelectorAll(".eysend-replies").forEach((g) => g.remove());
}
