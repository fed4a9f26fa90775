/* A menu button (WAI-ARIA APG pattern): the button has aria-haspopup and aria-expanded; Enter,
 * Space or Down opens it on the first item, Up on the last; Up, Down, Home and End move between
 * items; Escape closes it and puts focus back on the button; Tab or a click elsewhere closes it. */

import { el, button } from "./dom.js";

/** items: [{id, label, action}]. Returns {element, button, setVisible(id, shown), close()}. */
export function createMenu(label, items) {
  const wrap = el("div", "eysend-menu");
  const toggle = wrap.appendChild(button(label, "eysend-button eysend-button--quiet eysend-menu__button"));
  toggle.id = "eysend-menu-button";
  toggle.setAttribute("aria-haspopup", "true");
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "eysend-menu-list");
  const list = wrap.appendChild(el("ul", "eysend-menu__list"));
  list.id = "eysend-menu-list";
  list.setAttribute("role", "menu");
  list.setAttribute("aria-labelledby", toggle.id);
  list.hidden = true;
  const entries = items.map((item) => {
    const li = list.appendChild(el("li"));
    li.setAttribute("role", "none");
    const b = li.appendChild(button(item.label, "eysend-menu__item"));
    b.setAttribute("role", "menuitem");
    b.tabIndex = -1;
    b.dataset.item = item.id;
    b.addEventListener("click", () => { close(false); item.action(); });
    return { id: item.id, li, b };
  });
  const shown = () => entries.filter((e) => !e.li.hidden).map((e) => e.b);

  function open(which) {
    list.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    const all = shown();
    if (all.length) { all[which === "last" ? all.length - 1 : 0].focus(); }
  }
  function close(refocus) {
    if (list.hidden) { return; }
    list.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) { toggle.focus(); }
  }

  toggle.addEventListener("click", () => { if (list.hidden) { open("first"); } else { close(true); } });
  toggle.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowUp" ? "last" : "first");
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = shown();
    const at = all.indexOf(document.activeElement);
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      all[(moves[event.key] + all.length) % all.length].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();  // closes the menu, not the whole chat
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  });
  wrap.addEventListener("focusout", (event) => {
    if (!wrap.contains(event.relatedTarget)) { close(false); }
  });

  return {
    element: wrap,
    button: toggle,
    close,
    setVisible(id, visible) { entries.forEach((e) => { if (e.id === id) { e.li.hidden = !visible; } }); },
  };
}
