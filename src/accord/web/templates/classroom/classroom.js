// Classroom pages: draws the debrief charts (plotly figures sent as JSON in data-charts) with the locally
// served plotly.js, again after htmx refreshes the live part. The table sorter follows (shared with the
// HTML export).
(function () {
  "use strict";
  function draw(root) {
    if (typeof window.Plotly === "undefined") { return; }
    (root || document).querySelectorAll(".debrief[data-charts]").forEach(function (box) {
      var figs = JSON.parse(box.getAttribute("data-charts"));
      box.querySelectorAll("[data-chart]").forEach(function (el) {
        var fig = figs[el.getAttribute("data-chart")];
        if (!fig) { el.remove(); return; }
        window.Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: true });
      });
    });
  }
  window.addEventListener("load", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
