// 争议详情: the meeting form's participant rows — "添加" copies the row template, "✕" removes a row.
(function () {
  "use strict";
  const rows = document.getElementById("participant-rows");
  const add = document.getElementById("add-participant");
  const template = document.getElementById("participant-row-template");
  if (!rows || !add || !template) return;
  add.addEventListener("click", function () {
    rows.appendChild(template.content.cloneNode(true));
    rows.lastElementChild.querySelector("select").focus();
  });
  rows.addEventListener("click", function (event) {
    const button = event.target.closest("[data-remove-row]");
    if (button) button.closest("tr").remove();
  });
})();
