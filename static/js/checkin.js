// 到家报平安 / 查寝: each tap saves one student's mark through the page's JSON endpoint
// without reloading; "all arrived" marks everybody not yet marked. No inline script (CSP).
(function () {
  "use strict";
  var roll = document.getElementById("checkin-roll");
  if (!roll) { return; }
  var url = roll.dataset.url;
  var day = roll.dataset.date;
  var kind = roll.dataset.kind;
  var csrf = roll.dataset.csrf;
  var status = document.getElementById("checkin-status");

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("text-danger", !!bad);
  }

  function apply(marks) {
    Object.keys(marks).forEach(function (id) {
      var row = roll.querySelector('[data-student="' + id + '"]');
      if (!row) { return; }
      row.dataset.status = marks[id];
      row.querySelectorAll("button[data-status]").forEach(function (b) {
        var on = b.dataset.status === marks[id];
        b.classList.toggle("active", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
    var counts = { arrived: 0, excused: 0, pending: 0 };
    roll.querySelectorAll("[data-student]").forEach(function (row) {
      counts[row.dataset.status] = (counts[row.dataset.status] || 0) + 1;
    });
    Object.keys(counts).forEach(function (k) {
      var el = document.getElementById("count-" + k);
      if (el) { el.textContent = counts[k]; }
    });
  }

  function send(body) {
    body.date = day;
    body.kind = kind;
    show(roll.dataset.saving);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || response.statusText); }
        apply(data.marks);
        show(roll.dataset.saved);
      });
    }).catch(function (error) {
      show(roll.dataset.failed + " " + error.message, true);
    });
  }

  roll.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-status]");
    if (!button) { return; }
    var row = button.closest("[data-student]");
    send({ student: Number(row.dataset.student), status: button.dataset.status });
  });
  var all = document.getElementById("checkin-all");
  if (all) {
    all.addEventListener("click", function () { send({ all: true }); });
  }
})();
