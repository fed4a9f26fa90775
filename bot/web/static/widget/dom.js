/* Small DOM helpers shared by the widget's modules. Text is only ever set with textContent. */

/** An element with an optional class name and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = text; }
  return node;
}

/** Text that screen readers read but that is not shown. */
export function hiddenText(text) { return el("span", "eysend-vh", text); }

/** A type="button" button. */
export function button(label, className) {
  const b = el("button", className || "eysend-button", label);
  b.type = "button";
  return b;
}

/** True when the person asked for less motion: no smooth scrolling, no animation. */
export function reducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
