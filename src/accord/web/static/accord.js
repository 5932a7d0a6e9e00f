// Draws the page's chart (if any) from the JSON in #chart-data with the locally served plotly.js.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("chart");
    var dataEl = document.getElementById("chart-data");
    if (!holder || !dataEl || typeof window.Plotly === "undefined") { return; }
    var d = JSON.parse(dataEl.textContent);
    var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };
    var layout = { margin: { l: 50, r: 20, t: 20, b: 45 }, legend: { orientation: "h" }, font: { size: 12 } };
    var traces = [];
    if (d.kind === "frontier") {
      var n = d.parties.length;
      if (n === 2) {
        var zx = [], zy = [], ox = [], oy = [];
        d.gains.forEach(function (g, i) { (d.in_zone[i] ? zx : ox).push(g[0]); (d.in_zone[i] ? zy : oy).push(g[1]); });
        traces.push({ x: ox, y: oy, mode: "markers", name: "frontier (outside the zone)", marker: { color: "#b9c2cc" } });
        traces.push({ x: zx, y: zy, mode: "markers", name: "frontier (bargaining zone)", marker: { color: "#1f6feb", size: 9 } });
        var colours = { "Nash point": "#1a7f37", "agreement": "#d4650b" };
        var symbols = { "Nash point": "diamond", "agreement": "star" };
        Object.keys(d.marks || {}).forEach(function (label) {
          var g = d.marks[label];
          traces.push({ x: [g[0]], y: [g[1]], mode: "markers", name: label,
            marker: { size: 14, symbol: symbols[label] || "circle", color: colours[label] || "#333", line: { width: 1, color: "#fff" } } });
        });
        layout.xaxis = { title: d.parties[0] + " (normalised gain)", zeroline: true };
        layout.yaxis = { title: d.parties[1] + " (normalised gain)", zeroline: true };
        layout.shapes = [{ type: "line", x0: 0, x1: 0, y0: 0, y1: 1, line: { dash: "dot", color: "#999" } },
                         { type: "line", x0: 0, x1: 1, y0: 0, y1: 0, line: { dash: "dot", color: "#999" } }];
      } else {
        traces.push({ type: "parcoords", line: { color: d.in_zone.map(function (z) { return z ? 1 : 0; }), colorscale: [[0, "#b9c2cc"], [1, "#1f6feb"]] },
          dimensions: d.parties.map(function (p, j) { return { label: p, values: d.gains.map(function (g) { return g[j]; }) }; }) });
      }
    } else if (d.kind === "offers") {
      traces.push({ x: d.made.x, y: d.made.y, text: d.made.text, mode: "lines+markers", name: "offers you made", marker: { color: "#1f6feb" } });
      traces.push({ x: d.received.x, y: d.received.y, text: d.received.text, mode: "lines+markers", name: "offers you received", marker: { color: "#d4650b" } });
      layout.xaxis = { title: "time" };
      layout.showlegend = true;
      layout.yaxis = { title: "value to you (your points)" };
    }
    window.Plotly.newPlot(holder, traces, layout, config);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
