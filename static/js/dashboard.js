// Dashboard chart: hazards found and closed per month. Data comes from the page
// (json_script "hazard-chart-data"); without Chart.js (static/vendor missing) the page
// simply shows no chart.
(function () {
  "use strict";

  function draw() {
    var canvas = document.getElementById("hazard-chart");
    var source = document.getElementById("hazard-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.found_label, data: data.found, backgroundColor: "rgba(13, 110, 253, 0.75)" },
          { label: data.closed_label, data: data.closed, backgroundColor: "rgba(25, 135, 84, 0.75)" }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
