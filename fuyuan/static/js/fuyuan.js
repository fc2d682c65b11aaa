// Small behaviours every page shares, wired by data-* attributes so that no template needs inline script
// (the Content-Security-Policy allows scripts from this site's files only).
//   <form data-confirm="确定……？">   asks before submitting; "取消" leaves the page as it was.
//   <select data-autosubmit>          submits its form when the choice changes.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLElement) || !field.hasAttribute("data-autosubmit")) return;
    var form = field.form;
    if (!form) return;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
