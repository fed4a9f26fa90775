/* Service request pages: focus the error summary, and offer "Print or save as PDF". */
(function () {
  "use strict";
  function ready() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    var buttons = document.querySelectorAll(".js-print");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".js-no-print"), function (node) {
      node.hidden = true;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
