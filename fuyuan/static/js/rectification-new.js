// 登记建议书: "添加整改事项" copies the last item row, emptied.
(function () {
  "use strict";
  const add = document.getElementById("add-item");
  if (!add) return;
  add.addEventListener("click", function () {
    const rows = document.querySelectorAll("#items .item-row");
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("textarea, input").forEach(function (el) { el.value = ""; });
    copy.querySelector("select").selectedIndex = 0;
    document.getElementById("items").appendChild(copy);
    copy.querySelector("textarea").focus();
  });
})();
