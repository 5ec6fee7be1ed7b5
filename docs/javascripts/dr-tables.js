// Sortable tables: click a column header of a table[data-sortable] to sort by it.
// Cells may carry data-sort-value (numbers) to sort by instead of their text; text sorts by the page's language.
(function () {
  "use strict";
  var collator = null;
  function compareText(a, b) {
    if (!collator) collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
    return collator.compare(a, b);
  }
  function sortBy(table, col, button) {
    var body = table.tBodies[0];
    var ascending = button.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var nx = x.getAttribute("data-sort-value"), ny = y.getAttribute("data-sort-value");
      var cmp = nx !== null && ny !== null ? Number(nx) - Number(ny)
        : compareText(x.textContent.trim(), y.textContent.trim());
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[data-sort-col]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    button.parentNode.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function run() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.dataset.sortReady) return;
      table.dataset.sortReady = "1";
      table.querySelectorAll("th[data-sort-col] button").forEach(function (button) {
        button.addEventListener("click", function () {
          sortBy(table, Number(button.parentNode.getAttribute("data-sort-col")), button);
        });
      });
    });
  }
  /* Wide tables scroll sideways on a phone: make each scrolling wrapper reachable with the keyboard.
   * The theme wraps tables when it mounts the page, after this script's turn, hence the timeout. */
  function focusableScrolls() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    });
  }
  function start() { run(); setTimeout(focusableScrolls, 0); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(start); }
  else { document.addEventListener("DOMContentLoaded", start); }
})();
