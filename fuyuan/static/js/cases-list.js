// 案件台账: keep the pushed URL short — leave out empty filters (and the date type when no date is given).
(function () {
  "use strict";
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "case-filters") return;
    const params = event.detail.parameters;
    for (const [name, value] of Object.entries(params)) {
      if (value === "") delete params[name];
    }
    if (!("date_from" in params) && !("date_to" in params)) delete params["date_field"];
  });
})();
