/* A turn of the conversation: the person's message (typed or a pressed quick reply) goes to the
 * gateway, the answer is added to the transcript and announced once. Also starting, starting
 * again and "Delete my conversation". */

import { markFeedback } from "./feedback.js";
import { plainText } from "./richtext.js";

/** ctx: T, cfg, session, transport, transcript, live, ui, onReset(). */
export function createConversation(ctx) {
  const { T, session, transport, transcript, live, ui } = ctx;
  let busy = false;
  let lastPayload = "";

  function add(messages) {
    const at = new Date().toISOString();
    messages.forEach((m) => { m.at = at; });
    session.state.messages = session.state.messages.concat(messages);
    session.save();
    return transcript.add(messages);
  }

  function errorText(result) {
    if (result.error === "rate") { return T.rate_limited.replace("{seconds}", result.wait); }
    return result.error === "network" ? T.network_error : result.error;
  }

  function announceReply(added, nodes) {
    const words = nodes.map((n) => plainText(n, false)).filter(Boolean).join("\n");
    const offered = added.reduce((n, m) => n + (m.buttons ? m.buttons.length : 0), 0);
    const choices = offered > 1 ? T.replies_offered.replace("{count}", offered)
      : (offered ? T.replies_offered_one : "");
    live.announce([T.assistant_said, words, choices].filter(Boolean).join(" "));
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
    announceReply(added, add(added));
  }

  function reset(done) {
    session.reset(true);
    transcript.clear();
    ctx.onReset();
    live.announce(done);
  }

  return {
    send,
    reset,
    /** The typed message, from the form. */
    submit() {
      if (busy) { return; }
      const text = ui.input.value.trim();
      if (!text) { live.announce(T.message_empty); ui.input.focus(); return; }
      ui.input.value = "";
      send(text, text, false);
    },
    start() {
      session.state.started = true;
      session.save();
      send(ctx.cfg.start_payload || "/greet", null, false);
    },
    /** "Delete my conversation": the gateway deletes it from the assistant's store at once. */
    async forget() {
      if (busy || !window.confirm(T.delete_confirm)) { return; }
      busy = true;
      const ok = await transport.forget();
      busy = false;
      if (ok) { reset(T.delete_done); return; }
      add([{ from: "bot", kind: "error", text: T.delete_failed }]);
      live.announce(T.delete_failed);
    },
  };
}
