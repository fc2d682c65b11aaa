// A button marked data-print prints the page (the receipt); print.css leaves out what is not part of it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
