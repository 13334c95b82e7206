// Searchable selects (Tom Select, from the npm registry, vendored into static/vendor/):
// <select data-searchable> (a multi-select: type to narrow, tap to add, no Ctrl-click) and
// <select data-remote-url="…"> (a choice among thousands, e.g. schools: the options are
// fetched from the server as the person types; only the chosen one is in the page).
// htmx swaps the ledger's results in place, so selects are set up again after each swap.
(function () {
  "use strict";

  function remoteLoad(url) {
    return function (query, callback) {
      var address = url + "?q=" + encodeURIComponent(query);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json();
        })
        .then(function (body) {
          callback(body.results);
        })
        .catch(function () {
          callback();
        });
    };
  }

  function setUp(root) {
    if (typeof window.TomSelect === "undefined") {
      return;
    }
    root.querySelectorAll("select[data-searchable], select[data-remote-url]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var options = { plugins: ["remove_button"], maxOptions: 50, allowEmptyOption: true };
      if (select.dataset.remoteUrl) {
        options = {
          valueField: "id",
          labelField: "text",
          searchField: ["text"],
          preload: "focus",
          load: remoteLoad(select.dataset.remoteUrl),
          allowEmptyOption: true,
          maxOptions: 20,
        };
      }
      new window.TomSelect(select, options);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    setUp(event.target);
  });
})();
