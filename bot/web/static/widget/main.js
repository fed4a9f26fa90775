/* Early Years SEND assistant: the widget's entry module (loaded by widget.js). It builds the
 * widget from the modules and wires them together: transport (the gateway), storage (this tab's
 * copy), notice, transcript and quick replies, live announcements, menu, save and feedback. */

import { createSession } from "./storage.js";
import { createTransport } from "./transport.js";
import { createAnnouncer } from "./live.js";
import { buildNotice, buildPrivacyDetails } from "./notice.js";
import { createTranscript } from "./transcript.js";
import { createMenu } from "./menu.js";
import { createSaveBox } from "./save.js";
import { createFeedback } from "./feedback.js";
import { buildPanel, scrollerOf } from "./panel.js";
import { createConversation } from "./conversation.js";

const BASE = new URL(import.meta.url).origin;

function ensureCss() {
  if (document.querySelector("link[data-eysend-css]")) { return; }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = BASE + "/widget.css";
  link.setAttribute("data-eysend-css", "");
  document.head.appendChild(link);
}

function widget(cfg) {
  const T = cfg.texts || {};
  const session = createSession(BASE);
  const state = () => session.state;
  const ids = { get: () => state().sender, set: (s) => { state().sender = s; session.save(); } };
  const transport = createTransport(BASE, ids);
  const live = createAnnouncer(T.announcements_label);
  const ui = {};
  const feedback = createFeedback({ T, transport, sender: ids.get, save: session.save,
    announce: live.announce, focusInput: () => ui.input.focus() });
  const transcript = createTranscript({ T, base: BASE, scroller: () => scrollerOf(ui), feedback,
    onChoose: (b) => chat.send(b.payload, b.title, true) });
  const menu = createMenu(T.menu, [
    { id: "save", label: T.save_heading, action: () => saveBox.open() },
    { id: "restart", label: T.start_again, action: () => chat.reset(T.start_again_done) },
    { id: "forget", label: T.delete_conversation, action: () => chat.forget() },
  ]);
  const saveBox = createSaveBox(T, BASE, transcript.log, () => menu.button.focus());
  const notice = buildNotice(T, BASE, () => { chat.start(); show(); ui.input.focus(); });
  Object.assign(ui, buildPanel(T, BASE, { menu, notice: notice.element,
    privacy: buildPrivacyDetails(T, BASE), transcript: transcript.element,
    save: saveBox.element, live: live.region }));
  const chat = createConversation({ T, cfg, session, transport, transcript, live, ui,
    onReset: () => { saveBox.hide(); show(); notice.start.focus(); } });

  function show() {
    const started = state().started;
    notice.element.hidden = started;
    ui.body.querySelector(".eysend-privacy").hidden = !started;
    transcript.element.hidden = !started;
    ui.form.hidden = !started;
    menu.element.classList.toggle("eysend-menu--off", !started);  // keeps its place
  }

  function setOpen(open) {
    state().open = open;
    session.save();
    menu.close(false);
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
  }

  ui.launcher.addEventListener("click", () => {
    setOpen(true);
    transcript.restore(state().messages);
    (state().started ? ui.input : notice.start).focus();
  });
  ui.close.addEventListener("click", () => { setOpen(false); ui.launcher.focus(); });
  ui.panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); ui.close.click(); }
  });
  ui.form.addEventListener("submit", (event) => { event.preventDefault(); chat.submit(); });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });
  show();
  if (state().open) { setOpen(true); transcript.restore(state().messages); }
}

async function init() {
  if (document.getElementById("eysend")) { return; }
  ensureCss();
  let cfg;
  try {
    cfg = await createTransport(BASE, { get: () => null, set: () => {} }).config();
  } catch (e) { return; }  // the gateway is unreachable: show nothing rather than a broken button
  widget(cfg);
}

init();
