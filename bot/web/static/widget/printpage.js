/* The saved conversation page: its "Print or save as PDF" button (hidden when scripts are off). */
const print = document.getElementById("eysend-print");
if (print) {
  print.hidden = false;
  print.addEventListener("click", () => { window.print(); });
}
