/* The widget's frame: launcher, a compact header (title, Close, "Contact a person" always in the
 * same place, and a menu for the rest), the scrolling conversation, the message box, and a spacer
 * at the end of the page so the launcher never covers the page's last lines. */

import { el, button, hiddenText } from "./dom.js";

function header(T, base, menu) {
  const bar = el("div", "eysend-header");
  const title = bar.appendChild(el("h2", "eysend-title", T.panel_title));
  title.id = "eysend-title";
  title.tabIndex = -1;
  const close = bar.appendChild(button(T.close_short, "eysend-button eysend-button--quiet eysend-close"));
  close.appendChild(hiddenText(" " + T.close_rest));  // named "Close chat", shown as "Close"
  const help = bar.appendChild(el("a", "eysend-help", T.contact_person));
  help.href = base + "/contact";
  bar.appendChild(menu.element);
  return { bar, title, close, help };
}

function form(T) {
  const box = el("form", "eysend-form");
  box.noValidate = true;
  const head = box.appendChild(el("div", "eysend-formhead"));
  const label = head.appendChild(el("label", "eysend-label", T.input_label));
  label.htmlFor = "eysend-input";
  head.appendChild(el("p", "eysend-hint", T.input_hint)).id = "eysend-hint";
  const row = box.appendChild(el("div", "eysend-row"));
  const input = row.appendChild(el("textarea", "eysend-input"));
  input.id = "eysend-input";
  input.rows = 2;
  input.setAttribute("aria-describedby", "eysend-hint");
  input.setAttribute("autocomplete", "off");
  const send = row.appendChild(el("button", "eysend-button eysend-button--primary", T.send));
  send.type = "submit";
  return { box, input };
}

/** Build and attach the widget. parts: menu, notice, privacy, transcript, save, live. */
export function buildPanel(T, base, parts) {
  const root = el("aside", "eysend");
  root.id = "eysend";
  root.setAttribute("aria-label", T.assistant_name);
  const launcher = root.appendChild(el("button", "eysend-launcher", T.launcher));
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "eysend-panel");

  const panel = root.appendChild(el("section", "eysend-panel"));
  panel.id = "eysend-panel";
  panel.setAttribute("aria-labelledby", "eysend-title");
  panel.hidden = true;
  const head = header(T, base, parts.menu);
  panel.appendChild(head.bar);
  const body = panel.appendChild(el("div", "eysend-body"));
  body.appendChild(parts.notice);
  body.appendChild(parts.privacy);
  body.appendChild(parts.transcript);
  const typing = body.appendChild(el("p", "eysend-typing"));
  typing.setAttribute("aria-hidden", "true");
  typing.appendChild(document.createTextNode(T.typing));
  typing.appendChild(el("span", "eysend-dots"));
  typing.hidden = true;
  panel.appendChild(parts.save);
  const message = form(T);
  panel.appendChild(message.box);
  root.appendChild(parts.live);

  const spacer = root.appendChild(el("div", "eysend-spacer"));  // room for the launcher at the end
  spacer.setAttribute("aria-hidden", "true");
  spacer.appendChild(el("span", "eysend-launcher eysend-launcher--ghost", T.launcher));
  document.body.appendChild(root);
  return { root, launcher, panel, body, typing, form: message.box, input: message.input, ...head };
}

/** The element that scrolls the conversation: the body, or the whole panel when the screen is
 * too short for a fixed header and message box (400 % zoom). */
export function scrollerOf(ui) {
  return getComputedStyle(ui.body).overflowY === "visible" ? ui.panel : ui.body;
}
