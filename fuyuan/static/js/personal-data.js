// 「查看完整号码」 (fuyuan.core.personal_data_views.reveal): htmx does not swap an error response by default, so a
// refusal (403: the role may not see the value; 404: the record left the person's scope since the page was loaded,
// e.g. they were moved to another centre) would leave the button doing nothing. For the reveal forms only, the
// refusal's fragment replaces the masked value like a reveal does.
(function () {
  "use strict";
  if (window.fuyuanPersonalData) return;
  window.fuyuanPersonalData = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.closest || !source.closest("[data-reveal]")) return;
    if (event.detail.xhr.status === 403 || event.detail.xhr.status === 404) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
