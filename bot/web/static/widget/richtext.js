/* The assistant's text as HTML, so that nothing is read aloud as symbols: blank lines make
 * paragraphs; lines starting "- ", "* " or "• " make a bulleted list and "1. " or "1) " a numbered
 * one; **bold**, *emphasis*, [words](https://…) and bare http(s) addresses become <strong>, <em>
 * and links. Built with DOM calls and textContent only, never from an HTML string. */

import { el, hiddenText } from "./dom.js";

const BULLET = /^\s*(?:[-*•‣◦–])\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s+(.*)$/;
// [words](address) | **bold** | *emphasis* | bare address
const INLINE = /\[([^\]\n]+)\]\(((?:https?:\/\/|\/)[^\s)]+)\)|\*\*([^*\n]+)\*\*|\*([^*\s](?:[^*\n]*[^*\s])?)\*|(https?:\/\/[^\s<>"']+)/g;
const TRAILING = /[.,;:!?)\]]+$/;

/** The words shown for a bare address: without "https://" and a closing "/". */
export function shownAddress(url) {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}

function link(href, words, opts) {
  const external = /^https?:\/\//.test(href);
  const a = el("a", "eysend-link", words);
  a.href = external ? href : opts.base + href;
  if (external) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (opts.newTab) { a.appendChild(hiddenText(" " + opts.newTab)); }
  }
  return a;
}

/** Append one line's text, with its inline marks, to `parent`. */
function inline(parent, text, opts) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    let end = m.index + m[0].length;
    let node;
    if (m[1]) {
      node = link(m[2], m[1], opts);
    } else if (m[3] || m[4]) {
      node = el(m[3] ? "strong" : "em");
      inline(node, m[3] || m[4], opts);
    } else {
      const url = m[5].replace(TRAILING, "");
      end = m.index + url.length;
      node = link(url, shownAddress(url), opts);
    }
    if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
    parent.appendChild(node);
    last = end;
  }
  if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
}

function listItem(list, tag, words, opts) {
  let current = list;
  if (!current || current.tagName.toLowerCase() !== tag) { current = el(tag, "eysend-list"); }
  const li = el("li");
  inline(li, words, opts);
  current.appendChild(li);
  return current;
}

/** One block (no blank lines) as paragraphs and lists appended to `box`. */
function block(box, lines, opts) {
  let list = null;
  let para = null;
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const next = listItem(list, bullet ? "ul" : "ol", bullet ? bullet[1] : numbered[2], opts);
      if (next !== list) { box.appendChild(next); }
      if (numbered && next.children.length === 1 && numbered[1] !== "1") { next.start = Number(numbered[1]); }
      list = next;
      para = null;
      continue;
    }
    list = null;
    const heading = HEADING.exec(line);
    if (heading) {
      const p = el("p", "eysend-p");
      const strong = el("strong");
      inline(strong, heading[1], opts);
      p.appendChild(strong);
      box.appendChild(p);
      para = null;
      continue;
    }
    if (para) { para.appendChild(el("br")); } else { para = box.appendChild(el("p", "eysend-p")); }
    inline(para, line.trim(), opts);
  }
}

/** The text as a <div class="eysend-rich">. opts: base (for "/path" links), newTab (hidden words). */
export function renderRich(text, opts) {
  const box = el("div", "eysend-rich");
  String(text).replace(/\r\n?/g, "\n").split(/\n\s*\n/).forEach((chunk) => {
    const lines = chunk.split("\n").filter((l) => l.trim());
    if (lines.length) { block(box, lines, opts || {}); }
  });
  return box;
}

/** Plain words of rendered text (what a screen reader or a text file gets): one line per
 * paragraph or list item, hidden words left out; `bullets` puts "- " or "1. " before items. */
export function plainText(node, bullets) {
  const out = [];
  node.querySelectorAll("p, li").forEach((item) => {
    const copy = item.cloneNode(true);
    copy.querySelectorAll(".eysend-vh").forEach((h) => h.remove());
    copy.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    let words = copy.textContent.replace(/[ \t]+/g, " ").trim();
    if (bullets && item.tagName === "LI") {
      const list = item.parentElement;
      words = (list.tagName === "OL"
        ? (list.start || 1) + Array.prototype.indexOf.call(list.children, item) + ". " : "- ") + words;
    }
    out.push(words);
  });
  return out.join("\n");
}

/** The http(s) addresses a rendered text links to, in order, each once. */
export function linksIn(node) {
  const seen = [];
  node.querySelectorAll("a[href^='http']").forEach((a) => {
    if (!seen.includes(a.href)) { seen.push(a.href); }
  });
  return seen;
}
