// Counselling form (education/counselling_form.html). Individual: a student code, one
// participant. Group: a head count, no code. The server checks the same
// (education.services.record_counselling); this only hides what does not apply.
(function () {
  "use strict";

  function init() {
    var kind = document.getElementById("id_kind");
    var code = document.getElementById("div_id_student_code");
    var count = document.getElementById("div_id_participants");
    if (!kind || !code || !count) return;
    // A field that does not apply is hidden and emptied (unless it shows an error).
    function show(block, on) {
      if (block.querySelector(".invalid-feedback")) on = true;
      if (!on) block.querySelector("input").value = "";
      block.hidden = !on;
    }
    function sync() {
      var group = kind.value === "group";
      show(code, !group);
      show(count, group);
    }
    kind.addEventListener("change", sync);
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
