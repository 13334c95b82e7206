// Dashboard charts (reports/charts.py): each <canvas data-chart="ID"> is drawn from the
// json_script element ID: {kind, horizontal, labels, series: [{label, values}]}. A
// horizontal bar chart grows with its rows. Without Chart.js (static/vendor missing) the
// page shows the tables only.
(function () {
  "use strict";

  var COLOURS = ["rgba(13, 110, 253, 0.75)", "rgba(25, 135, 84, 0.75)", "rgba(220, 53, 69, 0.75)"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (data.horizontal) {
      canvas.parentElement.style.height = (data.labels.length * 28 + 70) + "px";
    }
    var datasets = data.series.map(function (s, i) {
      var set = { label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] };
      if (data.kind === "line") {
        set.borderColor = COLOURS[i % COLOURS.length];
        set.spanGaps = true;
        set.yAxisID = i === 0 ? "y" : "y1";
        set.type = i === 0 ? "line" : "bar";
        set.order = i === 0 ? 0 : 1;
      }
      return set;
    });
    var scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
    if (data.kind === "line") {
      scales.y1 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } };
    }
    new window.Chart(canvas, {
      type: data.kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: data.horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } } : scales,
        plugins: { legend: { display: data.series.length > 1, position: "bottom" } }
      }
    });
  }

  function drawAll() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
