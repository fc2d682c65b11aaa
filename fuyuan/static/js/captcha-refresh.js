// 线上申请的验证码：“换一张” fetches a new picture and its key, and clears the answer typed for the old one.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-challenge-refresh]");
    if (!button) return;
    const box = button.closest("[data-testid=challenge]");
    fetch(button.dataset.challengeRefresh, { headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelector("[data-challenge-image]").src = data.image_url;
        box.querySelector("input[type=hidden]").value = data.key;
        const answer = box.querySelector("input[type=text]");
        answer.value = "";
        answer.focus();
      });
  });
})();
