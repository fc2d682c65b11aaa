// 争议受理台账: keep the pushed URL short — leave out empty filters.
(function () {
  "use strict";
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "dispute-filters") return;
    const params = event.detail.parameters;
    for (const [name, value] of Object.entries(params)) {
      if (value === "") delete params[name];
    }
  });
})();
