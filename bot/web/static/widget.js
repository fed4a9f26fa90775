/* Early Years SEND assistant: chat widget.
 * Embed with one tag: <script src="https://<your-gateway>/widget.js" defer></script>
 * Plain JavaScript, no framework, no inline styles or scripts (works under a strict CSP).
 * Text from the assistant or the person is only ever set with textContent.
 */
(function () {
  "use strict";
  if (window.eysendWidgetLoaded) { return; }
  window.eysendWidgetLoaded = true;

  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src, window.location.href).origin
    : window.location.origin;
  var STORE_KEY = "eysend-chat:" + BASE;
  var URL_RE = /https?:\/\/[^\s<>"']+/g;
  var TRAILING = /[.,;:!?)\]]+$/;

  var T = {};
  var cfg = {};
  var state = loadState();
  var busy = false;
  var ui = {};

  function loadState() {
    try {
      var raw = window.sessionStorage.getItem(STORE_KEY);
      var parsed = raw ? JSON.parse(raw) : null;
      if (parsed && Array.isArray(parsed.messages)) { return parsed; }
    } catch (e) { /* storage blocked or corrupt: start afresh */ }
    return { sender: null, started: false, open: false, messages: [] };
  }

  function saveState() {
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* ignore */ }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function hiddenText(text) { return el("span", "eysend-vh", text); }

  /* Text with http(s) links turned into <a> elements; everything else stays plain text. */
  function richText(container, text) {
    var last = 0;
    String(text).replace(URL_RE, function (match, offset) {
      var url = match.replace(TRAILING, "");
      if (offset > last) { container.appendChild(document.createTextNode(text.slice(last, offset))); }
      var a = el("a", "eysend-link", url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(hiddenText(" " + T.opens_new_tab));
      container.appendChild(a);
      last = offset + url.length;
      return match;
    });
    if (last < text.length) { container.appendChild(document.createTextNode(text.slice(last))); }
  }

  function announce(text) {
    ui.live.textContent = "";
    window.setTimeout(function () { ui.live.textContent = text; }, 60);
  }

  function ensureCss() {
    if (document.querySelector("link[data-eysend-css]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = BASE + "/widget.css";
    link.setAttribute("data-eysend-css", "");
    document.head.appendChild(link);
  }

  function build() {
    var root = el("aside", "eysend");
    root.id = "eysend";
    root.setAttribute("aria-label", T.assistant_name);

    ui.launcher = el("button", "eysend-launcher", T.launcher);
    ui.launcher.type = "button";
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-controls", "eysend-panel");

    ui.panel = el("section", "eysend-panel");
    ui.panel.id = "eysend-panel";
    ui.panel.setAttribute("aria-labelledby", "eysend-title");
    ui.panel.hidden = true;

    var header = el("div", "eysend-header");
    ui.title = el("h2", "eysend-title", T.panel_title);
    ui.title.id = "eysend-title";
    ui.title.tabIndex = -1;
    ui.restart = el("button", "eysend-button eysend-button--quiet", T.start_again);
    ui.restart.type = "button";
    ui.forget = el("button", "eysend-button eysend-button--quiet", T.delete_conversation);
    ui.forget.type = "button";
    ui.close = el("button", "eysend-button eysend-button--quiet", T.close);
    ui.close.type = "button";
    var tools = el("div", "eysend-tools");
    tools.appendChild(ui.restart);
    tools.appendChild(ui.forget);
    tools.appendChild(ui.close);
    header.appendChild(ui.title);
    header.appendChild(tools);
    tools.insertBefore(buildHelpLink(), tools.firstChild);

    ui.body = el("div", "eysend-body");
    ui.notice = buildNotice();
    ui.privacy = buildPrivacyDetails();
    ui.log = el("ol", "eysend-log");
    ui.log.setAttribute("aria-label", T.panel_title);
    ui.typing = el("p", "eysend-typing");
    ui.typing.setAttribute("aria-hidden", "true");
    ui.typing.appendChild(document.createTextNode(T.typing));
    ui.typing.appendChild(el("span", "eysend-dots"));
    ui.typing.hidden = true;
    ui.body.appendChild(ui.notice);
    ui.body.appendChild(ui.privacy);
    ui.body.appendChild(ui.log);
    ui.body.appendChild(ui.typing);

    ui.form = buildForm();

    ui.panel.appendChild(header);
    ui.panel.appendChild(ui.body);
    ui.panel.appendChild(ui.form);

    ui.live = el("div", "eysend-vh");
    ui.live.setAttribute("aria-live", "polite");
    ui.live.setAttribute("role", "status");

    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    root.appendChild(ui.live);
    document.body.appendChild(root);

    ui.launcher.addEventListener("click", function () { openPanel(true); });
    ui.close.addEventListener("click", closePanel);
    ui.restart.addEventListener("click", startAgain);
    ui.forget.addEventListener("click", deleteConversation);
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closePanel(); }
    });
  }

  function noticeParagraphs(container) {
    (T.privacy_notice || []).forEach(function (line) {
      container.appendChild(el("p", "eysend-notice__text", line));
    });
  }

  function buildNotice() {
    var box = el("div", "eysend-notice");
    box.id = "eysend-notice";
    box.appendChild(el("h3", "eysend-notice__title", T.privacy_heading));
    var text = el("div");
    text.id = "eysend-notice-text";
    noticeParagraphs(text);
    box.appendChild(text);
    box.appendChild(buildAbout());
    ui.start = el("button", "eysend-button eysend-button--primary", T.start_chat);
    ui.start.type = "button";
    ui.start.setAttribute("aria-describedby", "eysend-notice-text");
    ui.start.addEventListener("click", startChat);
    box.appendChild(ui.start);
    return box;
  }

  function buildPrivacyDetails() {
    var details = el("details", "eysend-privacy");
    details.appendChild(el("summary", "eysend-privacy__summary", T.privacy_summary));
    noticeParagraphs(details);
    details.appendChild(buildAbout());
    return details;
  }

  function buildForm() {
    var form = el("form", "eysend-form");
    form.noValidate = true;
    var label = el("label", "eysend-label", T.input_label);
    label.htmlFor = "eysend-input";
    var hint = el("p", "eysend-hint", T.input_hint);
    hint.id = "eysend-hint";
    ui.input = el("textarea", "eysend-input");
    ui.input.id = "eysend-input";
    ui.input.rows = 2;
    ui.input.setAttribute("aria-describedby", "eysend-hint");
    ui.input.setAttribute("autocomplete", "off");
    ui.send = el("button", "eysend-button eysend-button--primary", T.send);
    ui.send.type = "submit";
    var row = el("div", "eysend-row");
    row.appendChild(ui.input);
    row.appendChild(ui.send);
    form.appendChild(label);
    form.appendChild(hint);
    form.appendChild(row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) { return; }
      var text = ui.input.value.trim();
      if (!text) { announce(T.message_empty); ui.input.focus(); return; }
      ui.input.value = "";
      send(text, text, false);
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
      }
    });
    return form;
  }

  function renderMessage(msg, index, lastUser) {
    var item = el("li", "eysend-msg eysend-msg--" + msg.from + (msg.kind ? " eysend-msg--" + msg.kind : ""));
    item.appendChild(hiddenText(msg.from === "user" ? T.you_said + " " : T.assistant_said + " "));
    if (msg.text) {
      var bubble = el("div", "eysend-bubble");
      richText(bubble, msg.text);
      item.appendChild(bubble);
    }
    if (msg.handoff && msg.handoff.referral_url) {
      var a = el("a", "eysend-handoff", msg.handoff.label || T.prepare_request);
      a.href = BASE + msg.handoff.referral_url;
      item.appendChild(a);
    }
    if (msg.buttons && msg.buttons.length && index > lastUser) {
      var group = el("div", "eysend-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.suggested_replies);
      msg.buttons.forEach(function (b) {
        var button = el("button", "eysend-button eysend-reply", b.title);
        button.type = "button";
        button.addEventListener("click", function () { send(b.payload, b.title, true); });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    if (msg.feedbackKind && index > lastUser) { item.appendChild(buildFeedback(msg)); }
    return item;
  }

  function render() {
    ui.notice.hidden = state.started;
    ui.privacy.hidden = !state.started;
    ui.form.hidden = !state.started;
    ui.restart.hidden = !state.started;
    ui.forget.hidden = !state.started;
    var lastUser = -1;
    state.messages.forEach(function (m, i) { if (m.from === "user") { lastUser = i; } });
    ui.log.textContent = "";
    state.messages.forEach(function (m, i) { ui.log.appendChild(renderMessage(m, i, lastUser)); });
    ui.typing.hidden = !busy;
    ui.send.disabled = false;
    ui.body.scrollTop = ui.body.scrollHeight;
  }

  function openPanel(moveFocus) {
    state.open = true;
    saveState();
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    render();
    if (moveFocus) { (state.started ? ui.input : ui.start).focus(); }
  }

  function closePanel() {
    state.open = false;
    saveState();
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function startChat() {
    state.started = true;
    saveState();
    render();
    ui.input.focus();
    send(cfg.start_payload || "/greet", null, false);
  }

  function startAgain() {
    state = { sender: null, started: false, open: true, messages: [] };
    saveState();
    render();
    announce(T.start_again_done);
    ui.start.focus();
  }

  /* "Delete my conversation": the gateway deletes it from the assistant's store at once. */
  function deleteConversation() {
    if (busy || !window.confirm(T.delete_confirm)) { return; }
    if (!state.sender) { cleared(); return; }
    busy = true;
    post("/api/conversation/delete", { sender: state.sender }).then(function (resp) {
      busy = false;
      if (resp.ok) { cleared(); return; }
      finish([{ from: "bot", kind: "error", text: T.delete_failed }], false);
    }).catch(function () {
      busy = false;
      finish([{ from: "bot", kind: "error", text: T.delete_failed }], false);
    });
  }

  function cleared() {
    state = { sender: null, started: false, open: true, messages: [] };
    saveState();
    render();
    announce(T.delete_done);
    ui.start.focus();
  }

  function post(path, body) {
    return window.fetch(BASE + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    });
  }

  function ensureSender(forceNew) {
    if (state.sender && !forceNew) { return Promise.resolve(state.sender); }
    return post("/api/session", {}).then(function (resp) {
      if (!resp.ok) { throw resp; }
      return resp.json();
    }).then(function (data) {
      state.sender = data.sender;
      saveState();
      return state.sender;
    });
  }

  // One id per message, kept when the message is sent again after a dropped connection,
  // so the assistant answers it once even if the first attempt reached it.
  function newMessageId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function chat(message, retried, messageId) {
    return ensureSender(false).then(function (sender) {
      return post("/api/chat", { sender: sender, message: message, message_id: messageId });
    }).then(function (resp) {
      if ((resp.status === 403 || resp.status === 400) && !retried) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          if (data && data.error && /conversation/i.test(data.error)) {
            state.sender = null;
            return chat(message, true, messageId);
          }
          return { resp: resp, data: data };
        });
      }
      return resp.json().catch(function () { return null; }).then(function (data) {
        return { resp: resp, data: data };
      });
    });
  }

  function botMessages(list, kind) {
    return list.filter(function (m) { return m && typeof m === "object"; }).map(function (m) {
      var msg = { from: "bot", text: typeof m.text === "string" ? m.text : "" };
      if (Array.isArray(m.buttons)) {
        msg.buttons = m.buttons.filter(function (b) {
          return b && typeof b.title === "string" && typeof b.payload === "string";
        }).map(function (b) { return { title: b.title, payload: b.payload }; });
      }
      if (m.custom && m.custom.handoff && typeof m.custom.handoff.referral_url === "string"
          && m.custom.handoff.referral_url.indexOf("/referral/") === 0) {
        msg.handoff = { referral_url: m.custom.handoff.referral_url, label: m.custom.handoff.label };
      }
      if (kind) { msg.kind = kind; }
      return msg;
    }).filter(function (m) { return m.text || m.handoff || (m.buttons && m.buttons.length); });
  }

  function send(message, shown, fromButton) {
    if (busy) { return; }
    lastPayload = message;
    busy = true;
    if (shown) { state.messages.push({ from: "user", text: shown }); }
    saveState();
    render();
    if (fromButton) { ui.input.focus(); }
    var messageId = newMessageId();
    chat(message, false, messageId).catch(function () {
      // The connection dropped: try once more with the same id after a moment.
      return new Promise(function (resolve) { window.setTimeout(resolve, 1500); })
        .then(function () { return chat(message, false, messageId); });
    }).then(function (result) {
      var resp = result.resp;
      var data = result.data;
      var added;
      if (Array.isArray(data)) {
        added = botMessages(data, resp.ok ? null : "error");
      } else if (resp.status === 429) {
        var wait = resp.headers.get("Retry-After") || "30";
        added = [{ from: "bot", kind: "error", text: T.rate_limited.replace("{seconds}", wait) }];
      } else {
        added = [{ from: "bot", kind: "error", text: (data && data.error) || T.network_error }];
      }
      finish(added, fromButton);
    }).catch(function () {
      finish([{ from: "bot", kind: "error", text: T.network_error }], fromButton);
    });
  }

  function finish(added, fromButton) {
    busy = false;
    markFeedback(added);
    state.messages = state.messages.concat(added).slice(-200);
    saveState();
    var hadFocus = ui.panel.contains(document.activeElement);
    render();
    var spoken = added.map(function (m) { return m.text; }).filter(Boolean).join(" ");
    if (spoken) { announce(T.assistant_said + " " + spoken); }
    if (!hadFocus) { return; }
    var replies = ui.log.querySelectorAll(".eysend-reply");
    var handoff = ui.log.querySelectorAll(".eysend-handoff");
    if (fromButton && replies.length) {
      replies[0].focus();
    } else if (fromButton && handoff.length && added.some(function (m) { return m.handoff; })) {
      handoff[handoff.length - 1].focus();
    } else {
      ui.input.focus();
    }
  }

  /* ---- Every door: "Contact a person", what the assistant is, and "Was this helpful?" ---- */
  var lastPayload = "";

  function buildHelpLink() {
    var a = el("a", "eysend-help", T.contact_person);
    a.href = BASE + "/contact";
    return a;
  }

  function buildAbout() {
    var box = el("div", "eysend-about");
    box.appendChild(el("h3", "eysend-notice__title", T.about_heading));
    (T.about_notice || []).forEach(function (line) {
      box.appendChild(el("p", "eysend-notice__text", line));
    });
    var nav = el("ul", "eysend-links");
    nav.setAttribute("aria-label", T.service_links_label);
    [["/guide", T.link_guide], ["/about-this-assistant", T.link_about],
     ["/privacy", T.link_privacy], ["/accessibility", T.link_accessibility]].forEach(function (l) {
      var li = el("li");
      var a = el("a", "eysend-servicelink", l[1]);
      a.href = BASE + l[0];
      li.appendChild(a);
      nav.appendChild(li);
    });
    box.appendChild(nav);
    return box;
  }

  /* Feedback is offered on the newest answer that asks nothing back (no buttons, no error). */
  function markFeedback(added) {
    var bot = added.filter(function (m) { return m.from === "bot"; });
    if (!bot.length || bot.some(function (m) { return m.kind || (m.buttons && m.buttons.length); })) {
      return;
    }
    var end = lastPayload === "/goodbye" || bot.some(function (m) { return m.handoff; });
    bot[bot.length - 1].feedbackKind = end ? "end" : "answer";
  }

  function buildFeedback(msg) {
    var fb = msg.feedback || {};
    var box = el("div", "eysend-feedback");
    if (!fb.rated) {
      var question = el("p", "eysend-feedback__question",
        msg.feedbackKind === "end" ? T.feedback_end_question : T.feedback_question);
      question.id = "eysend-fb-question";
      var group = el("div", "eysend-feedback__choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-labelledby", "eysend-fb-question");
      [[true, T.feedback_yes], [false, T.feedback_no]].forEach(function (choice) {
        var b = el("button", "eysend-button eysend-feedback__button", choice[1]);
        b.type = "button";
        b.addEventListener("click", function () { rate(msg, choice[0]); });
        group.appendChild(b);
      });
      box.appendChild(question);
      box.appendChild(group);
      return box;
    }
    box.appendChild(el("p", "eysend-feedback__thanks",
      fb.commented ? T.feedback_comment_thanks : T.feedback_thanks));
    if (fb.commented || !fb.ref) { return box; }
    var label = el("label", "eysend-label", T.feedback_comment_label);
    label.htmlFor = "eysend-fb-comment";
    var hint = el("p", "eysend-hint", T.feedback_comment_hint);
    hint.id = "eysend-fb-hint";
    var area = el("textarea", "eysend-input eysend-feedback__comment");
    area.id = "eysend-fb-comment";
    area.rows = 2;
    area.maxLength = 300;
    area.setAttribute("aria-describedby", "eysend-fb-hint");
    var sendButton = el("button", "eysend-button", T.feedback_send);
    sendButton.type = "button";
    sendButton.addEventListener("click", function () { comment(msg, area.value); });
    box.appendChild(label);
    box.appendChild(hint);
    box.appendChild(area);
    box.appendChild(sendButton);
    return box;
  }

  function rate(msg, helpful) {
    post("/api/feedback", { sender: state.sender, helpful: helpful, kind: msg.feedbackKind })
      .then(function (resp) { return resp.ok ? resp.json() : Promise.reject(resp); })
      .then(function (data) {
        msg.feedback = { rated: helpful ? "yes" : "no", ref: data.ref };
        saveState();
        render();
        announce(T.feedback_thanks);
        var area = document.getElementById("eysend-fb-comment");
        if (area) { area.focus(); }
      })
      .catch(function () { announce(T.feedback_failed); });
  }

  function comment(msg, text) {
    if (!text.trim()) { ui.input.focus(); return; }
    post("/api/feedback/comment", { ref: msg.feedback.ref, comment: text })
      .then(function (resp) {
        if (!resp.ok && resp.status !== 409) { return Promise.reject(resp); }
        msg.feedback.commented = true;
        saveState();
        render();
        announce(T.feedback_comment_thanks);
        ui.input.focus();
      })
      .catch(function () { announce(T.feedback_failed); });
  }

  function init() {
    ensureCss();
    window.fetch(BASE + "/api/widget-config", { credentials: "omit" })
      .then(function (resp) { return resp.json(); })
      .then(function (data) {
        cfg = data;
        T = data.texts || {};
        build();
        render();
        if (state.open) { openPanel(false); }
      })
      .catch(function () { /* the gateway is unreachable: show nothing rather than a broken button */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
