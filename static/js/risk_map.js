// Four-colour map: a click on the site plan fills the place form's per-cent coordinates
// (x from the left, y from the top), so a school places a point by tapping its spot.
(function () {
  "use strict";

  function setUp() {
    var svg = document.getElementById("risk-map");
    var x = document.getElementById("id_plan_x");
    var y = document.getElementById("id_plan_y");
    if (!svg || !x || !y) {
      return;
    }
    svg.addEventListener("click", function (event) {
      var box = svg.getBoundingClientRect();
      x.value = (100 * (event.clientX - box.left) / box.width).toFixed(2);
      y.value = (100 * (event.clientY - box.top) / box.height).toFixed(2);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
