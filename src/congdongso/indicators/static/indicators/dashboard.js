// Draws the monthly series of a dashboard with Chart.js; the figures come from a json_script block.
(function () {
  "use strict";
  function draw() {
    var data = document.getElementById("series-data");
    var canvas = document.getElementById("series-chart");
    if (!data || !canvas || typeof Chart === "undefined") return;
    var series = JSON.parse(data.textContent);
    if (!series.length) return;
    var colours = ["#c8102e", "#1b7f3b", "#1f5fbf", "#c98a00"];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series[0].months,
        datasets: series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: { maintainAspectRatio: false, responsive: true, plugins: { legend: { position: "bottom" } } },
    });
    canvas.dataset.drawn = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
