/* Early Years SEND assistant: the widget's entry module (loaded by widget.js). It wires the
 * modules together: transport (the gateway), storage (this tab's copy), notice, transcript,
 * quick replies, live announcements, menu, save and feedback. */

import { createStore, emptyState } from "./storage.js";
import { createTransport } from "./transport.js";
import { createAnnouncer } from "./live.js";
import { buildNotice, buildPrivacyDetails } from "./notice.js";
import { createTranscript } from "./transcript.js";
import { createMenu } from "./menu.js";
import { createSaveBox } from "./save.js";
import { createFeedback, markFeedback } from "./feedback.js";
import { buildPanel, scrollerOf } from "./panel.js";
import { plainText } from "./richtext.js";

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
  const store = createStore(BASE);
  let state = store.load();
  let busy = false;
  let lastPayload = "";
  const save = () => store.save(state);
  const ids = { get: () => state.sender, set: (s) => { state.sender = s; save(); } };
  const transport = createTransport(BASE, ids);
  const live = createAnnouncer(T.announcements_label);
  const ui = {};
  const focusInput = () => ui.input.focus();
  const feedback = createFeedback({ T, transport, sender: ids.get, save, announce: live.announce, focusInput });
  const transcript = createTranscript({
    T, base: BASE, scroller: () => scrollerOf(ui), feedback,
    onChoose: (b) => send(b.payload, b.title, true),
  });
  const menu = createMenu(T.menu, [
    { id: "save", label: T.save_heading, action: () => saveBox.open() },
    { id: "restart", label: T.start_again, action: () => reset(T.start_again_done) },
    { id: "forget", label: T.delete_conversation, action: forget },
  ]);
  const saveBox = createSaveBox(T, BASE, transcript.log, () => menu.button.focus());
  const notice = buildNotice(T, BASE, startChat);
  Object.assign(ui, buildPanel(T, BASE, {
    menu, notice: notice.element, privacy: buildPrivacyDetails(T, BASE),
    transcript: transcript.element, save: saveBox.element, live: live.region,
  }));

  function show() {
    notice.element.hidden = state.started;
    ui.body.querySelector(".eysend-privacy").hidden = !state.started;
    transcript.element.hidden = !state.started;
    ui.form.hidden = !state.started;
    menu.element.classList.toggle("eysend-menu--off", !state.started);  // keeps its place
  }

  function openPanel(moveFocus) {
    state.open = true;
    save();
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    show();
    transcript.restore(state.messages);
    if (moveFocus) { (state.started ? ui.input : notice.start).focus(); }
  }

  function closePanel() {
    state.open = false;
    save();
    menu.close(false);
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function add(messages) {
    const stamped = messages.map((m) => Object.assign(m, { at: new Date().toISOString() }));
    state.messages = state.messages.concat(stamped);
    save();
    return transcript.add(stamped);
  }

  function startChat() {
    state.started = true;
    save();
    show();
    ui.input.focus();
    send(cfg.start_payload || "/greet", null, false);
  }

  function reset(done) {
    state = emptyState(true);
    save();
    saveBox.hide();
    transcript.clear();
    show();
    live.announce(done);
    notice.start.focus();
  }

  async function forget() {
    if (busy || !window.confirm(T.delete_confirm)) { return; }
    busy = true;
    const ok = await transport.forget();
    busy = false;
    if (ok) { reset(T.delete_done); return; }
    add([{ from: "bot", kind: "error", text: T.delete_failed }]);
    live.announce(T.delete_failed);
  }

  function errorText(result) {
    if (result.error === "rate") { return T.rate_limited.replace("{seconds}", result.wait); }
    return result.error === "network" ? T.network_error : result.error;
  }

  /** Send a message; `shown` is what the transcript shows as the person's (null for the greeting). */
  async function send(message, shown, fromButton) {
    if (busy) { return; }
    busy = true;
    lastPayload = message;
    if (shown) {
      add([{ from: "user", text: shown, chosen: fromButton || undefined }]);
      if (fromButton) {  // part of the press: the choice is heard, focus goes to the message box
        live.announce(T.you_chose + " " + shown);
        ui.input.focus();
      }
    }
    ui.typing.hidden = false;
    transcript.keepEnd();
    const result = await transport.chat(message);
    const added = result.messages || [{ from: "bot", kind: "error", text: errorText(result) }];
    busy = false;
    ui.typing.hidden = true;
    markFeedback(added, lastPayload);
    const nodes = add(added);
    const words = nodes.map((n) => plainText(n, false)).filter(Boolean).join("\n");
    const offered = added.reduce((n, m) => n + (m.buttons ? m.buttons.length : 0), 0);
    live.announce([T.assistant_said, words, offered > 1 ? T.replies_offered.replace("{count}", offered) : (offered ? T.replies_offered_one : "")]
      .filter(Boolean).join(" "));
  }

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) { return; }
    const text = ui.input.value.trim();
    if (!text) { live.announce(T.message_empty); ui.input.focus(); return; }
    ui.input.value = "";
    send(text, text, false);
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.launcher.addEventListener("click", () => openPanel(true));
  ui.close.addEventListener("click", closePanel);
  ui.panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); closePanel(); }
  });
  show();
  if (state.open) { openPanel(false); }
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
