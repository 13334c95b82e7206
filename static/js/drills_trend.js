// Compliance page: the median evacuation time per month against the target. Data from the
// page (json_script "evacuation-chart-data"); without Chart.js the page shows no chart.
(function () {
  "use strict";

  function draw() {
    var canvas = document.getElementById("evacuation-chart");
    var source = document.getElementById("evacuation-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.median_label, data: data.median, borderColor: "rgb(13, 110, 253)", spanGaps: true },
          {
            label: data.target_label,
            data: data.labels.map(function () { return data.target; }),
            borderColor: "rgb(220, 53, 69)",
            borderDash: [6, 4],
            pointRadius: 0
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true } },
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
