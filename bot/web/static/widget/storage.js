/* The conversation kept in this tab only (sessionStorage): sender id, messages, open or closed. */

const MAX_MESSAGES = 200;

/** A fresh, empty conversation. */
export function emptyState(open) {
  return { sender: null, started: false, open: Boolean(open), messages: [] };
}

/** A store for one gateway: load() never throws; blocked or corrupt storage starts afresh. */
export function createStore(base) {
  const key = "eysend-chat:" + base;
  return {
    load() {
      try {
        const parsed = JSON.parse(window.sessionStorage.getItem(key) || "null");
        if (parsed && typeof parsed === "object" && Array.isArray(parsed.messages)) {
          parsed.messages = parsed.messages.filter((m) => m && typeof m === "object");
          return parsed;
        }
      } catch (e) { /* storage blocked or corrupt: start afresh */ }
      return emptyState(false);
    },
    save(state) {
      state.messages = state.messages.slice(-MAX_MESSAGES);
      try { window.sessionStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or blocked */ }
    },
  };
}

/** This tab's conversation for one gateway: session.state, save(), and reset(open) to start afresh. */
export function createSession(base) {
  const store = createStore(base);
  const session = {
    state: store.load(),
    save() { store.save(session.state); },
    reset(open) { session.state = emptyState(open); session.save(); },
  };
  return session;
}
