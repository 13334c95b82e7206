// Small behaviours every page shares, written here because the Content-Security-Policy
// allows no inline script or event handler (onclick=…): the templates mark elements with
// data- attributes instead. Listeners are delegated from the document, so content that
// htmx swaps in later works too.
(function () {
  "use strict";

  // <button data-action="print">: print the page (inspection report, 随手拍 poster).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action=print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // <select data-autosubmit>: submit its form on change (the language switch).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  // <form data-fresh-client-id>: a fresh id for a new 随手拍 report (its idempotency key);
  // the server's value stays when the browser has no crypto.randomUUID.
  function freshClientIds() {
    document.querySelectorAll("form[data-fresh-client-id]").forEach(function (form) {
      var input = form.querySelector("input[name=client_id]");
      if (input && window.crypto && window.crypto.randomUUID) {
        input.value = window.crypto.randomUUID();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", freshClientIds);
  } else {
    freshClientIds();
  }
})();
