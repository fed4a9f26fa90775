/* "Save this conversation": a plain-text file and a page to print or save as PDF, both built in
 * the browser from the transcript on screen (what the person asked, what the assistant said, the
 * date and the pages it linked). Nothing is sent to the server. */

import { el, button } from "./dom.js";
import { plainText, linksIn } from "./richtext.js";

const DATE = { day: "numeric", month: "long", year: "numeric" };
const TIME = { hour: "2-digit", minute: "2-digit" };

function when(date) {
  return date.toLocaleDateString("en-GB", DATE) + ", " + date.toLocaleTimeString("en-GB", TIME);
}

/** The conversation as shown: [{from, chosen, at, text, rich}] and the addresses it linked. */
export function readTranscript(log) {
  const entries = [];
  const links = [];
  log.querySelectorAll(":scope > li").forEach((li) => {
    const rich = li.querySelector(".eysend-bubble");
    const handoff = li.querySelector(".eysend-handoff");
    if (!rich && !handoff) { return; }
    const text = [rich ? plainText(rich, true) : "", handoff ? handoff.textContent : ""]
      .filter(Boolean).join("\n");
    entries.push({ from: li.dataset.from, chosen: li.dataset.chosen === "true", at: li.dataset.at, text, rich });
    if (rich) { linksIn(rich).forEach((href) => { if (!links.includes(href)) { links.push(href); } }); }
  });
  return { entries, links };
}

function who(entry, T) {
  const name = entry.from === "user" ? (entry.chosen ? T.save_you_chose : T.save_you) : T.save_assistant;
  const at = entry.at ? new Date(entry.at) : null;
  return at && !Number.isNaN(at.getTime()) ? name + " (" + at.toLocaleTimeString("en-GB", TIME) + ")" : name;
}

/** The conversation as a plain-text file's contents. */
export function asText(conv, T, now) {
  const lines = [T.save_title, T.save_saved_on.replace("{when}", when(now)), ""];
  conv.entries.forEach((e) => { lines.push(who(e, T) + ":", e.text, ""); });
  lines.push(T.save_pages + ":");
  (conv.links.length ? conv.links : [T.save_no_pages]).forEach((href) => { lines.push("- " + href); });
  lines.push("", T.save_disclaimer, "");
  return lines.join("\n");
}

/** The conversation as a whole HTML page (a string), with the widget's print styles. */
export function asPage(conv, T, base, now) {
  const doc = document.implementation.createHTMLDocument(T.save_title);
  const make = (parent, tag, cls, text) => {
    const node = parent.appendChild(doc.createElement(tag));
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  };
  doc.documentElement.lang = "en-GB";
  const charset = doc.createElement("meta");
  charset.setAttribute("charset", "utf-8");
  doc.head.prepend(charset);
  const viewport = make(doc.head, "meta");
  viewport.name = "viewport";
  viewport.content = "width=device-width, initial-scale=1";
  const css = make(doc.head, "link");
  css.rel = "stylesheet";
  css.href = base + "/widget/conversation.css";
  const script = make(doc.head, "script");
  script.type = "module";
  script.src = base + "/widget/printpage.js";
  const main = make(doc.body, "main", "conversation");
  make(main, "h1", null, T.save_title);
  make(main, "p", "conversation__date", T.save_saved_on.replace("{when}", when(now)));
  make(main, "p", "conversation__caution", T.save_disclaimer);
  const print = make(main, "button", "conversation__print", T.save_print_button);
  print.type = "button";
  print.id = "eysend-print";
  print.hidden = true;  // shown by printpage.js, which makes it work
  make(main, "h2", null, T.save_said);
  const list = make(main, "ol", "conversation__list");
  conv.entries.forEach((e) => {
    const li = make(list, "li", "conversation__item conversation__item--" + e.from);
    make(make(li, "p", "conversation__who"), "strong", null, who(e, T));
    if (e.rich) {
      li.appendChild(doc.importNode(e.rich, true)).className = "conversation__text";
    } else {
      make(li, "p", "conversation__text", e.text);
    }
  });
  make(main, "h2", null, T.save_pages);
  if (!conv.links.length) { make(main, "p", null, T.save_no_pages); }
  const pages = conv.links.length ? make(main, "ul", "conversation__links") : null;
  conv.links.forEach((href) => {
    const a = make(make(pages, "li"), "a", null, href);
    a.href = href;
  });
  return "<!doctype html>\n" + doc.documentElement.outerHTML;
}

/** The "Save this conversation" box: open() rebuilds both files from the screen. */
export function createSaveBox(T, base, log, onClose) {
  const box = el("section", "eysend-save");
  box.setAttribute("aria-labelledby", "eysend-save-title");
  box.hidden = true;
  const title = box.appendChild(el("h3", "eysend-save__title", T.save_heading));
  title.id = "eysend-save-title";
  title.tabIndex = -1;
  box.appendChild(el("p", "eysend-hint", T.save_intro));
  const links = box.appendChild(el("ul", "eysend-save__links"));
  const textLink = links.appendChild(el("li")).appendChild(el("a", "eysend-servicelink", T.save_as_text));
  const pageLink = links.appendChild(el("li")).appendChild(el("a", "eysend-servicelink", T.save_as_page));
  pageLink.target = "_blank";
  pageLink.appendChild(el("span", "eysend-vh", " " + T.opens_new_tab));
  const close = box.appendChild(button(T.save_close));
  let urls = [];

  function release() { urls.forEach((u) => URL.revokeObjectURL(u)); urls = []; }
  close.addEventListener("click", () => { box.hidden = true; release(); onClose(); });

  return {
    element: box,
    open() {
      release();
      const now = new Date();
      const conv = readTranscript(log);
      const file = (type, body) => {
        const url = URL.createObjectURL(new Blob([body], { type }));
        urls.push(url);
        return url;
      };
      textLink.href = file("text/plain;charset=utf-8", asText(conv, T, now));
      textLink.download = "early-years-send-conversation-" + now.toISOString().slice(0, 10) + ".txt";
      pageLink.href = file("text/html;charset=utf-8", asPage(conv, T, base, now));
      box.hidden = false;
      title.focus();
    },
    hide() { box.hidden = true; release(); },
  };
}
