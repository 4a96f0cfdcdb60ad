/* ccdiag fleet page: sort the bundle table by a column and filter it by text or cause.
   Only moves and hides existing rows and sets textContent; never builds HTML from data.
   The view (q, cause, sort) lives in the query string so a filtered view can be linked. */
(function () {
  "use strict";
  var table = document.getElementById("bundles");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = document.getElementById("filter-text");
  var cause = document.getElementById("filter-cause");
  var shown = document.getElementById("shown-count");
  var bars = Array.prototype.slice.call(document.querySelectorAll(".chart a[data-cause]"));
  var sort = "";

  function value(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute("data-v") || cell.textContent) : "";
  }

  function sortBy(key, direction) {
    var index = -1, numeric = false;
    headers.forEach(function (th, i) {
      if (th.getAttribute("data-key") === key) { index = i; numeric = th.getAttribute("data-type") === "num"; }
      th.removeAttribute("aria-sort");
    });
    if (index < 0) { return; }
    rows.sort(function (a, b) {
      var x = value(a, index), y = value(b, index);
      var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
      return order * direction;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    headers[index].setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
    sort = (direction < 0 ? "-" : "") + key;
  }

  function filter() {
    var q = text.value.trim().toLowerCase(), c = cause.value, n = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) && (!c || row.getAttribute("data-cause") === c);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
    bars.forEach(function (a) { a.classList.toggle("active", a.getAttribute("data-cause") === c); });
  }

  function remember() {
    var params = new URLSearchParams();
    if (text.value.trim()) { params.set("q", text.value.trim()); }
    if (cause.value) { params.set("cause", cause.value); }
    if (sort) { params.set("sort", sort); }
    var query = params.toString();
    try { history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash); } catch (e) { /* file:// may refuse */ }
  }

  headers.forEach(function (th) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      var direction = th.getAttribute("aria-sort") === "descending" ? 1 : (th.getAttribute("aria-sort") === "ascending" ? -1 : (th.getAttribute("data-type") === "num" ? -1 : 1));
      sortBy(key, direction);
      remember();
    });
  });
  text.addEventListener("input", function () { filter(); remember(); });
  cause.addEventListener("change", function () { filter(); remember(); });
  bars.forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var c = a.getAttribute("data-cause");
      cause.value = cause.value === c ? "" : c;
      filter();
      remember();
    });
  });

  var params = new URLSearchParams(location.search);
  if (params.get("q")) { text.value = params.get("q"); }
  if (params.get("cause")) {
    var wanted = params.get("cause");
    Array.prototype.forEach.call(cause.options, function (o) { if (o.value === wanted) { cause.value = wanted; } });
  }
  var wantedSort = params.get("sort");
  if (wantedSort) { sortBy(wantedSort.replace(/^-/, ""), wantedSort.charAt(0) === "-" ? -1 : 1); }
  filter();
  document.documentElement.setAttribute("data-js", "ready");
}());
