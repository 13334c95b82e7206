// The phone checklist (inspections/inspection_fill.html): each item is saved as soon as it
// is answered, so a dropped signal loses at most the item in hand. An answer that cannot be
// sent waits in localStorage and is sent again when the browser is back online or the page
// is opened again; "本节全部合格" asks for confirmation, then passes the section's
// unanswered items in one request. Without this script the page still works: the buttons
// at the bottom save or submit everything, and each section's button posts its own form.
(function () {
  "use strict";

  var form = document.querySelector("form[data-checklist]");
  if (!form) {
    return;
  }
  var url = form.dataset.answerUrl;
  var storageKey = form.dataset.storageKey;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var notice = document.querySelector("[data-offline-notice]");

  function pending() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  function keep(store) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(store));
    } catch (error) {
      // Private mode or full storage: the item stays marked as not uploaded.
    }
  }

  function fieldset(code) {
    return form.querySelector('fieldset[data-item="' + code + '"]');
  }

  function valuesOf(box) {
    var code = box.dataset.item;
    var checked = box.querySelector('input[name="result_' + code + '"]:checked');
    var department = box.querySelector('select[name="department_' + code + '"]');
    return {
      result: checked ? checked.value : "",
      note: box.querySelector('input[name="note_' + code + '"]').value,
      department: department ? department.value : "",
    };
  }

  function show(box, text, failed) {
    var state = box.querySelector("[data-save-state]");
    state.textContent = text;
    state.classList.toggle("text-danger", Boolean(failed));
  }

  function showProgress(progress) {
    document.querySelector("[data-answered]").textContent = progress.answered;
    document.querySelector("[data-progress-bar]").value = progress.answered;
    Object.keys(progress.sections).forEach(function (code) {
      var badge = document.querySelector('[data-section-count="' + code + '"]');
      var counts = progress.sections[code];
      if (badge) {
        badge.textContent = counts.answered + "/" + counts.total;
      }
    });
  }

  // Saves still on their way: submitting waits for them, so a save never reaches the server
  // after the inspection it belongs to was submitted (a 400), and a photo it carries is not
  // sent a second time with the form.
  var inflight = [];

  function post(data) {
    data.append("csrfmiddlewaretoken", csrf);
    var request = fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
    inflight.push(request);
    var forget = function () {
      inflight.splice(inflight.indexOf(request), 1);
    };
    request.then(forget, forget);
    return request;
  }

  function save(box) {
    var code = box.dataset.item;
    var values = valuesOf(box);
    if (!values.result) {
      return; // nothing to keep before a result is chosen
    }
    var data = new FormData();
    data.append("item", code);
    data.append("result_" + code, values.result);
    data.append("note_" + code, values.note);
    data.append("department_" + code, values.department);
    var files = box.querySelector('input[type=file]');
    Array.prototype.forEach.call(files.files, function (file) {
      data.append("photos_" + code, file);
    });
    var store = pending();
    store[code] = values;
    keep(store);
    show(box, form.dataset.msgSaving, false);
    return post(data)
      .then(function (reply) {
        if (!reply.ok) {
          show(box, reply.body.error || "", true);
          return;
        }
        var fresh = pending();
        delete fresh[code];
        keep(fresh);
        files.value = "";
        show(box, form.dataset.msgSaved + " ✓", false);
        showProgress(reply.body.progress);
        notice.classList.add("d-none");
      })
      .catch(function () {
        show(box, form.dataset.msgPending, true);
        notice.classList.remove("d-none");
      });
  }

  function restore() {
    var store = pending();
    Object.keys(store).forEach(function (code) {
      var box = fieldset(code);
      if (!box) {
        return;
      }
      var values = store[code];
      var radio = box.querySelector('input[name="result_' + code + '"][value="' + values.result + '"]');
      if (radio) {
        radio.checked = true;
      }
      box.querySelector('input[name="note_' + code + '"]').value = values.note;
      var department = box.querySelector('select[name="department_' + code + '"]');
      if (department) {
        department.value = values.department;
      }
      save(box);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!inflight.length) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    Promise.allSettled(inflight.slice()).then(function () {
      form.requestSubmit(submitter);
    });
  });

  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset[data-item]");
    if (box) {
      save(box);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-all-pass]");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (!window.confirm(button.dataset.confirm)) {
      return;
    }
    var section = button.dataset.allPass;
    var data = new FormData();
    data.append("all_pass", section);
    post(data)
      .then(function (reply) {
        if (!reply.ok) {
          window.alert(reply.body.error || "");
          return;
        }
        reply.body.saved.forEach(function (code) {
          var box = fieldset(code);
          var radio = box && box.querySelector('input[name="result_' + code + '"][value="pass"]');
          if (radio) {
            radio.checked = true;
            show(box, form.dataset.msgSaved + " ✓", false);
          }
        });
        showProgress(reply.body.progress);
      })
      .catch(function () {
        notice.classList.remove("d-none");
      });
  });

  window.addEventListener("online", restore);
  restore();
})();
