// 网上申请行政复议: warn on the form, before it is sent, when the day the applicant learnt of the act is more than the
// 60 days of 行政复议法第20条第1款 ago (the application is still taken: the body examines whether the delay had a
// lawful reason). The earliest timely day comes from the server (data-apply-limit), holidays counted.
(function () {
  "use strict";
  const input = document.querySelector("input[data-apply-limit]");
  const warning = document.querySelector("[data-testid=late-known-on]");
  if (!input || !warning) return;
  function check() {
    warning.hidden = !(input.value && input.value < input.dataset.applyLimit);
  }
  input.addEventListener("change", check);
  input.addEventListener("input", check);
  check();
})();
