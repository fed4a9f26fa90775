/* Talking to the gateway: the widget's words, sender ids, chat turns (sent again once, with the
 * same id, if the connection drops), deletion and feedback. Replies come back as plain objects;
 * nothing here touches the page. */

const RETRY_DELAY_MS = 1500;

/** One id per message, kept when it is sent again, so the assistant answers it once. */
export function newMessageId() {
  const bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The assistant's messages (Rasa REST shape) as the widget keeps them; anything odd is dropped. */
export function botMessages(list, kind) {
  return (Array.isArray(list) ? list : []).filter((m) => m && typeof m === "object").map((m) => {
    const custom = m.custom && typeof m.custom === "object" ? m.custom : {};
    const msg = { from: "bot", text: typeof m.text === "string" ? m.text : "" };
    if (!msg.text && typeof custom.text === "string") {  // a reply in another language
      msg.text = custom.text;
      if (/^[a-z]{2}$/.test(custom.lang || "")) { msg.lang = custom.lang; }
      if (custom.dir === "rtl" || custom.dir === "ltr") { msg.dir = custom.dir; }
    }
    if (Array.isArray(m.buttons)) {
      msg.buttons = m.buttons
        .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
        .map((b) => ({ title: b.title, payload: b.payload }));
    }
    const handoff = custom.handoff;
    if (handoff && typeof handoff.referral_url === "string"
        && handoff.referral_url.indexOf("/referral/") === 0) {
      msg.handoff = { referral_url: handoff.referral_url, label: handoff.label };
    }
    if (kind) { msg.kind = kind; }
    return msg;
  }).filter((m) => m.text || m.handoff || (m.buttons && m.buttons.length));
}

/** A transport for one gateway origin; ids.get() and ids.set(id) read and keep the sender id. */
export function createTransport(base, ids) {
  function post(path, body) {
    return window.fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  }

  async function sender() {
    if (ids.get()) { return ids.get(); }
    const resp = await post("/api/session", {});
    if (!resp.ok) { throw new Error("no session"); }
    ids.set((await resp.json()).sender);
    return ids.get();
  }

  async function once(message, messageId, retried) {
    const resp = await post("/api/chat", { sender: await sender(), message, message_id: messageId });
    const data = await resp.json().catch(() => null);
    const stale = (resp.status === 403 || resp.status === 400)
      && data && typeof data.error === "string" && /conversation/i.test(data.error);
    if (stale && !retried) {  // the conversation id expired: get a new one and try once more
      ids.set(null);
      return once(message, messageId, true);
    }
    return { resp, data };
  }

  /** Send one message. Resolves to {messages} or {error: "rate"|"network"|text, wait}. */
  async function chat(message) {
    const messageId = newMessageId();
    let result;
    try {
      result = await once(message, messageId, false);
    } catch (e) {  // the connection dropped: try once more with the same id after a moment
      await new Promise((resolve) => { window.setTimeout(resolve, RETRY_DELAY_MS); });
      try { result = await once(message, messageId, false); } catch (e2) { return { error: "network" }; }
    }
    const { resp, data } = result;
    if (Array.isArray(data)) { return { messages: botMessages(data, resp.ok ? null : "error") }; }
    if (resp.status === 429) { return { error: "rate", wait: resp.headers.get("Retry-After") || "30" }; }
    return { error: (data && typeof data.error === "string" && data.error) || "network" };
  }

  return {
    post,
    chat,
    /** The widget's words and settings. */
    async config() {
      const resp = await window.fetch(base + "/api/widget-config", { credentials: "omit" });
      if (!resp.ok) { throw new Error("no config"); }
      return resp.json();
    },
    /** "Delete my conversation": true once the gateway has deleted it. */
    async forget() {
      if (!ids.get()) { return true; }
      try {
        return (await post("/api/conversation/delete", { sender: ids.get() })).ok;
      } catch (e) { return false; }
    },
  };
}
