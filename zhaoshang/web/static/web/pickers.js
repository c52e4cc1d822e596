/* Search-as-you-type pickers: every <select data-picker="investors|enterprises|industries|countries"> becomes a
   Tom Select that asks the desk (/pick/KIND/?q=…) for at most 20 options as the user types. Served by the app. */
(function () {
  "use strict";
  var me = document.currentScript;
  var base = me ? me.getAttribute("data-pick-url") : "/pick/KIND/";
  if (typeof TomSelect === "undefined") return; // the plain <select> still submits what it holds
  document.querySelectorAll("select[data-picker]").forEach(function (el) {
    var kind = el.getAttribute("data-picker");
    var ts = new TomSelect(el, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 20,
      preload: "focus",
      placeholder: el.getAttribute("data-placeholder") || "",
      loadThrottle: 250,
      render: {
        no_results: function () { return '<div class="no-results">没有找到</div>'; },
        loading: function () { return '<div class="spinner">查找中…</div>'; }
      },
      load: function (query, callback) {
        var url = base.replace("KIND", encodeURIComponent(kind)) + "?q=" + encodeURIComponent(query);
        if (kind === "enterprises") {
          var unit = document.querySelector("select[name=unit]");
          if (unit && unit.value) url += "&unit=" + encodeURIComponent(unit.value);
        }
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { options: [] }; })
          .then(function (body) { callback(body.options || []); })
          .catch(function () { callback(); });
      }
    });
    el.tomselect = ts;
  });
})();
