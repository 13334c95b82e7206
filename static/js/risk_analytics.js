// Analytics charts (overdue rate, median days to close, year over year); the data comes
// from json_script "risk-charts-data". Each chart's numbers are also in its table.
(function () {
  "use strict";

  var OPTIONS = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { y: { beginAtZero: true } },
    plugins: { legend: { position: "bottom" } }
  };
  var COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#dc3545", "#6f42c1"];

  function line(id, labels, sets) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: sets.map(function (set, i) {
          return { label: set.label, data: set.values, borderColor: COLOURS[i % COLOURS.length], tension: 0.2 };
        })
      },
      options: OPTIONS
    });
  }

  function draw() {
    var source = document.getElementById("risk-charts-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    line("chart-overdue", data.overdue.labels, [{ label: data.overdue.label, values: data.overdue.values }]);
    line("chart-close", data.close.labels, [{ label: data.close.label, values: data.close.values }]);
    line("chart-yoy", data.yoy.labels, data.yoy.sets);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
