// 登记联席会议: "增加一人" / "增加一项" copies the last row of its list, emptied.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      const list = document.getElementById(button.dataset.addRow);
      const rows = list.querySelectorAll(".add-row");
      const copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll("textarea, input").forEach(function (el) { el.value = ""; });
      copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      list.appendChild(copy);
      copy.querySelector("textarea, input").focus();
    });
  });
})();
