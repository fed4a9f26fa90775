/* Early Years SEND assistant: the one tag a page embeds,
 *   <script src="https://<your-gateway>/widget.js" defer></script>
 * It loads the widget's ES modules (/widget/main.js and what it imports) from the same gateway,
 * served as they are: no build step, no inline script or style (works under a strict CSP). */
(function () {
  "use strict";
  if (window.eysendWidgetLoaded) { return; }
  window.eysendWidgetLoaded = true;
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, window.location.href).origin
    : window.location.origin;
  var entry = document.createElement("script");
  entry.type = "module";
  entry.src = base + "/widget/main.js";
  document.head.appendChild(entry);
}());
